import assert from 'node:assert/strict';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

describe('acknowledgement commands typed without their document (e2e)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());

  for (const typed of ['export acknowledgements', 'export acknowledgements csv', 'Export acknowledgements xlsx']) {
    it(`"${typed}" asks which document, instead of a policy search`, async () => {
      const said = (await h.say(people.dpo, typed)).map(visibleText).join('\n');
      assert.doesNotMatch(said, /couldn't find a rule|policies/i, said);
      assert.match(said, /Which document\?[\s\S]*\*\*export acknowledgements /, said);
    });
  }
});
