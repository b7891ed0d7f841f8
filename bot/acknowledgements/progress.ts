import type { Roster } from '../config/roster';
import type { Delivery } from '../broadcast/broadcastQueue';
import type { Acknowledgement, Round } from './campaignStore';
import { lineManagerOf, sectionOf, type AcknowledgementSettings } from './settings';

export type PersonStatus = 'acknowledged' | 'outstanding' | 'overdue' | 'not reached' | 'waiting to send';

/** One person and one requirement (a round): a row of the export and of the overdue list. */
export interface PersonProgress {
  person: string;
  name: string;
  email?: string;
  section: string;
  lineManager?: string;
  status: PersonStatus;
  delivery: Delivery['state'];
  deliveredAt?: string;
  acknowledgedAt?: string;
  acknowledgedVersion?: string;
  card?: string;
  notReachedReason?: string;
}

export interface Progress {
  total: number;
  acknowledged: number;
  outstanding: number;
  notReached: number;
  waiting: number;
  overdue: boolean;
  bySection: Array<{ section: string; acknowledged: number; total: number }>;
  people: PersonProgress[];
}

export const NO_SECTION = 'No section';

/** Past the due date once the school's day `due` has ended. */
export function isOverdue(round: Round, today: string): boolean {
  return today > round.due;
}

/** Where a round stands: the queue rows are its audience, the acknowledgements its answers. */
export function progressOf(round: Round, rows: Delivery[], acks: Acknowledgement[], roster: Roster, settings: AcknowledgementSettings, today: string): Progress {
  const byPerson = new Map(acks.map((a) => [a.person, a]));
  const overdue = isOverdue(round, today);
  const people = rows.map((row): PersonProgress => {
    const person = roster.person(row.person);
    const ack = byPerson.get(row.person);
    const status: PersonStatus = ack ? 'acknowledged' : row.state === 'failed' ? 'not reached' : row.state === 'queued' || row.state === 'sending' ? 'waiting to send' : overdue ? 'overdue' : 'outstanding';
    const manager = lineManagerOf(row.person, settings);
    return {
      person: row.person,
      name: person?.name ?? row.person,
      email: person?.email,
      section: sectionOf(row.person, settings, roster) ?? NO_SECTION,
      lineManager: manager ? (roster.person(manager)?.name ?? manager) : undefined,
      status,
      delivery: row.state,
      deliveredAt: row.state === 'sent' ? row.doneAt : undefined,
      acknowledgedAt: ack?.at,
      acknowledgedVersion: ack?.version,
      card: ack?.card.activityId ?? row.posted?.activityId,
      notReachedReason: row.state === 'failed' ? row.lastError : undefined,
    };
  });
  people.sort((a, b) => a.section.localeCompare(b.section) || a.name.localeCompare(b.name));
  const sections = new Map<string, { acknowledged: number; total: number }>();
  for (const p of people) {
    const s = sections.get(p.section) ?? { acknowledged: 0, total: 0 };
    s.total += 1;
    if (p.status === 'acknowledged') s.acknowledged += 1;
    sections.set(p.section, s);
  }
  const count = (s: PersonStatus) => people.filter((p) => p.status === s).length;
  const acknowledged = count('acknowledged');
  return {
    total: people.length,
    acknowledged,
    outstanding: people.length - acknowledged,
    notReached: count('not reached'),
    waiting: count('waiting to send'),
    overdue,
    bySection: [...sections].map(([section, v]) => ({ section, ...v })),
    people,
  };
}

/** Who has not acknowledged, for the lead and (their own staff) for each line manager. */
export function outstandingPeople(progress: Progress): PersonProgress[] {
  return progress.people.filter((p) => p.status !== 'acknowledged');
}
