import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DocumentTable } from '../../bot/storage/documentTable';
import { startTablesWorker } from '../../bot/storage/embeddedAzurite';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { ensureBuilt, startBot, waitForUrl } from '../support/botProcess';
import { visibleText } from '../support/cards';
import { FakeConnector } from '../support/fakeConnector';
import { people } from '../support/people';
import { messageActivity, personalChat } from '../support/teamsChannel';

const refused = (url: string) => fetch(url).then(() => false, () => true);
const table = (connectionString: string) => new DocumentTable<{ n: number }>(new TableProvisioner(endpointFromConnectionString(connectionString, 'test')), 'things');

describe('the embedded table server in its own thread', function () {
  this.timeout(90_000);

  it('keeps its data on disk across a stop and start, and leaves no port open once stopped', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-worker-'));
    const first = await startTablesWorker(dataDir);
    await table(first.connectionString).create('p', 'r', { n: 7 });
    await first.stop();
    assert.ok(await refused(first.url), 'port closed after stop');

    const second = await startTablesWorker(dataDir);
    try {
      assert.equal((await table(second.connectionString).get('p', 'r'))?.value.n, 7);
    } finally {
      await second.stop();
    }
  });

  it('says clearly when it cannot start', async () => {
    const notADir = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-worker-')), 'file');
    await writeFile(notADir, 'x');
    await assert.rejects(startTablesWorker(notADir), /the embedded table server did not start: .*EEXIST|ENOTDIR/);
  });

  describe('npm start with no settings', () => {
    let connector: FakeConnector;
    before(async () => {
      ensureBuilt();
      connector = await new FakeConnector().start();
    });
    after(async () => connector.stop());

    for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
      it(`answers, and after ${signal} leaves neither the bot nor its table port behind`, async () => {
        const bot = startBot({ PORT: '0', LANTERN_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'lantern-start-')) });
        const url = await waitForUrl(bot.output, bot.exited);
        const tablesUrl = /embedded Azurite table server at (http:\/\/127\.0\.0\.1:\d+)/.exec(bot.output())?.[1];
        assert.ok(tablesUrl, bot.output());
        const conversation = personalChat(people.teacher);
        const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(connector.url, people.teacher, conversation, 'help')) });
        assert.equal(res.status, 200);
        assert.match(visibleText(connector.messagesIn(conversation.id).at(-1)), /What Lantern can do for you/);

        bot.child.kill(signal);
        assert.equal(await bot.exited, signal === 'SIGKILL' ? null : 0);
        assert.ok(await refused(url), 'bot port closed');
        assert.ok(await refused(tablesUrl), 'table port closed');
      });
    }
  });
});
