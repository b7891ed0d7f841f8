import type { Command, Services } from '../chat/capability';
import { configReport, reportLines } from '../config/configReport';

export const CONFIG_CHECK_PATTERN = /^(config(uration)? check|check (the )?config(uration)?)$/i;

/**
 * `config check`: the configuration this instance started with, each value with its source, and
 * the blocks not set up. Admins only, and only 1:1, since it names who holds which role.
 */
export function configCheckCommand(services: Services): Command {
  return {
    name: 'config-check',
    pattern: CONFIG_CHECK_PATTERN,
    usage: { prefix: /^(?:config(?:uration)? check|check (?:the )?config(?:uration)?) .+$/i, text: 'Type **config check** on its own: it lists every setting in use and where it came from.' },
    async run(turn) {
      if (!turn.actor.roles.includes('admin')) {
        await turn.send('Only a Lantern admin can check the configuration. Ask your school\'s Lantern admin.');
        return;
      }
      if (turn.place.kind !== 'personal') {
        await turn.send('The configuration names who holds each role, so I show it only in a 1:1 chat: message me directly and type **config check**.');
        return;
      }
      const [first, ...rest] = reportLines(configReport(services.config.loaded(), services.config.schemas, services.config.describeSource()));
      await turn.send([first, '', ...rest.map((line) => `- ${line}`)].join('\n'));
    },
  };
}
