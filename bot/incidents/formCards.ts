import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { CATEGORIES, categoryById, PLACES, PRESERVE_STEPS, SUBJECTS } from './categories';
import { needsSection } from './routing';
import { asksPupil, asksStaff, NOT_LISTED, resolveSection, type FieldErrors, type ReportValues, type Step } from './reportForm';

const DETAIL_FIELDS = ['occurredOn', 'occurredAt', 'place', 'device', 'url', 'pupilName', 'pupilYear', 'staffName', 'staffId', 'description', 'childsWords', 'actionTaken', 'section'] as const;

function contextLine(v: ReportValues): string {
  return [v.source, v.context].filter(Boolean).join(': ');
}

/** What became of the urgent alert, in words: who has it, who does not, whom to ring. */
export function alertOutcome(v: ReportValues): string {
  if (!v.urgentAlerted?.length) {
    const ring = v.urgentRing?.length ? v.urgentRing.join('; ') : 'the DSL or the school office';
    return `Nobody has received this alert: Lantern could not reach anyone in Teams. Phone now: ${ring}.`;
  }
  const who = v.urgentWidened ? `No one in the safeguarding team for this section could be reached in Teams, so I alerted: ${v.urgentAlerted.join(', ')}.` : `I have alerted: ${v.urgentAlerted.join(', ')}.`;
  const missed = v.urgentMissed?.length ? ` Not reached in Teams: ${v.urgentMissed.join(', ')}. Phone them if you can.` : '';
  return who + missed;
}

/** The section was chosen, by name, on the first card. */
function answeredSection(v: ReportValues, roster: Roster): boolean {
  return !!v.section && v.section !== 'unsure' && !!roster.section(v.section);
}

/** The card for one step of the report, showing what was typed and any error beside its field. */
export function formCard(step: Step, v: ReportValues, roster: Roster, errors: FieldErrors = {}, notice = ''): AdaptiveCard {
  const sections = roster.sections().map((s) => ({ name: s.name }));
  const category = categoryById(v.category);
  switch (step) {
    case 'safety':
      return renderCard('incident-safety', { notice, context: contextLine(v), section: v.section ?? '', sections, errSection: errors.section ?? '' });
    case 'danger':
      return renderCard('incident-danger', { alerted: alertOutcome(v), delivered: !!v.urgentAlerted?.length });
    case 'category':
      return renderCard('incident-category', {
        notice,
        category: v.category ?? '',
        subject: v.subject ?? '',
        categories: CATEGORIES.map((c) => ({ id: c.id, label: c.label })),
        subjects: SUBJECTS,
        errCategory: errors.category ?? '',
        errSubject: errors.subject ?? '',
      });
    case 'illegal':
      return renderCard('incident-illegal', {
        categoryLabel: category?.label ?? 'This',
        preserve: PRESERVE_STEPS.map((p) => ({ id: p.id, label: p.label, value: v.preserved?.[p.id] ? 'true' : 'false' })),
      });
    case 'details': {
      const values = Object.fromEntries(DETAIL_FIELDS.map((f) => [f, (v[f] as string | undefined) ?? '']));
      values.section = resolveSection(v, roster) ?? '';
      return renderCard('incident-details', {
        notice,
        categoryLabel: category?.label ?? '',
        illegal: category?.illegal ?? false,
        isPupil: asksPupil(v),
        pupilLabel: v.subject === 'outside' ? 'Pupil(s) affected' : 'Pupil name(s)',
        isStaff: asksStaff(v),
        staff: [...roster.everyone()].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ id: p.id, name: p.name })).concat({ id: NOT_LISTED, name: 'Not listed: type the name below' }),
        // Asked once: only when the first card's answer was "not sure" (or did not settle it).
        askSection: !!category && !!v.subject && needsSection(category, v.subject) && (!answeredSection(v, roster) || !!errors.section),
        // Optional fields open by themselves when they hold text or an error, so nothing typed is hidden.
        open: { words: !!v.childsWords || !!errors.childsWords, device: !!v.device || !!v.url || !!errors.device || !!errors.url },
        places: PLACES,
        sections,
        v: values,
        e: Object.fromEntries(DETAIL_FIELDS.map((f) => [f, errors[f] ?? ''])),
      });
    }
  }
}
