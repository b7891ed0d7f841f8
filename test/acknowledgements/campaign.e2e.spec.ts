import assert from 'node:assert/strict';
import { acknowledgementsModule } from '../../bot/acknowledgements';
import { cardOf, cardText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { addToStaffTeam } from '../reach/reachSteps';
import { acknowledge, drained, progressText, requestsTo, startCampaign } from './steps';

const team = [people.seniorDeputy, people.prepDsl, people.technician, people.hodMaths, people.pastoralHead];
const lead = people.seniorDsl; // the example school's online-safety lead

describe('acknowledgement campaigns (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [acknowledgementsModule] });
    await h.say(lead, 'help');
    await addToStaffTeam(h, team, people.dpo);
  });
  afterEach(async () => h.stop());

  it("sends one card to each member of a team, and nobody else", async () => {
    const { reply, form } = await startCampaign(h, lead, { audience: 'team:Staff', due: '2099-01-31' });
    assert.match(cardText(form), /members of the Teams team Staff/);
    assert.match(reply, /Started: 5 people \(members of the Teams team Staff\) will each get a card/);
    await drained(h);
    for (const m of team) assert.equal(requestsTo(h, m).length, 1, `${m.name} got exactly one card`);
    for (const m of [people.head, people.itManager, people.dpo]) assert.equal(requestsTo(h, m).length, 0, `${m.name} is not in the team`);
    const card = cardText(cardOf(requestsTo(h, people.hodMaths)[0]));
    assert.match(card, /What changed: Section 4 on personal devices is new\./);
    assert.match(card, /1\.1 Who this policy covers/, 'the section headings are on the card');
    assert.match(card, /I have read it and will follow it/);
    assert.match(progressText(h, lead), /Acknowledged 0 of 5/);
  });

  it('records an acknowledgement once however often it is pressed, and updates the progress card in place', async () => {
    await startCampaign(h, lead, { audience: 'team:Staff', due: '2099-01-31' });
    await drained(h);
    const card = requestsTo(h, people.hodMaths)[0];
    assert.match(await acknowledge(h, people.hodMaths, card), /Thank you: your acknowledgement is recorded/);
    assert.match(await acknowledge(h, people.hodMaths, card), /already acknowledged/);
    const round = String((await h.lantern.services.scheduler.pending('acks.overdue'))[0].payload.round);
    const history = await h.lantern.services.audit.history('acknowledgement-round', round);
    const recorded = history.filter((e) => e.action === 'acknowledgement.recorded');
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].actor.name, 'Chris Shaw');
    assert.deepEqual(recorded[0].detail?.card, { conversationId: card.conversationId, activityId: card.id });
    assert.match(progressText(h, lead), /Acknowledged 1 of 5/);
  });

  it('refuses staff who are not the lead or an admin, showing nothing', async () => {
    const replies = await h.say(people.teacher, 'ask staff to acknowledge staff acceptable use policy');
    assert.deepEqual(replies.map((r) => r.activity.text), ['Only the online-safety lead or a Lantern admin can run acknowledgement campaigns.']);
    await startCampaign(h, lead, { audience: 'team:Staff', due: '2099-01-31' });
    await drained(h);
    const card = requestsTo(h, people.hodMaths)[0];
    assert.match(await acknowledge(h, people.head, card), /not addressed to you/);
    const progress = await h.say(people.hodMaths, 'acknowledgements staff acceptable use policy');
    assert.doesNotMatch(progress.map((r) => r.activity.text).join(' '), /of 5/);
  });
});
