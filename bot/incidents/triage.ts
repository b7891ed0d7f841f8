import type { Category, Subject } from './categories';
import type { IncidentSettings, Urgency } from './settings';

/**
 * P0 a child in immediate danger; P1 anything that may go to the police or concerns staff (the
 * LADO clock starts); P2 harm to a pupil or the school that needs action today; P3 the rest.
 */
export function urgencyOf(category: Category, subject: Subject, immediateDanger: boolean): Urgency {
  if (immediateDanger) return 'P0';
  if (category.illegal || category.id === 'extremism' || subject === 'staff' || subject === 'head' || category.route === 'staff') return 'P1';
  if (['cyberbullying', 'inappropriate-deliberate', 'threat-online', 'abuse-of-staff', 'data-breach', 'filter-bypass'].includes(category.id)) return 'P2';
  return 'P3';
}

export const URGENCY_LABELS: Record<Urgency, string> = {
  P0: 'P0 — immediate danger',
  P1: 'P1 — urgent',
  P2: 'P2 — today',
  P3: 'P3 — routine',
};

export function acknowledgeBy(reportedAt: Date, urgency: Urgency, settings: IncidentSettings): Date {
  return new Date(reportedAt.getTime() + settings.acknowledgeWithinMinutes[urgency] * 60_000);
}

/** The same time of day `days` working days later, skipping Saturdays and Sundays. */
export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) left -= 1;
  }
  return d;
}
