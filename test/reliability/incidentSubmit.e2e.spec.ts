import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { escalationJobId } from '../../bot/incidents/submitReport';
import { DocumentTable } from '../../bot/storage/documentTable';
import { visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { fakeDate } from '../support/fakeDate';
import { FaultProxy } from '../support/faultProxy';
import { submitAtEveryFaultPoint } from '../support/faultPoints';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { people } from '../support/people';
import { sharedAzurite } from '../support/sharedAzurite';
import { invokeActivity, personalChat, teamChannel } from '../support/teamsChannel';
import { know, PUPIL_DETAILS, refIn, shown } from '../incidents/reportSteps';

const CHANNEL = teamChannel('Safeguarding Prep');
/** A filter bypass goes to the Prep DSL channel and 1:1 to the IT manager: one post of each kind. */
const details = (round: number) => ({ ...PUPIL_DETAILS, pupilYear: 'Year 5', description: `Round ${round}: pupil using a VPN app on a school laptop.` });

describe('incident "Send report" with storage cut at every point (e2e, fault proxy)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let h: Harness;
  before(async () => {
    proxy = await new FaultProxy().start((await sharedAzurite()).connectionString);
    h = await startHarness({ modules: [incidentsModule], env: { TABLES_CONNECTION_STRING: proxy.connectionString } });
    await h.say(people.dpo, 'register dsl Prep', CHANNEL);
    await know(h, people.itManager);
  });
  after(async () => {
    await h.stop();
    await proxy.stop();
  });

  const cases = async () => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case')).map((s) => s.value);
  /** Messages with this case's card in a conversation: the channel, or someone's 1:1 chats. */
  const cardsIn = (conversations: string[], ref: string) => h.connector.sent.filter((s) => conversations.includes(s.conversationId) && visibleText(s).includes(ref)).length;
  const chatsOf = (m: Member) => [personalChat(m).id, ...h.connector.created.filter((c) => c.parameters.members?.[0]?.id === m.id).map((c) => c.id)];

  /** Fills the form up to its last step, as the reporter does before pressing Send report. */
  async function upToDetails(user: Member): Promise<void> {
    await h.say(user, 'report an incident');
    await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Prep' });
    await h.click(user, 'incident.next', { step: 'category', category: 'filter-bypass', subject: 'pupil' });
  }

  it('makes exactly one case, audits it once, posts each card once, schedules its escalation and shows the receipt, whatever request fails', async () => {
    const user = people.teacher;
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: () => upToDetails(user),
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'incident.next', { step: 'details', section: 'Prep', ...details(0) }),
      check: async (round, answer) => {
        const receipt = shown(answer);
        const ref = refIn(receipt);
        assert.ok(ref, `round ${round}: no receipt in ${receipt.slice(0, 300)}`);
        assert.match(receipt, /Safeguarding Prep channel, Mark Cole/, `round ${round}: the receipt names where it went`);
        const all = await cases();
        assert.equal(all.length, round + 1, `round ${round}: one case per round`);
        const c = all.find((x) => x.ref === ref)!;
        assert.ok(c, `round ${round}: the receipt's case is stored`);
        const history = (await h.lantern.services.audit.history('incident', ref!)).map((e) => e.action);
        assert.deepEqual(history, ['case.reported', 'case.routed'], `round ${round}: audited once`);
        assert.equal(cardsIn([CHANNEL.id], ref!), 1, `round ${round}: one card in the DSL channel`);
        assert.equal(cardsIn(chatsOf(people.itManager), ref!), 1, `round ${round}: the IT manager told once`);
        assert.equal(c.posts.length, 2, `round ${round}: both cards recorded on the case for later updates`);
        assert.ok(await h.lantern.services.scheduler.get(escalationJobId(ref!)), `round ${round}: escalation scheduled`);
      },
    });
    console.log(`      incident submit: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });
});
