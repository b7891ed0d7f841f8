import assert from 'node:assert/strict';
import { visibleText } from '../../support/cards';
import { people } from '../../support/people';
import { teamChannel } from '../../support/teamsChannel';
import { PUPIL_DETAILS, shown } from '../../incidents/reportSteps';
import type { BenchScenario } from '../scenario';

const progress = new Map<string, { step: number; ref?: string }>();

/**
 * The incident form as a reporter and a DSL drive it, one activity per timed turn, cycling per
 * user: start → safety gate → category → details (the case is created, routed and posted) → the
 * DSL claims it (ETag write, channel card updated in place).
 */
export const scenario: BenchScenario = {
  name: 'incidents',
  async setup(h) {
    await h.say(people.dpo, 'register dsl Senior', teamChannel('Safeguarding Senior'));
    await h.say(people.seniorDsl, 'help');
  },
  async turn(h, user) {
    const state = progress.get(user.id) ?? { step: 0 };
    progress.set(user.id, state);
    switch (state.step) {
      case 0:
        assert.match(visibleText((await h.say(user, 'report an incident'))[0]), /Is a child in immediate danger\?/);
        break;
      case 1:
        assert.match(shown(await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' })), /Who is involved\?/);
        break;
      case 2:
        assert.match(shown(await h.click(user, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' })), /What happened\? Facts only/);
        break;
      case 3: {
        const receipt = shown(await h.click(user, 'incident.next', { step: 'details', ...PUPIL_DETAILS }));
        state.ref = /(INC-\d{4}-\d{4})/.exec(receipt)?.[1];
        assert.ok(state.ref, receipt.slice(0, 200));
        break;
      }
      case 4:
        assert.match(shown(await h.click(people.seniorDsl, 'incident.claim', { ref: state.ref })), /Status\s+Acknowledged/);
        break;
    }
    state.step = (state.step + 1) % 5;
  },
};
