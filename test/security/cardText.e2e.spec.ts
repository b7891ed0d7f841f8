import assert from 'node:assert/strict';
import { plainText } from '../../bot/cards/plainText';
import { CaseStore } from '../../bot/incidents/caseStore';
import { cardText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { act, filteringHarness, sendRequest, stored } from '../filtering/helpers';
import { fileReport, PUPIL_DETAILS } from '../incidents/reportSteps';
import { personalChat } from '../support/teamsChannel';

const RLO = '\u202E';
const ZWSP = '\u200B';
/** What a reporter might paste: a disguised link, an autolink, a bare address, a reversed file name, hidden characters. */
const TYPED = `He sent [the homework sheet](https://evil.example/x) and <https://evil.example/y>, see www.evil.example too. File: photo${RLO}gpj.exe, code a${ZWSP}b.`;

describe('security: reporter text is shown as text on cards', () => {
  it('turns links, direction overrides and invisible characters into plain visible text', () => {
    const shown = plainText(TYPED);
    assert.ok(!/\]\(|<https?:|https?:\/\/|www\./.test(shown), shown);
    assert.ok(!shown.includes(RLO) && !shown.includes(ZWSP), shown);
    assert.match(shown, /the homework sheet \(https\[:\]\/\/evil\.example\/x\)/);
    assert.match(shown, /photo⟨U\+202E⟩gpj\.exe/);
    assert.match(shown, /a⟨U\+200B⟩b/);
    // Ordinary text, emoji sequences and the form's own wording are left alone.
    for (const plain of ['Meet at 10:30, room 4.', 'Give a web address starting with http:// or https://.', 'family 👨‍👩‍👧 and 🏳️‍🌈', '**Bold** is fine']) assert.equal(plainText(plain), plain);
  });

  describe('on the DSL record card (e2e)', function () {
    this.timeout(60_000);
    let h: Harness;
    before(async () => {
      h = await startHarness();
      await h.say(people.seniorDsl, 'help');
    });
    after(async () => h?.stop());

    it('shows the description literally and stores it exactly as typed', async () => {
      const { ref } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: { ...PUPIL_DETAILS, description: TYPED, childsWords: `click [here](javascript:alert(1))${RLO}` } });
      const record = (await h.click(people.seniorDsl, 'incident.open', { ref })).body?.value;
      const text = cardText(record);
      assert.match(text, /He sent the homework sheet \(https\[:\]\/\/evil\.example\/x\)/);
      assert.match(text, /photo⟨U\+202E⟩gpj\.exe/);
      assert.ok(!/\]\(|https?:\/\/evil|javascript:|www\.evil/.test(text), text);
      assert.ok(![RLO, ZWSP].some((c) => JSON.stringify(record).includes(c)), 'no override or zero-width character anywhere on the card');
      const stored = await new CaseStore(h.lantern.services.tables, 'INC').get(ref);
      assert.equal(stored?.value.facts.description, TYPED);
      assert.equal(stored?.value.facts.childsWords, `click [here](javascript:alert(1))${RLO}`);
    });
  });
});

describe('security: user text in chat messages is shown as text (e2e)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => (h = await filteringHarness({ itChannel: false })));
  after(async () => h?.stop());

  it("a decline reason reaches the requester without a live link or override, and is stored as typed", async () => {
    const reference = await sendRequest(h, people.teacher);
    const comment = `Not suitable, see [the guidance](https://evil.example/g) ${RLO}txt.exe`;
    await act(h, people.seniorDsl, 'filter.decline', reference, 'sanction', { comment });
    const told = h.connector.messagesIn(personalChat(people.teacher).id).at(-1)?.activity.text ?? '';
    assert.match(told, /see the guidance \(https\[:\]\/\/evil\.example\/g\) ⟨U\+202E⟩txt\.exe/);
    assert.ok(!told.includes(RLO) && !/\]\(|https:\/\//.test(told), told);
    assert.equal((await stored(h, reference)).history.at(-1)?.reason, comment);
  });
});

