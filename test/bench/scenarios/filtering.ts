import assert from 'node:assert/strict';
import { addDays, isoDate } from '../../../bot/filtering/dates';
import { cardText, visibleText } from '../../support/cards';
import type { InvokeResult } from '../../support/harness';
import { people } from '../../support/people';
import { teamChannel } from '../../support/teamsChannel';
import type { BenchScenario } from '../scenario';

const progress = new Map<string, { step: number; ref?: string }>();

function form() {
  const today = isoDate(new Date());
  return {
    targetKind: 'website',
    url: 'https://www.bench-archive.example.org/sources?x=1',
    category: '',
    change: 'unblock',
    audience: 'year',
    audienceDetail: 'Year 10',
    duration: 'temporary',
    endDate: addDays(today, 14),
    reason: 'Year 10 history coursework: pupils need the primary sources archive.',
    neededBy: today,
  };
}

const shown = (res: InvokeResult) => (res.body?.type === 'application/vnd.microsoft.card.adaptive' ? cardText(res.body.value) : String(res.body?.value ?? ''));

/**
 * A filter change request from form to confirmation, one activity per timed turn, cycling per
 * user: open the form → check it (validation + draft) → send (reference, DSL card) → the DSL
 * sanctions → the IT manager authorises (channel card) → a technician records the change →
 * the deputy head confirms (review jobs scheduled). Each approval is an ETag write plus card updates.
 */
export const scenario: BenchScenario = {
  name: 'filtering',
  async setup(h) {
    for (const who of [people.seniorDsl, people.pastoralHead, people.technician]) await h.say(who, 'help');
    await h.say(people.itManager, 'register it', teamChannel('Filter Requests', 'IT'));
  },
  async turn(h, user) {
    const state = progress.get(user.id) ?? { step: 0 };
    progress.set(user.id, state);
    const step = (who: typeof people.seniorDsl, name: string, extra: Record<string, string> = {}) =>
      h.click(who, 'filter.approve', { reference: state.ref, step: name, comment: '', filterReference: '', ...extra });
    switch (state.step) {
      case 0:
        assert.match(visibleText((await h.say(user, 'request a filter change'))[0]), /Request a web filter change/);
        break;
      case 1:
        assert.match(shown(await h.click(user, 'filter.preview', form())), /Check your filter change request/);
        break;
      case 2: {
        const sent = shown(await h.click(user, 'filter.send'));
        state.ref = /Request (FLT-\d{4}-\d{4,6}) sent/.exec(sent)?.[1];
        assert.ok(state.ref, sent.slice(0, 200));
        break;
      }
      case 3:
        assert.match(shown(await step(people.seniorDsl, 'sanction')), /Sanctioned\. Thank you/);
        break;
      case 4:
        assert.match(shown(await step(people.itManager, 'authorise')), /Authorised\. Thank you/);
        break;
      case 5:
        assert.match(shown(await step(people.technician, 'make', { filterReference: `SW-${state.ref}` })), /Change made\. Thank you/);
        break;
      case 6:
        assert.match(shown(await step(people.pastoralHead, 'confirm')), /Confirmed\. Thank you/);
        break;
    }
    state.step = (state.step + 1) % 7;
  },
};
