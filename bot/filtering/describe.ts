import { ukDate } from '../calendar/ukFormat';
import type { FilterRequest, RequestDetails } from './filterRequest';

const AUDIENCE: Record<RequestDetails['audience'], string> = {
  staff: 'Staff',
  'all-pupils': 'All pupils',
  section: 'Pupils in',
  year: 'Pupils in',
  group: 'Pupils in group',
};

/** "Pupils in Year 9", "Staff": who the change applies to, in words. */
export function scopeText(details: RequestDetails): string {
  return details.audienceDetail ? `${AUDIENCE[details.audience]} ${details.audienceDetail}` : AUDIENCE[details.audience];
}

/** "pupils in 13H A-Level History" inside a sentence: only the first word drops its capital, names keep theirs. */
export function scopePhrase(details: RequestDetails): string {
  const text = scopeText(details);
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function durationText(details: RequestDetails): string {
  return details.duration === 'temporary' ? `Temporary, until ${ukDate(details.endDate ?? '')}` : 'Permanent';
}

export function changeText(details: RequestDetails): string {
  return `${details.change === 'unblock' ? 'Unblock' : 'Block'} ${details.targetKind === 'category' ? 'category' : 'website'}`;
}

export const STATUS_TEXT: Record<FilterRequest['status'], string> = {
  'in-progress': 'In progress',
  declined: 'Declined',
  'in-force': 'In force',
  ended: 'Ended',
};

/** Cuts user text for places where only a glimpse belongs (channel cards). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
