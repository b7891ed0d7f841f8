import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { visibleText } from '../support/cards';
import { fileReport, PUPIL_DETAILS } from '../incidents/reportSteps';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { addToStaffTeam, changeStaffTeam, openedChatWith, raiseDangerAlert, STAFF_TEAM_ID } from './reachSteps';

const everyone = Object.values(people);

describe('reaching people through a team roster (day one, nobody has chatted)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  it('the danger alert reaches the Senior DSL and deputy 1:1 once Lantern is added to the staff team', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.match(gate, /I have alerted: .*Daniel Khan, Laura Morris/);
    for (const who of [people.seniorDsl, people.seniorDeputy]) {
      const chat = openedChatWith(h, who);
      assert.ok(chat, `a 1:1 was opened with ${who.name}`);
      assert.match(visibleText(h.connector.messagesIn(chat!).at(-1)), /URGENT: a child may be in immediate danger/);
      assert.equal(h.connector.created.find((c) => c.id === chat)!.parameters.tenantId, 'tenant-hollins');
    }
  });

  it('the full report reaches the section DSL 1:1 through the team roster too', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    const { receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /Sent to\s+Daniel Khan/);
    const chat = openedChatWith(h, people.seniorDsl);
    assert.ok(chat);
    assert.match(visibleText(h.connector.messagesIn(chat!).at(-1)), /Online-safety case INC-\d{4}-\d{4}/);
  });

  it('without the team roster the same DSL cannot be reached (what the roster fixes)', async () => {
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.doesNotMatch(gate, /I have alerted: .*Daniel Khan/);
    assert.equal(openedChatWith(h, people.seniorDsl), undefined);
  });

  it('reads every page of a large team, following the continuation token', async () => {
    h.connector.pageSize = 10;
    await addToStaffTeam(h, everyone, people.dpo);
    const pages = h.connector.pageRequests.filter((p) => p.conversationId === STAFF_TEAM_ID);
    assert.deepEqual(pages.map((p) => p.continuationToken), [undefined, 'page-10']);
    // The last page holds the Prep deputy (14th of the roster people): reachable too.
    const gate = await raiseDangerAlert(h, 'Prep');
    assert.match(gate, /I have alerted: .*Priya Green, Kiran Patel/);
  });

  it('marks someone removed from the team as gone, and no longer opens chats with them', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    await changeStaffTeam(h, people.dpo, { removed: [people.seniorDeputy] });
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.match(gate, /I have alerted: Daniel Khan\. Not reached in Teams: Laura Morris/);
    assert.equal(openedChatWith(h, people.seniorDeputy), undefined);
  });

  it('picks up someone who joins the team later', async () => {
    await addToStaffTeam(h, everyone.filter((m) => m !== people.seniorDeputy), people.dpo);
    await changeStaffTeam(h, people.dpo, { added: [people.seniorDeputy] });
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.match(gate, /I have alerted: .*Laura Morris/);
  });
});
