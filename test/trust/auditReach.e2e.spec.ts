import assert from 'node:assert/strict';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { EXAMPLE_TRUST, trustMembers } from './trustPeople';

const m = trustMembers();

describe('a trust: 999 before the school choice (e2e over HTTP, Azurite)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: EXAMPLE_TRUST } });
    for (const member of Object.values(m)) h.connector.addMember(member);
  });
  after(async () => h?.stop());

  for (const typed of ['report an incident', 'a pupil told me her stepdad hits her, what do I do?']) {
    it(`someone in both schools types "${typed}": the 999 line comes before "Which school is this for?"`, async () => {
      const shown = (await h.say(m.jellis, typed)).map(visibleText).join('\n---\n');
      assert.match(shown, /Which school is this for\?/);
      assert.match(shown, /call 999/);
      assert.ok(shown.indexOf('999') < shown.indexOf('Which school is this for?'), shown);
    });
  }
});
