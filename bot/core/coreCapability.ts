import { HELP_GROUPS, type Capability, type HelpEntry, type HelpGroup, type Services } from '../chat/capability';
import type { Dispatcher } from '../chat/dispatcher';
import type { Actor, Turn } from '../chat/turn';
import { renderCard, renderRecurringCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { configCheckCommand } from './configCheckCommand';
import { registerCommand } from './registerCommand';
import { POLICY_HELP_COMMAND } from '../policy/policyCapability';
import { describeRoles } from './roleNames';

export function helpCard(actor: Actor, roster: Roster, entries: HelpEntry[]) {
  const who = actor.personId ? `${actor.name} — ${describeRoles(actor.personId, roster)}` : `${actor.name} — staff`;
  const policyTip = entries.some((e) => e.command === POLICY_HELP_COMMAND);
  // One heading per thing staff come to do, its buttons side by side: short on a phone. What each
  // button does is one tap away rather than a paragraph under every button.
  const groups = (Object.keys(HELP_GROUPS) as HelpGroup[])
    .map((group) => ({ heading: HELP_GROUPS[group], entries: entries.filter((e) => (e.group ?? 'more') === group) }))
    .filter((g) => g.entries.length);
  return renderRecurringCard('help', { greeting: `You're signed in to ${roster.schoolName}'s Lantern as ${who}.`, groups, entries, policyTip });
}

/**
 * Help, welcome and channel registration. Needs the dispatcher to list every capability's help
 * entries and to start their flows from buttons, hence the late `attach`.
 */
export function createCoreCapability(services: Services) {
  let dispatcher: Dispatcher | undefined;
  const entries = (actor: Actor, roster: Roster) => dispatcher?.help(actor, roster) ?? [];

  const capability: Capability & { attach(d: Dispatcher): void; welcome(turn: Turn): Promise<void> } = {
    name: 'core',
    attach(d) {
      dispatcher = d;
    },
    async welcome(turn) {
      const roster = await services.config.current();
      // What any member of staff can do here, and only what is set up for this school: others
      // in a chat or channel read the welcome too, so it lists no role's own commands.
      const anyStaff: Actor = { ...turn.actor, personId: undefined, roles: ['staff'] };
      const offered = entries(anyStaff, roster);
      const offers = offered.map((e) => e.title.charAt(0).toLowerCase() + e.title.slice(1)).join(', ');
      const policyTip = offered.some((e) => e.command === POLICY_HELP_COMMAND);
      await turn.send({ card: renderCard('welcome', { kind: turn.place.kind, schoolName: roster.schoolName, firstSection: roster.sections()[0].name, offers, policyTip }) });
    },
    commands: [
      {
        name: 'help',
        pattern: /^(help|menu|what can you do|commands|\?)$/i,
        repeatable: true,
        async run(turn, _match, roster) {
          await turn.send({ card: helpCard(turn.actor, roster, entries(turn.actor, roster)) });
        },
      },
      registerCommand(services),
      configCheckCommand(services),
    ],
    actions: {
      'core.help': async (_action, turn, roster) => ({ card: helpCard(turn.actor, roster, entries(turn.actor, roster)) }),
      'core.run': async (action, turn, roster) => {
        const command = typeof action.data.command === 'string' ? action.data.command : '';
        const allowed = entries(turn.actor, roster).some((e) => e.command === command);
        // Only commands this person's own help card offers: card data is never trusted.
        if (!allowed || !dispatcher || !(await dispatcher.run(command, turn))) {
          return { message: 'That option is not available to you. Type **help** to see what is.' };
        }
        return { card: helpCard(turn.actor, roster, entries(turn.actor, roster)) };
      },
    },
    help(actor, roster) {
      const list: HelpEntry[] = [];
      if (actor.roles.includes('admin')) {
        list.push({ title: 'Register a channel', command: 'register', description: `In a team channel: choose which cards arrive there (e.g. **register dsl ${roster.sections()[0].name}**).`, group: 'admin' });
        list.push({ title: 'Check the configuration', command: 'config check', description: 'Every setting in use and where it came from (file, stored copy or default), and what is not set up.', group: 'admin' });
      }
      return list;
    },
  };
  return capability;
}
