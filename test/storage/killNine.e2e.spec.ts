import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../bot/storage/auditLog';
import { startEmbeddedTables } from '../../bot/storage/embeddedAzurite';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { weekStart } from '../../bot/calendar/schoolTime';
import { TutorLogStore } from '../../bot/tutoring/tutorLogStore';
import { ensureBuilt, startBot, waitForUrl } from '../support/botProcess';
import { cardText } from '../support/cards';
import { FakeConnector } from '../support/fakeConnector';
import { people } from '../support/people';
import { invokeActivity, personalChat } from '../support/teamsChannel';

describe('the embedded table store after kill -9 (npm start with no settings)', function () {
  this.timeout(90_000);
  let connector: FakeConnector;
  before(async () => {
    ensureBuilt();
    connector = await new FakeConnector().start();
  });
  after(async () => connector.stop());

  it('keeps a tutor log the bot said was logged, though the process was killed at once', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-kill-'));
    const bot = startBot({ PORT: '0', LANTERN_DATA_DIR: dataDir });
    const url = await waitForUrl(bot.output, bot.exited);
    const today = new Date().toISOString().slice(0, 10);
    const session = { id: '', group: '9B', date: today, time: '08:45', mode: 'in-person', attended: 24, absentees: '', topic: 'Kill nine', concern: 'false' };
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(invokeActivity(connector.url, people.teacher, personalChat(people.teacher), 'tutor.save', session)),
    });
    const answer = (await res.json()) as { value?: Record<string, unknown> };
    assert.match(cardText(answer.value), /Logged: 9B tutor session/);
    bot.child.kill('SIGKILL'); // at once: only the table journal has it (Azurite alone would save on a five-second timer)
    assert.equal(await bot.exited, null);

    const tables = await startEmbeddedTables(dataDir);
    try {
      const provisioner = new TableProvisioner(endpointFromConnectionString(tables.connectionString, 'check'));
      const logs = await new TutorLogStore(provisioner).week(weekStart(today));
      assert.deepEqual(logs.map((l) => l.topic), ['Kill nine']);
      const history = await new AuditLog(provisioner).history('tutor-log', logs[0].id);
      assert.deepEqual(history.map((e) => e.action), ['tutor-log.created']);
    } finally {
      await tables.stop();
    }
  });
});
