import type { Roster } from '../config/roster';
import type { Person } from '../config/schoolConfigSchema';
import { holdsStepRole, STEPS } from './chain';
import type { FilterRequest } from './filterRequest';
import type { FilteringSettings, StepId } from './settings';

/** Who may act on a step of this request: nobody on their own request, nobody confirms their own change. */
function excludedFrom(step: StepId, request: Pick<FilterRequest, 'requestedBy' | 'history'>): Set<string> {
  const makers = step === 'confirm' ? request.history.filter((h) => h.step === 'make').map((h) => h.by.id) : [];
  return new Set([request.requestedBy.id, ...makers]);
}

export interface StepHolders {
  people: Person[];
  /**
   * True when the step's own role holders are all ruled out and the school's alternate (or, for an
   * IT step in a trust, the trust's IT manager) holds it: their card then goes to them 1:1.
   */
  alternate: boolean;
}

/**
 * The people who may act on `step` of this request: those with the step's role other than the
 * requester (and, to confirm, other than who made the change). When that leaves nobody (the IT
 * manager asking for his own change), the alternate the school named for the step, else (an IT
 * step in a trust) the trust's IT manager.
 */
export function stepHolders(step: StepId, request: Pick<FilterRequest, 'requestedBy' | 'history'>, roster: Roster, settings: FilteringSettings): StepHolders {
  const exclude = excludedFrom(step, request);
  const people = roster.config.people.filter((p) => !exclude.has(p.id) && holdsStepRole(step, p.id, roster, settings));
  if (people.length) return { people, alternate: false };
  const id = settings.alternates[step];
  const named = id && !exclude.has(id) ? roster.person(id) : undefined;
  const trustIt = roster.trustHolder('itManager');
  const alternate = named ?? (trustIt && !exclude.has(trustIt.id) && holdsStepRole(step, trustIt.id, roster, settings) ? trustIt : undefined);
  return alternate ? { people: [alternate], alternate: true } : { people: [], alternate: false };
}

/** Whether `personId` acts on this step only as the school's alternate. */
export function actsAsAlternate(step: StepId, personId: string | undefined, request: Pick<FilterRequest, 'requestedBy' | 'history'>, roster: Roster, settings: FilteringSettings): boolean {
  const holders = stepHolders(step, request, roster, settings);
  return holders.alternate && holders.people.some((p) => p.id === personId);
}

/**
 * Why a request from `requester` could never finish, checked before it is sent: a step only the
 * requester could do, with no alternate named. Undefined when every step has someone.
 */
export function deadEndFor(requesterId: string, chain: readonly StepId[], roster: Roster, settings: FilteringSettings): string | undefined {
  const request = { requestedBy: { id: requesterId, name: '' }, history: [] };
  const step = chain.find((s) => !stepHolders(s, request, roster, settings).people.length);
  if (!step) return undefined;
  return (
    `Nobody but you could ${STEPS[step].button.toLowerCase()} this request: you are ${STEPS[step].who}, and nobody may approve their own request. ` +
    `The school has not named anyone else for this step (filtering.alternates.${step} in the school configuration), so it was not sent. ` +
    'Ask whoever looks after Lantern to name one, or ask a colleague to make the request. Nothing was sent.'
  );
}
