import type { Command, Services } from '../chat/capability';

/** `away on` / `away off`: a DSL or deputy on leave hands new cases to the others in their sections. */
export function awayCommand(services: Services): Command {
  return {
    name: 'incident-away',
    pattern: /^away (on|off)$/i,
    async run(turn, match, roster) {
      const id = turn.actor.personId;
      if (!id || !roster.has(id, 'dsl', 'deputy-dsl')) {
        await turn.send('Only DSLs and deputy DSLs can mark themselves away here. Nothing was changed.');
        return;
      }
      const away = match[1].toLowerCase() === 'on';
      await services.config.setAway(id, away, { id, name: turn.actor.name }, 'set in chat');
      const now = await services.config.current();
      const lines = now.safeguardingSections(id).map((s) => `${s.name}: ${now.onDutyFor(s.name).map((p) => p.name).join(', ') || 'no one'}`);
      await turn.send(`${away ? "You're marked away." : 'Welcome back: you are no longer marked away.'} New cases now go to ${lines.join('; ')}.`);
    },
  };
}
