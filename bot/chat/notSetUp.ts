import type { Capability } from './capability';

/**
 * A capability whose block is missing from the school configuration: its own commands and
 * buttons answer with how to set it up (so the words do not fall through to policy questions),
 * help offers none of it, and left-over scheduled jobs end quietly without rescheduling.
 */
export function notSetUp(capability: Capability, howToSetUp: string): Capability {
  return {
    name: capability.name,
    commands: (capability.commands ?? []).map((c) => ({ name: c.name, pattern: c.pattern, run: async (turn) => void (await turn.send(howToSetUp)) })),
    actions: Object.fromEntries(Object.keys(capability.actions ?? {}).map((verb) => [verb, async () => ({ message: howToSetUp })])),
    jobs: Object.fromEntries(Object.keys(capability.jobs ?? {}).map((kind) => [kind, async () => undefined])),
    help: () => [],
  };
}
