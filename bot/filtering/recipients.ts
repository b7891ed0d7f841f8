import type { Roster } from '../config/roster';
import type { Person } from '../config/schoolConfigSchema';
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

/** Who gets a 1:1 card for a DSL step. */
export function dslStepPeople(step: StepId, request: FilterRequest, roster: Roster, settings: FilteringSettings): Person[] {
  const exclude = new Set([request.requestedBy.id, ...request.history.filter((h) => h.step === 'make').map((h) => h.by.id)]);
  if (step === 'sanction') return safeguarders(roster, settings, exclude);
  const confirmers = settings.confirmBy.flatMap((c) =>
    c === 'dsl' ? safeguarders(roster, settings, exclude) : [roster.holder(c === 'deputy-head-pastoral' ? 'deputyHeadPastoral' : 'deputyHeadAcademic')],
  );
  return unique(confirmers).filter((p) => !exclude.has(p.id));
}
