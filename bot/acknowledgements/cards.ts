import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { ukDate } from '../calendar/ukFormat';
import type { Campaign, Round } from './campaignStore';
import type { DocumentVersion } from './documents';
import type { Progress } from './progress';

const MAX_HEADINGS = 30;
/** Teams refuses cards above about 28 KB; a part of the full text stays well under that. */
const PART_CHARS = 12_000;

export interface StartFormValues {
  title: string;
  note: string;
  audience: string;
  due: string;
}

export function startFormCard(input: { title: string; document: string; isLink: boolean; facts: Array<{ title: string; value: string }>; values: StartFormValues; audiences: Array<{ title: string; value: string }>; reminderEveryDays: number; error?: string }): AdaptiveCard {
  return renderCard('acks-start', { ...input, error: input.error ?? '' });
}

export function requestCard(round: Round, askedBy: string, reminder: boolean): AdaptiveCard {
  const headings = round.headings.slice(0, MAX_HEADINGS);
  const more = round.headings.length - headings.length;
  const headingList = [...headings.map((h) => `- ${h}`), ...(more > 0 ? [`- and ${more} more`] : [])].join('\n');
  return renderCard('acks-request', {
    reminder,
    title: round.document.title,
    note: round.note,
    version: round.version,
    due: ukDate(round.due),
    askedBy,
    headings,
    headingList,
    url: round.document.source === 'link' ? (round.document.url ?? '') : '',
    round: round.id,
  });
}

/** The full text in parts, section by section, so each card stays under Teams' size limit. */
export function textParts(version: DocumentVersion): Array<Array<{ heading: string; text: string }>> {
  const parts: Array<Array<{ heading: string; text: string }>> = [];
  let current: Array<{ heading: string; text: string }> = [];
  let size = 0;
  for (const s of version.sections) {
    const text = s.text.length > PART_CHARS ? `${s.text.slice(0, PART_CHARS)}…` : s.text;
    if (current.length && size + text.length > PART_CHARS) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push({ heading: s.heading, text });
    size += text.length + s.heading.length;
  }
  if (current.length) parts.push(current);
  return parts;
}

export function textCard(round: Round, parts: ReturnType<typeof textParts>, part: number): AdaptiveCard {
  return renderCard('acks-text', {
    title: round.document.title,
    partLabel: `${part + 1} of ${parts.length}`,
    sections: parts[part],
    hasNext: part + 1 < parts.length,
    next: part + 1,
    round: round.id,
  });
}

export function doneCard(headline: string, facts: Array<{ title: string; value: string }>): AdaptiveCard {
  return renderCard('acks-done', { headline, facts });
}

export function progressCard(round: Round, progress: Progress, audience: string, updated: string, canExport: boolean): AdaptiveCard {
  const notReached = progress.people.filter((p) => p.status === 'not reached').map((p) => p.name);
  const shown = notReached.slice(0, 10).join(', ') + (notReached.length > 10 ? ` and ${notReached.length - 10} more` : '');
  return renderCard('acks-progress', {
    title: round.document.title,
    acknowledged: progress.acknowledged,
    total: progress.total,
    outstanding: progress.outstanding,
    overdue: progress.overdue && progress.outstanding > 0,
    facts: [
      { title: 'Version', value: `${round.version} (round ${round.number})` },
      { title: 'Who', value: audience },
      { title: 'Due by', value: ukDate(round.due) },
      { title: 'Outstanding', value: String(progress.outstanding) },
      { title: 'Waiting to send', value: String(progress.waiting) },
      { title: 'Not reached', value: String(progress.notReached) },
    ],
    sections: progress.bySection,
    notReachedNames: shown,
    updated,
    round: round.id,
    canExport,
  });
}

export function newVersionCard(campaign: Campaign, round: Round, version: string, audience: string, due: string): AdaptiveCard {
  return renderCard('acks-new-version', { title: campaign.document.title, version, previous: round.version, round: round.number, audience, due, campaign: campaign.id });
}
