import type { Roster } from '../config/roster';
import type { Person } from '../config/schoolConfigSchema';
import { holdsStepRole } from './chain';
import { stepHolders } from './holders';
import type { FilterRequest } from './filterRequest';
import type { FilteringSettings, StepId } from './settings';

/** Steps IT does: their cards go to the IT channel when one is registered. */
export function isItStep(step: StepId): boolean {
  return step === 'authorise' || step === 'make';
}

const unique = (people: Array<Person | undefined>) => [...new Map(people.filter((p): p is Person => !!p).map((p) => [p.id, p])).values()];

/** The DSL on duty for the filtering section, else the other DSL/deputies: never the requester. */
function safeguarders(roster: Roster, settings: FilteringSettings, exclude: Set<string>): Person[] {
  const onDuty = roster.onDutyFor(settings.dslSection).filter((p) => !exclude.has(p.id));
  return onDuty.length ? onDuty : roster.dslAndDeputies(settings.dslSection).filter((p) => !exclude.has(p.id));
}

/** IT people to reach 1:1 when no IT channel is registered. */
export function itPeople(step: StepId | 'reminder', roster: Roster): Person[] {
  const manager = roster.holder('itManager');
  return step === 'authorise' ? unique([manager]) : unique([manager, ...roster.withRole('it-technician')]);
}

/** Nobody is asked to approve their own request or confirm a change they made. */
function excluded(request: FilterRequest): Set<string> {
  return new Set([request.requestedBy.id, ...request.history.filter((h) => h.step === 'make').map((h) => h.by.id)]);
}

/** The school's alternate, when the step's role holders are all ruled out for this request. */
export function alternateFor(step: StepId, request: FilterRequest, roster: Roster, settings: FilteringSettings): Person | undefined {
  const holders = stepHolders(step, request, roster, settings);
  return holders.alternate ? holders.people[0] : undefined;
}

/** Who gets a 1:1 card for a DSL step. */
export function dslStepPeople(step: StepId, request: FilterRequest, roster: Roster, settings: FilteringSettings): Person[] {
  const alternate = alternateFor(step, request, roster, settings);
  if (alternate) return [alternate];
  const exclude = excluded(request);
  if (step === 'sanction') return safeguarders(roster, settings, exclude);
  const confirmers = settings.confirmBy.flatMap((c) =>
    c === 'dsl' ? safeguarders(roster, settings, exclude) : [roster.holder(c === 'deputy-head-pastoral' ? 'deputyHeadPastoral' : 'deputyHeadAcademic')],
  );
  return unique(confirmers).filter((p) => !exclude.has(p.id));
}

/**
 * Who a stalled step is escalated to, 1:1: the IT manager (and the trust's) for IT steps, the senior DSL's deputies
 * for DSL steps. Only people who may act on the step, so the card they get is one they can use.
 */
export function escalationPeople(step: StepId, request: FilterRequest, roster: Roster, settings: FilteringSettings): Person[] {
  const alternate = alternateFor(step, request, roster, settings);
  if (alternate) return [alternate];
  const exclude = excluded(request);
  // In a trust, a stalled IT step reaches the trust's IT manager as well as the school's.
  const people = isItStep(step) ? [roster.holder('itManager'), roster.trustHolder('itManager')] : (roster.section(settings.dslSection)?.deputies ?? []).map((id) => roster.person(id));
  return unique(people).filter((p) => !exclude.has(p.id) && holdsStepRole(step, p.id, roster, settings));
}
