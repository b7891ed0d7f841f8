import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { incidentsModule } from '../../bot/incidents';
import { setupModule } from '../../bot/setup';
import { cardOf, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { addToStaffTeam, changeStaffTeam, raiseDangerAlert, setupCheck } from './reachSteps';

const everyone = Object.values(people);

describe('setup check', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule, setupModule] });
  });
  afterEach(async () => h.stop());

  it('lists a DSL Lantern cannot reach and a channel that is not registered, with what to do', async () => {
    await addToStaffTeam(h, everyone.filter((m) => m !== people.prePrepDsl), people.dpo);
    await h.say(people.dpo, 'register dsl Senior', teamChannel('Safeguarding Senior'));
    const text = await setupCheck(h);
    assert.match(text, /Tom Jones — DSL \(Pre-Prep\)\nno — in no team with Lantern and has not chatted with it\nTo do: Add Lantern to a team they are in, or ask them to open Lantern in Teams, or turn on Graph installation/);
    assert.match(text, /Laura Morris — deputy DSL \(Senior\)\nyes — through the team roster \(Staff\)/);
    assert.match(text, /Daniel Khan — DSL \(Senior\), online-safety lead\nyes — has a 1:1 chat with Lantern/);
    assert.match(text, /safeguarding cases for one section \(Senior\): Safeguarding › Safeguarding Senior/);
    assert.match(text, /safeguarding cases for one section \(Prep\): not registered\nTo register: in that channel type @Lantern register dsl Prep/);
    assert.match(text, /web-filter change requests for IT: not registered\nTo register: in that channel type @Lantern register it/);
    assert.match(text, /1 of 14 role holders cannot be reached 1:1; 6 of 7 channels are not registered; the scheduler has not run/);
    assert.match(text, /Policies\n3 documents, \d+ sections/);
    assert.match(text, /Configuration\n.*school\.example\.yaml, stored \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d\n/);
    assert.match(text, /Teams\nStaff \(15 members, 13 in the configuration/);
    await h.lantern.services.scheduler.runDue();
    assert.match(await setupCheck(h), /Scheduler\nlast ran \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d/);
  });

  it('shows a 1:1 that Teams refused, with the reason and when', async () => {
    h.connector.refusing.set(people.seniorDeputy.id, { status: 403, code: 'BotDisabledByAdmin', message: 'The bot is blocked for this user.' });
    await addToStaffTeam(h, everyone, people.dpo);
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.match(gate, /Not reached in Teams: Laura Morris/);
    const text = await setupCheck(h);
    assert.match(text, /Laura Morris — deputy DSL \(Senior\)\nno — the last attempt was refused\nLast refusal: Teams refused on \d{4}-\d\d-\d\dT[\d:.]+Z: 403 BotDisabledByAdmin: The bot is blocked for this user\.\nTo do: Check Lantern is allowed for them in the Teams admin centre/);
    // Unblocked: the next alert gets through and the refusal becomes history.
    h.connector.refusing.clear();
    assert.match(await raiseDangerAlert(h, 'Senior', people.teacher2), /I have alerted: .*Laura Morris/);
    assert.match(await setupCheck(h), /Laura Morris — deputy DSL \(Senior\)\nyes — has a 1:1 chat with Lantern\nLast refusal: Teams refused on .* \(reached again on \d{4}-/);
  });

  it('shows someone removed from the staff team as gone', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    await changeStaffTeam(h, people.dpo, { removed: [people.prepDsl] });
    assert.match(await setupCheck(h), /Priya Green — DSL \(Prep\)\nno — left every team Lantern is in \(\d{4}-/);
  });

  it('refuses an ordinary teacher and shows them nothing', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    const replies = await h.say(people.teacher, 'setup check');
    assert.equal(replies.length, 1);
    assert.equal(cardOf(replies[0]), undefined);
    assert.equal(visibleText(replies[0]), 'The setup check is for Lantern admins, DSLs, deputy DSLs and the online-safety lead.');
    const pressed = await h.click(people.teacher, 'setup.check');
    assert.equal(pressed.body?.value, 'The setup check is for Lantern admins, DSLs, deputy DSLs and the online-safety lead.');
  });

  it('typed in a channel, answers in the 1:1 chat and puts no names in the channel', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    const channel = teamChannel('IT');
    const inChannel = await h.say(people.dpo, 'setup check', channel);
    assert.deepEqual(inChannel.map((r) => visibleText(r)), ['The setup check lists people, so I sent it to you in a 1:1 chat.']);
    const opened = h.connector.created.find((c) => c.parameters?.members?.[0]?.id === people.dpo.id)!;
    assert.match(visibleText(h.connector.messagesIn(opened.id).at(-1)), /Lantern setup check[\s\S]*Daniel Khan/);
    assert.equal(h.connector.messagesIn(personalChat(people.dpo).id).length, 0);
  });

  it('npm run setup:check prints the same check as text from the tables', async () => {
    await addToStaffTeam(h, everyone.filter((m) => m !== people.prePrepDsl), people.dpo);
    const script = path.resolve(__dirname, '../../bot/setup/setupCheckScript.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...h.env } });
    assert.match(stdout, /People with a role: 13 of 14 reachable 1:1 now/);
    assert.match(stdout, /NO   Tom Jones \(DSL \(Pre-Prep\)\): no — in no team with Lantern/);
    assert.match(stdout, /OK   Daniel Khan .*through the team roster \(Staff\)/);
    assert.match(stdout, /NO   safeguarding cases for one section \(Senior\): not registered — in that channel type: @Lantern register dsl Senior/);
    assert.match(stdout, /Scheduler: has not run yet/);
  });
});
