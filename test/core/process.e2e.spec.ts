import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { Destinations } from '../../bot/routing/destinations';
import { AuditLog } from '../../bot/storage/auditLog';
import { startEmbeddedTables } from '../../bot/storage/embeddedAzurite';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { ensureBuilt, startBot, waitForUrl } from '../support/botProcess';
import { visibleText } from '../support/cards';
import { FakeConnector } from '../support/fakeConnector';
import { people } from '../support/people';
import { messageActivity, personalChat, teamChannel } from '../support/teamsChannel';

describe('the compiled bot as a process (npm start)', function () {
  this.timeout(90_000);
  let connector: FakeConnector;

  before(async () => {
    ensureBuilt();
    connector = await new FakeConnector().start();
  });
  after(async () => connector.stop());

  it('starts with no settings, answers help, stops on SIGTERM and keeps its data on disk', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-data-'));
    const bot = startBot({ PORT: '0', LANTERN_DATA_DIR: dataDir });
    const url = await waitForUrl(bot.output, bot.exited);
    assert.match(bot.output(), /storage: embedded Azurite table server at http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1 \(data in /);
    assert.match(bot.output(), /local mode: no BOT_ID, authentication off/);

    const post = (activity: object) => fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const chat = personalChat(people.teacher);
    assert.equal((await post(messageActivity(connector.url, people.teacher, chat, 'help'))).status, 200);
    assert.match(visibleText(connector.messagesIn(chat.id).at(-1)), /What Lantern can do for you/);
    await post(messageActivity(connector.url, people.itManager, teamChannel('IT Requests', 'IT'), 'register it'));

    bot.child.kill('SIGTERM');
    assert.equal(await bot.exited, 0);
    assert.match(bot.output(), /SIGTERM: finishing in-flight turns, then stopping/);

    // The registration made before the stop is in the on-disk table store.
    const tables = await startEmbeddedTables(dataDir);
    try {
      const provisioner = new TableProvisioner(endpointFromConnectionString(tables.connectionString, 'check'));
      const dest = await new Destinations(provisioner, new AuditLog(provisioner)).get('it');
      assert.equal(dest?.registeredBy.id, 'mcole');
    } finally {
      await tables.stop();
    }
  });

  it('refuses to start with an invalid SCHOOL_CONFIG, naming the field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bad-'));
    const file = path.join(dir, 'school.yaml');
    await writeFile(file, (await readFile(EXAMPLE_CONFIG, 'utf8')).replace('itManager: mcole', 'itManager: jbloggs'));
    const bot = startBot({ PORT: '0', LANTERN_DATA_DIR: dir, SCHOOL_CONFIG: file });
    assert.equal(await bot.exited, 1);
    assert.match(bot.output(), /cannot start: .*school\.yaml is not valid:\n\s+- roles\.itManager: "jbloggs" is not listed in people/);
    assert.doesNotMatch(bot.output(), /listening on/);
  });
});
