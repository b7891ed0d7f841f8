import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { cardOf, cardText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import YAML from 'yaml';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { said } from './reportCardSteps';

/** The commands a reply tells the person to type (its **bold** `report term …` parts). */
const suggested = (text: string) => [...text.matchAll(/\*\*(report term[^*]*)\*\*/g)].map((m) => m[1]);

describe('the termly report, asked for a period it cannot read (e2e, a school without term dates)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  before(async () => {
    clock = fakeDate('2026-11-25T10:00:00Z');
    h = await startHarness(); // the example school sets no school.termDates
  });
  after(async () => {
    await h?.stop();
    clock.restore();
  });

  for (const typed of ['report term autumn 2026', 'report term foo', 'termly report next term']) {
    it(`answers "${typed}" with advice that works when followed`, async () => {
      const reply = said(await h.say(people.head, typed))[0]?.activity.text ?? '';
      assert.match(reply, /No term dates are set/, 'says why a term name cannot be used');
      const commands = suggested(reply);
      assert.ok(commands.length, `suggests a command: ${reply}`);
      for (const command of commands) {
        const answer = said(await h.say(people.head, command))[0];
        assert.match(cardText(cardOf(answer)), /Termly safeguarding/, `"${command}" (as suggested) gave: ${answer?.activity.text}`);
      }
    });
  }
});

describe('the termly report before the first configured term has started (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  before(async () => {
    clock = fakeDate('2026-11-25T10:00:00Z');
    const raw = YAML.parse(exampleText());
    raw.school.termDates = [{ start: '2027-01-05', end: '2027-03-26' }];
    h = await startHarness({ env: { SCHOOL_CONFIG: await writeSchoolFile(YAML.stringify(raw)) } });
  });
  after(async () => {
    await h?.stop();
    clock.restore();
  });

  for (const typed of ['report term', 'report term winter 2026']) {
    it(`answers "${typed}" with advice that works when followed`, async () => {
      const reply = said(await h.say(people.head, typed))[0]?.activity.text ?? '';
      const commands = suggested(reply);
      assert.ok(commands.length, `suggests a command: ${reply}`);
      for (const command of commands) {
        const answer = said(await h.say(people.head, command))[0];
        assert.match(cardText(cardOf(answer)), /Termly safeguarding/, `"${command}" (as suggested) gave: ${answer?.activity.text}`);
      }
    });
  }
});
