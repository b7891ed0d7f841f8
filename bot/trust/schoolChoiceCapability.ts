import type { Capability, CommandRunner } from '../chat/capability';
import type { SchoolRouter } from './schoolRouter';
import { CHOOSE_SCHOOL } from './schoolRouter';

/**
 * In a trust of several schools: the answer to a choice card (the router has already checked the
 * school is one of the clicker's and remembered it) and `switch school`. The message someone sent
 * before they were asked runs now, in the school they chose.
 */
export function createSchoolChoiceCapability(school: { id: string; name: string }, router: () => SchoolRouter, commands: CommandRunner): Capability {
  return {
    name: 'school-choice',
    commands: [
      {
        name: 'switch school',
        pattern: /^(switch|change) schools?$/i,
        async run(turn) {
          const candidates = await router().schoolsOf(turn.actor);
          if (candidates.length < 2) {
            await turn.send(`You are listed only at ${school.name}, so this chat is for ${school.name}.`);
            return;
          }
          await router().forget(turn);
          await router().ask(turn, candidates, '');
        },
      },
    ],
    actions: {
      [CHOOSE_SCHOOL]: async (_action, turn) => {
        const typed = await router().takePending(turn);
        if (typed) await commands.run(typed, turn);
        return { message: `This chat is now for ${school.name}. Type **switch school** to change it.` };
      },
    },
    help: () => [{ title: 'Switch school', command: 'switch school', description: 'Choose which of your schools this chat is for.', group: 'more' }],
  };
}
