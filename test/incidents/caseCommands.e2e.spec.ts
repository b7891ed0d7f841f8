import assert from 'node:assert/strict';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

/** A DSL typing the case commands with the reference missing or mistyped. */
describe('case commands typed with a missing or malformed reference (e2e)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());

  const reply = async (text: string) => (await h.say(people.seniorDsl, text)).map(visibleText).join('\n');

  for (const typed of ['case xyz', 'open case 2026-0001', 'show case INC2026-1', 'export case 🙂', 'export case INC-26-1']) {
    it(`"${typed}" says what a case reference looks like, not that a button failed`, async () => {
      const said = await reply(typed);
      assert.doesNotMatch(said, /button/i, said);
      assert.match(said, /INC-2026-0001/, said);
      assert.match(said, /Nothing was changed|is not a case reference/, said);
    });
  }

  for (const typed of ['case', 'open case', 'show case']) {
    it(`"${typed}" with no reference asks which case, instead of a policy search`, async () => {
      const said = await reply(typed);
      assert.doesNotMatch(said, /policies|rule/i, said);
      assert.match(said, /Which case\?[\s\S]*INC-2026-0001/, said);
    });
  }
});
