import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CapabilityModule } from '../../bot/chat/capability';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { startLantern } from '../../bot/lantern';
import { readSettings } from '../../bot/settings';
import { startEmbeddedTables } from '../../bot/storage/embeddedAzurite';
import { visibleText } from '../support/cards';
import { FakeConnector } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { messageActivity, personalChat } from '../support/teamsChannel';

/** A tiny capability that uses per-user turn memory and can be made slow, for these tests only. */
const probeModule: CapabilityModule = {
  create: () => ({
    name: 'probe',
    commands: [
      { name: 'remember', pattern: /^remember (.+)$/i, run: async (turn, m) => { turn.memory.set('note', m[1]); await turn.send('noted'); } },
      { name: 'recall', pattern: /^recall$/i, run: async (turn) => { await turn.send(`note: ${turn.memory.get<string>('note') ?? 'none'}`); } },
      { name: 'slow', pattern: /^slow$/i, run: async (turn) => { await new Promise((r) => setTimeout(r, 400)); await turn.send('slow done'); } },
    ],
  }),
};

describe('lifecycle: restart, health, shutdown', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('keeps per-user conversation state and the roster across a restart', async () => {
    h = await startHarness({ modules: [probeModule] });
    await h.say(people.seniorDsl, 'remember Year 9 trip');
    await h.restart();
    assert.equal(visibleText((await h.say(people.seniorDsl, 'recall'))[0]), 'note: Year 9 trip');
    assert.match(visibleText((await h.say(people.seniorDsl, 'help'))[0]), /Daniel Khan — DSL \(Senior\), online-safety lead/);
  });

  it('keeps using the stored roster after a restart without SCHOOL_CONFIG', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-cfg-'));
    const file = path.join(dir, 'school.yaml');
    await writeFile(file, (await readFile(EXAMPLE_CONFIG, 'utf8')).replace('name: Hollins Park School', 'name: Elm Street Academy'));
    h = await startHarness({ env: { SCHOOL_CONFIG: file } });
    assert.match(visibleText((await h.say(people.teacher, 'help'))[0]), /Elm Street Academy/);
    // The file is gone from the environment; the configuration stored in Tables is used.
    h.env.SCHOOL_CONFIG = '';
    await h.restart();
    assert.match(visibleText((await h.say(people.teacher, 'help'))[0]), /Elm Street Academy/);
  });

  it('reports storage health on /healthz', async () => {
    h = await startHarness();
    const res = await fetch(`${h.lantern.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('finishes an in-flight turn before stopping', async () => {
    h = await startHarness({ modules: [probeModule] });
    const pending = h.say(people.teacher, 'slow');
    await new Promise((r) => setTimeout(r, 100));
    await h.lantern.stop();
    const replies = await pending;
    assert.equal(visibleText(replies[0]), 'slow done');
  });

  it('tells the user their input is kept when storage stops answering, and /healthz says so', async () => {
    const azurite = await startEmbeddedTables();
    const connector = await new FakeConnector().start();
    const lantern = await startLantern(readSettings({ PORT: '0', TABLES_CONNECTION_STRING: azurite.connectionString }), { log: () => undefined, startScheduler: false });
    try {
      await azurite.stop();
      const health = await fetch(`${lantern.url}/healthz`);
      assert.equal(health.status, 503);
      assert.deepEqual(await health.json(), { status: 'unavailable' });
      const conversation = personalChat(people.teacher);
      await fetch(`${lantern.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(connector.url, people.teacher, conversation, 'help')) });
      const said = connector.messagesIn(conversation.id).map((s) => s.activity.text).join('\n');
      assert.match(said, /couldn't reach Lantern's storage.*What you entered is kept/s);
      assert.doesNotMatch(said, /at .*\.ts:\d+/, 'no stack trace in chat');
    } finally {
      await lantern.stop();
      await connector.stop();
    }
  });
});

describe('Bot Framework authentication', () => {
  it('with BOT_ID set, refuses a request that carries no valid token and runs nothing', async () => {
    // A bot registered with Teams must be given its school: it never starts as the example by itself.
    const h = await startHarness({ env: { SCHOOL_CONFIG: EXAMPLE_CONFIG, BOT_ID: '5f1d2c3b-0000-4000-8000-000000000000', BOT_PASSWORD: 'not-a-real-secret', BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: 'tenant-hollins' } });
    try {
      const res = await h.post(messageActivity(h.connector.url, people.teacher, personalChat(people.teacher), 'help'));
      assert.equal(res.status, 401);
      assert.equal(h.connector.sent.length, 0);
    } finally {
      await h.stop();
    }
  });
});
