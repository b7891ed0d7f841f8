import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { ukDate } from '../calendar/ukFormat';
import type { Campaign, Round } from './campaignStore';
import type { DocumentVersion } from './documents';
import type { Progress } from './progress';

const MAX_HEADINGS = 30;
/**
 * One part of the full text: about three phone screens (the browser card check measures it), well
 * under Teams' 28 KB card limit. A heading and the gap above it take the room of about 60 characters.
 */
const PART_CHARS = 3_500;
const HEADING_CHARS = 60;

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

/**
 * The full text in parts of whole sections, in order, each part a card a person reads on a phone
 * and then presses "Next part". A section longer than a part runs on into the next, split between
 * paragraphs (or sentences, or words), so nothing of the text is ever left out.
 */
export function textParts(version: DocumentVersion): Array<Array<{ heading: string; text: string }>> {
  const parts: Array<Array<{ heading: string; text: string }>> = [];
  let current: Array<{ heading: string; text: string }> = [];
  let size = 0;
  for (const s of version.sections) {
    for (const [i, text] of pieces(s.text, PART_CHARS - HEADING_CHARS).entries()) {
      const cost = text.length + HEADING_CHARS;
      if (current.length && size + cost > PART_CHARS) {
        parts.push(current);
        current = [];
        size = 0;
      }
      current.push({ heading: i ? `${s.heading} (continued)` : s.heading, text });
      size += cost;
    }
  }
  if (current.length) parts.push(current);
  return parts;
}

/** `text` in pieces of at most `max` characters, broken at the last paragraph, sentence or word end that fits. */
export function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const head = rest.slice(0, max + 1);
    const at = [/\n\s*\n(?=\S)/g, /[.!?;:](?=\s)/g, /\s(?=\S)/g].map((re) => lastEnd(head, re)).find((n) => n > max / 3) ?? max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length || !out.length) out.push(rest);
  return out;
}

function lastEnd(text: string, re: RegExp): number {
  let end = -1;
  for (const m of text.matchAll(re)) if (m.index + m[0].length <= text.length - 1) end = m.index + m[0].length;
  return end;
}

export function textCard(round: Round, parts: ReturnType<typeof textParts>, part: number): AdaptiveCard {
  return renderCard('acks-text', {
    title: round.document.title,
    partLabel: `${part + 1} of ${parts.length}`,
    nextLabel: `Next part (${part + 2} of ${parts.length})`,
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
