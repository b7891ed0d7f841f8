import assert from 'node:assert/strict';
import { visibleText } from '../support/cards';
import type { BenchScenario } from './scenario';

/** The baseline every other figure is compared with: the cheapest full turn (a card reply). */
export const helpScenario: BenchScenario = {
  name: 'help',
  async turn(h, user) {
    const replies = await h.say(user, 'help');
    assert.match(visibleText(replies[0]), /What Lantern can do for you/);
  },
};
