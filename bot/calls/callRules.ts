import type { CallKind, CallRule, CallSettings } from './callSettings';

export type CallVerdict = 'allowed' | 'needs-permission' | 'not-allowed';

export interface CallAssessment {
  verdict: CallVerdict;
  rule?: CallRule;
  /** Why it is not allowed, in the teacher's terms. */
  refusal?: string;
  permission?: CallRule['permission'];
  pastoral: boolean;
  /** What the teacher must do, in order. */
  requirements: string[];
}

export interface CallQuestion {
  kind: CallKind;
  purpose: string;
  section: string;
  /** "Chris Shaw (Head of Maths)" when a department was chosen. */
  headOfDepartment?: string;
}

const KIND_NAMES: Record<CallKind, string> = { video: 'a 1-1 video call', audio: 'a 1-1 audio call', phone: 'a 1-1 phone call' };
const PERMISSION_NAMES = { 'deputy-head-academic': 'the deputy head (academic)', 'deputy-head-pastoral': 'the deputy head (pastoral)' } as const;

/** How the permission requirement begins: it is dropped from the list once permission is given. */
export const PERMISSION_STEP = 'Get advance permission from';

export function permissionHolderName(permission: NonNullable<CallRule['permission']>): string {
  return PERMISSION_NAMES[permission];
}

/** Applies the school's rule table to one planned call. */
export function assessCall(settings: CallSettings, q: CallQuestion): CallAssessment {
  const rule = settings.rules.find((r) => r.purpose === q.purpose);
  if (!rule) return { verdict: 'not-allowed', refusal: 'That purpose is not on the school\'s list for 1-1 calls.', pastoral: false, requirements: [] };
  if (!rule.kinds.includes(q.kind)) {
    const allowedKinds = rule.kinds.map((k) => k).join(' or ');
    return { verdict: 'not-allowed', rule, refusal: `${rule.label} is not a purpose allowed for ${KIND_NAMES[q.kind]}: the school allows it by ${allowedKinds} only.`, pastoral: rule.pastoral, requirements: [] };
  }
  const inSection = rule.sections.length === 0 || rule.sections.some((s) => s.toLowerCase() === q.section.toLowerCase());
  if (!inSection) {
    return { verdict: 'not-allowed', rule, refusal: `${rule.label} calls are allowed only for pupils in ${rule.sections.join(', ')}, not ${q.section}.`, pastoral: rule.pastoral, requirements: [] };
  }
  const requirements: string[] = [];
  if (rule.permission) requirements.push(`${PERMISSION_STEP} ${PERMISSION_NAMES[rule.permission]}: Lantern has sent them the request, and will tell you their answer.`);
  if (settings.bookInCalendar) requirements.push(q.kind === 'phone' ? 'Book the call in your Teams calendar, even though it is by phone.' : 'Book the call in your Teams calendar.');
  if (settings.headOfDepartmentOptional) {
    requirements.push(q.headOfDepartment ? `Add ${q.headOfDepartment} to the booking as an optional attendee.` : 'Add the head of department to the booking as an optional attendee.');
  }
  if (settings.tellParentsInSections.some((s) => s.toLowerCase() === q.section.toLowerCase())) requirements.push(`Tell the pupil's parents about the call in advance (${q.section} pupil).`);
  if (q.kind === 'phone' && settings.withholdNumberOnPhone) requirements.push('Withhold your number when you ring.');
  if (rule.pastoral) requirements.push('After the call, write the secure note in Lantern (type **log a call**).');
  return { verdict: rule.permission ? 'needs-permission' : 'allowed', rule, permission: rule.permission, pastoral: rule.pastoral, requirements };
}
