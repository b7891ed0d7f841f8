import type { Roster } from '../config/roster';
import { PERMISSION_STEP, permissionHolderName } from './callRules';
import type { CallRule } from './callSettings';

export type PermissionRole = NonNullable<CallRule['permission']>;

/** Who gives a permission instead of its role's holder, and why they were chosen. */
export interface AlternateDecider {
  personId: string;
  name: string;
  title: string;
}

/**
 * A permission exists so that someone other than the teacher agrees to the call: when the teacher
 * planning it holds the permission's role themselves, the Head decides, or (when the Head is the
 * teacher, or the roster has none) the DSL of the pupil's section. Undefined when the teacher does
 * not hold the role; `none` when no one else can decide.
 */
export function alternateDecider(role: PermissionRole, teacherPersonId: string | undefined, section: string, roster: Roster): AlternateDecider | 'none' | undefined {
  if (!teacherPersonId || !roster.has(teacherPersonId, role)) return undefined;
  const head = roster.holder('head');
  if (head && head.id !== teacherPersonId) return { personId: head.id, name: head.name, title: 'the Head' };
  const dsl = roster.dslAndDeputies(section).find((p) => p.id !== teacherPersonId);
  if (dsl) return { personId: dsl.id, name: dsl.name, title: `the ${section} section's DSL` };
  return 'none';
}

/** Who the permission is asked of, as every card of the call names them. */
export function deciderName(p: { role: PermissionRole; alternate?: AlternateDecider | 'none' }): string {
  if (!p.alternate) return permissionHolderName(p.role);
  if (p.alternate === 'none') return 'someone other than the call\'s planner (the roster has no one else to give it)';
  return `${p.alternate.name}, ${p.alternate.title}, as the call's planner holds this permission`;
}

/** The rules' requirements, with the permission step naming whoever is really asked. */
export function askingOf(requirements: string[], p: { role: PermissionRole; alternate?: AlternateDecider | 'none' }): string[] {
  if (!p.alternate) return requirements;
  const step = `${PERMISSION_STEP} ${deciderName(p)}: ${p.alternate === 'none' ? 'Lantern has no one to send the request to.' : 'Lantern has sent them the request, and will tell you their answer.'}`;
  return requirements.map((r) => (r.startsWith(PERMISSION_STEP) ? step : r));
}
