import assert from 'node:assert/strict';
import YAML from 'yaml';
import { acknowledgementsModule } from '../../bot/acknowledgements';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { Throttle } from '../support/throttle';
import { addToStaffTeam } from '../reach/reachSteps';
import { campaignsOf, drained, progressText, requestsTo, startCampaign } from './steps';

const team = [people.seniorDeputy, people.prepDsl, people.technician, people.hodMaths, people.pastoralHead, people.academicHead, people.prePrepDsl, people.technician2];
const lead = people.seniorDsl;

async function schoolWith(acknowledgements: Record<string, unknown>): Promise<string> {
  const raw = YAML.parse(exampleText());
  return writeSchoolFile(YAML.stringify({ ...raw, acknowledgements }));
}

describe('the broadcast queue under restarts and throttling (end to end)', function () {
  this.timeout(60_000);
  let h: Harness;
  afterEach(async () => h.stop());

  it('a restart in the middle of sending completes the round with no duplicates', async () => {
    h = await startHarness({ modules: [acknowledgementsModule], env: { SCHOOL_CONFIG: await schoolWith({ cardsPerSecond: 2 }), POLICY_DIR: EXAMPLE_POLICIES } });
    await h.say(lead, 'help');
    await addToStaffTeam(h, team, people.dpo);
    await startCampaign(h, lead, { audience: 'team:Staff', due: '2099-01-31' });
    await h.connector.waitFor(() => team.filter((m) => requestsTo(h, m).length).length >= 2, 'the first cards');
    await h.restart();
    const before = team.filter((m) => requestsTo(h, m).length).length;
    assert.ok(before < team.length, `the restart came mid-way (${before} of ${team.length} sent)`);
    await drained(h);
    for (const m of team) assert.equal(requestsTo(h, m).length, 1, `${m.name} got exactly one card`);
    await h.say(lead, 'acknowledgements staff acceptable use policy');
    assert.match(progressText(h, lead), /Acknowledged 0 of 8[\s\S]*Waiting to send\n0\nNot reached\n0/);
  });

  it('honours 429 and Retry-After from Teams: slows down, and still delivers every card once', async () => {
    h = await startHarness({ modules: [acknowledgementsModule], env: { SCHOOL_CONFIG: await schoolWith({ cardsPerSecond: 20 }), POLICY_DIR: EXAMPLE_POLICIES } });
    await h.say(lead, 'help');
    await addToStaffTeam(h, team, people.dpo);
    // Far below the 20 cards a second the school set: Teams' limit is what counts.
    const throttle = new Throttle({ perSecond: 6, perConversationPerSecond: 7, perConversationPer30s: 60, retryAfterSeconds: 1 });
    h.connector.throttle = throttle;
    await startCampaign(h, lead, { audience: 'team:Staff', due: '2099-01-31' });
    await drained(h);
    for (const m of team) assert.equal(requestsTo(h, m).length, 1, `${m.name} got exactly one card`);
    assert.ok(throttle.throttled > 0, 'the connector did throttle');
    assert.ok(campaignsOf(h).worker.totals.throttled > 0, 'the queue saw the 429s');
    // A sender that ignored Retry-After would meet far more refusals than it got through.
    assert.ok(throttle.throttled < throttle.accepted.length, `backed off: ${throttle.throttled} refused, ${throttle.accepted.length} taken`);
    assert.equal(campaignsOf(h).worker.totals.failed, 0, 'nobody was given up on because of throttling');
  });
});
