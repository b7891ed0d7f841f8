import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { CATEGORIES, categoryById, PLACES, PRESERVE_STEPS, SUBJECTS } from './categories';
import { needsSection } from './routing';
import { resolveSection, type FieldErrors, type ReportValues, type Step } from './reportForm';

const DETAIL_FIELDS = ['occurredOn', 'occurredAt', 'place', 'device', 'url', 'pupilName', 'pupilYear', 'staffName', 'description', 'childsWords', 'actionTaken', 'section'] as const;

function contextLine(v: ReportValues): string {
  return [v.source, v.context].filter(Boolean).join(': ');
}

/** The card for one step of the report, showing what was typed and any error beside its field. */
export function formCard(step: Step, v: ReportValues, roster: Roster, errors: FieldErrors = {}, notice = ''): AdaptiveCard {
  const sections = roster.sections().map((s) => ({ name: s.name }));
  const category = categoryById(v.category);
  switch (step) {
    case 'safety':
      return renderCard('incident-safety', { notice, context: contextLine(v), section: v.section ?? '', sections, errSection: errors.section ?? '' });
    case 'danger':
    {
      const alerted = v.urgentAlerted?.length ? `I have alerted: ${v.urgentAlerted.join(', ')}.` : 'I could not reach a DSL through Lantern: phone the DSL or the school office now.';
      const missed = v.urgentMissed?.length ? ` Lantern could not reach ${v.urgentMissed.join(', ')}: phone them if you can.` : '';
      return renderCard('incident-danger', { alerted: alerted + missed });
    }
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
        isPupil: v.subject === 'pupil',
        isStaff: v.subject === 'staff',
        askSection: !!category && !!v.subject && needsSection(category, v.subject),
        places: PLACES,
        sections,
        v: values,
        e: Object.fromEntries(DETAIL_FIELDS.map((f) => [f, errors[f] ?? ''])),
      });
    }
  }
}
