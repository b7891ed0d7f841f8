import type { CapabilityModule, Services } from '../chat/capability';
import type { Turn } from '../chat/turn';
import type { Role, Roster } from '../config/roster';
import { policyFolder } from '../policy';
import { PeopleDirectory } from '../routing/peopleDirectory';
import { summarisePolicies } from './policySummary';
import { setupCard } from './setupCard';
import { buildSetupReport } from './setupReport';

const ALLOWED: Role[] = ['admin', 'dsl', 'deputy-dsl', 'online-safety-lead'];
const REFUSED = 'The setup check is for Lantern admins, DSLs, deputy DSLs and the online-safety lead.';

/** `setup check`: whether Lantern can do its job today, for the people who set it up. */
export const setupModule: CapabilityModule = {
  create(services: Services) {
    // Its own instance over the same table, with no memo: the check must show what is stored now.
    const directory = new PeopleDirectory(services.tables, 0);
    const report = (roster: Roster) =>
      buildSetupReport({
        roster,
        directory,
        destinations: services.destinations,
        config: services.config,
        scheduler: services.scheduler,
        policies: () => summarisePolicies(policyFolder(services.environment.policyDir, services.config)),
        graphInstall: !!services.environment.graph,
      });
    const allowed = (turn: Turn, roster: Roster) => roster.has(turn.actor.personId, ...ALLOWED);
    return {
      name: 'setup',
      commands: [
        {
          name: 'setup check',
          pattern: /^(setup|set up|setup check|set-up check|check setup)$/i,
          // Not "set up …": "set up a class blog" may be a question.
          usage: { prefix: /^(?:setup check|set-up check|check setup) .+$/i, text: 'Type **setup check** on its own: it shows whether I can reach every role holder and which channels are registered.' },
          async run(turn, _match, roster) {
            if (!allowed(turn, roster)) {
              await turn.send(REFUSED);
              return;
            }
            const card = setupCard(await report(roster), roster.config.school.timezone);
            if (turn.place.kind === 'personal') {
              await turn.send({ card });
              return;
            }
            // It names people and what is wrong with their accounts: never into a channel or group.
            const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, { card });
            await turn.send(sent ? 'The setup check lists people, so I sent it to you in a 1:1 chat.' : 'The setup check lists people, so it is shown only in a 1:1 chat: open Lantern in Teams and type **setup check** there.');
          },
        },
      ],
      actions: {
        'setup.check': async (_action, turn, roster) => {
          if (!allowed(turn, roster)) return { message: REFUSED };
          if (turn.place.kind !== 'personal') return { message: 'The setup check is shown only in a 1:1 chat with Lantern.' };
          return { card: setupCard(await report(roster), roster.config.school.timezone) };
        },
      },
      help(actor, roster) {
        return roster.has(actor.personId, ...ALLOWED) ? [{ title: 'Check the setup', command: 'setup check', description: 'Whether Lantern can reach every role holder 1:1, which channels are registered, and more.', group: 'admin' }] : [];
      },
    };
  },
};
