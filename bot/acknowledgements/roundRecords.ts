import { BroadcastQueue, type DeliveryState } from '../broadcast/broadcastQueue';
import type { TableProvisioner } from '../storage/tableService';
import { CampaignStore } from './campaignStore';

/**
 * A round as the termly report counts it: when it was open, when it was due, and for each person
 * asked only whether the card reached them and when they acknowledged. No names.
 */
export interface RoundRecord {
  id: string;
  campaignId: string;
  number: number;
  title: string;
  version: string;
  /** School date (YYYY-MM-DD). */
  due: string;
  openedAt: string;
  /** When the next round of the same document opened (a superseded round asks nobody after that). */
  closedAt?: string;
  people: Array<{ delivery: DeliveryState; acknowledgedAt?: string }>;
}

/** Every round with its people, read-only, from the campaign store and the broadcast queue. */
export async function roundRecords(tables: TableProvisioner): Promise<RoundRecord[]> {
  const store = new CampaignStore(tables);
  const queue = new BroadcastQueue(tables);
  const rounds = await store.allRounds();
  const openedAt = new Map(rounds.map((r) => [`${r.campaignId}#${r.number}`, r.openedAt]));
  return Promise.all(
    rounds.map(async (r): Promise<RoundRecord> => {
      const [rows, acks] = await Promise.all([queue.rows(r.id), store.acknowledgements(r.id)]);
      const at = new Map(acks.map((a) => [a.person, a.at]));
      return {
        id: r.id,
        campaignId: r.campaignId,
        number: r.number,
        title: r.document.title,
        version: r.version,
        due: r.due,
        openedAt: r.openedAt,
        closedAt: r.state === 'superseded' ? openedAt.get(`${r.campaignId}#${r.number + 1}`) ?? r.openedAt : undefined,
        people: rows.map((row) => ({ delivery: row.state, acknowledgedAt: at.get(row.person) })),
      };
    }),
  );
}

export interface RoundCoverage {
  required: number;
  onTime: number;
  late: number;
  /** Reached (or still waiting to be sent) and not acknowledged. */
  outstanding: number;
  /** The card could not be delivered in Teams, and they have not acknowledged. */
  notReached: number;
  /** Acknowledged (on time or late) of those required; undefined when nobody was. */
  percent?: number;
}

/**
 * Where a round stood on school date `asOf` (its end of day): acknowledgements after it are not
 * counted yet. On time means on or before the due date, school time. Delivery is as it stands now.
 */
export function roundCoverage(round: RoundRecord, asOf: string, localDate: (iso: string) => string): RoundCoverage {
  let onTime = 0;
  let late = 0;
  let notReached = 0;
  for (const p of round.people) {
    const day = p.acknowledgedAt ? localDate(p.acknowledgedAt) : undefined;
    if (day && day <= asOf) {
      if (day <= round.due) onTime += 1;
      else late += 1;
    } else if (p.delivery === 'failed') notReached += 1;
  }
  const required = round.people.length;
  return { required, onTime, late, outstanding: required - onTime - late - notReached, notReached, percent: required ? Math.round((100 * (onTime + late)) / required) : undefined };
}
