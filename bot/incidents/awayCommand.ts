import type { ActionHandler, Command, Services } from '../chat/capability';
import type { Actor, ActionResult } from '../chat/turn';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';

const ONLY_DSLS = 'Only DSLs and deputy DSLs can mark themselves away here. Nothing was changed.';

/** "Senior: Laura Morris": who receives each of the person's sections' new cases in `roster`. */
function coverLines(personId: string, roster: Roster): Array<{ section: string; who: string; self: boolean }> {
  return roster.safeguardingSections(personId).map((s) => {
    const onDuty = roster.onDutyFor(s.name);
    return { section: s.name, who: onDuty.map((p) => p.name).join(', ') || 'no one', self: onDuty.some((p) => p.id === personId) };
  });
}

/**
 * What would happen, before it does: the cover is worked out from the routing rules on a copy of
 * the roster with this one flag switched, so the card names the people who will really receive
 * the person's new cases.
 */
export function awayConfirmCard(personId: string, away: boolean, roster: Roster, notice = ''): AdaptiveCard {
  const lines = coverLines(personId, roster.withAwayFlag(personId, away));
  const uncovered = away ? lines.filter((l) => l.self).map((l) => l.section) : [];
  return renderCard('away-confirm', {
    heading: away ? 'Mark yourself away?' : 'Mark yourself back?',
    lead: away ? 'While you are away, new cases in your sections go to:' : 'When you are back, new cases in your sections go to:',
    lines: lines.map((l) => ({ title: l.section, value: l.who })),
    warning: uncovered.length ? `Nobody else is on duty for ${uncovered.join(', ')}: new cases there will still come to you. Ask the Head to name a deputy.` : '',
    notice,
    away,
    confirmTitle: away ? 'Yes, mark me away' : 'Yes, mark me back',
    done: false,
  });
}

function resultCard(heading: string, text: string): AdaptiveCard {
  return renderCard('away-confirm', { heading, lead: text, lines: [], warning: '', notice: '', away: false, confirmTitle: '', done: true });
}

const canBeAway = (actor: Actor, roster: Roster) => !!actor.personId && roster.has(actor.personId, 'dsl', 'deputy-dsl');

/** `away on` / `away off`: a DSL or deputy on leave hands new cases to the others in their sections, after confirming who. */
export function awayCommand(services: Services): Command {
  return {
    name: 'incident-away',
    pattern: /^away (on|off)$/i,
    // "away" alone, or on/off with a word or two after it; a longer message is a question ("away on a trip, can I…").
    usage: { prefix: /^away(?: (?:on|off)(?: \S+){1,2})?$/i, text: 'To change where your new cases go, type **away on** when you go on leave or **away off** when you are back, with nothing after it. I show who will cover and ask you to confirm first.' },
    async run(turn, match, roster) {
      if (!canBeAway(turn.actor, roster)) return void (await turn.send(ONLY_DSLS));
      const away = match[1].toLowerCase() === 'on';
      // Nothing changes until the button: routing a DSL's cases elsewhere is too important for one typed word.
      await turn.send({ card: awayConfirmCard(turn.actor.personId!, away, roster) });
    },
  };
}

/** The confirm button: card data only says what was asked; role and the stored flag are read again now. */
export function awayActions(services: Services): Record<string, ActionHandler> {
  return {
    'incident.away': async (action, turn, roster): Promise<ActionResult> => {
      if (!canBeAway(turn.actor, roster)) return { message: ONLY_DSLS };
      const id = turn.actor.personId!;
      if (action.data.choice === 'cancel') return { card: resultCard('Nothing changed', 'Your new cases keep going where they went before.') };
      if (typeof action.data.away !== 'boolean') return { message: "That button's data was not understood, so nothing was changed." };
      const away = action.data.away;
      if ((await services.config.awayNow(id)) === away) {
        return { card: resultCard(away ? 'Already marked away' : 'Already marked back', `You were already marked ${away ? 'away' : 'back'}. Nothing was changed.`) };
      }
      await services.config.setAway(id, away, { id, name: turn.actor.name }, 'confirmed in chat');
      const now = await services.config.current();
      const lines = coverLines(id, now).map((l) => `${l.section}: ${l.who}`);
      return { card: resultCard(away ? "You're marked away" : 'Welcome back', `${away ? "You're marked away." : 'You are no longer marked away.'} New cases now go to ${lines.join('; ')}. Type **away ${away ? 'off' : 'on'}** to change it.`) };
    },
  };
}
