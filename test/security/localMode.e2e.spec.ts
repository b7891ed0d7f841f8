import assert from 'node:assert/strict';
import { startEmbeddedTables, type EmbeddedTables } from '../../bot/storage/embeddedAzurite';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

describe('security: local mode listens on loopback only', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('binds 127.0.0.1 without BOT_ID and says so in the log', async () => {
    const logged: string[] = [];
    h = await startHarness({ log: (m) => logged.push(m) });
    assert.match(h.lantern.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const line = logged.find((m) => m.startsWith('listening on'));
    assert.match(line ?? '', new RegExp(`^listening on http://127\\.0\\.0\\.1:${h.lantern.port}/api/messages \\(local mode.*authentication off`));
    assert.ok(!logged.some((m) => /WARNING/.test(m)));
  });

  it('opens to every interface only when HOST says so, with a warning that authentication is off', async () => {
    const logged: string[] = [];
    h = await startHarness({ env: { HOST: '0.0.0.0' }, log: (m) => logged.push(m) });
    assert.match(logged.find((m) => m.startsWith('listening on')) ?? '', /^listening on http:\/\/0\.0\.0\.0:\d+\/api\/messages \(every interface; /);
    assert.ok(logged.some((m) => /WARNING: HOST=0\.0\.0\.0 opens the bot to the network with authentication off/.test(m)));
  });
});

describe('security: storage down', () => {
  let h: Harness;
  let tables: EmbeddedTables;
  const logged: string[] = [];
  before(async () => {
    tables = await startEmbeddedTables();
    h = await startHarness({ env: { TABLES_CONNECTION_STRING: tables.connectionString }, log: (m) => logged.push(m) });
    await tables.stop();
  });
  after(async () => h?.stop());

  it('/healthz says only "unavailable": no storage address, no error text', async () => {
    const res = await fetch(`${h.lantern.url}/healthz`);
    assert.equal(res.status, 503);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), { status: 'unavailable' });
    assert.ok(logged.some((m) => /health check: storage unavailable/.test(m)), 'the reason goes to the log');
  });

  for (const [verb, data] of [
    ['filter.start', {}],
    ['filter.approve', { reference: 'FLT-2026-0001', step: 'authorise' }],
    ['incident.start', {}],
    ['incident.claim', { reference: 'INC-2026-0001' }],
    ['tutor.start', {}],
    ['no.such-verb', {}],
  ] as const) {
    it(`answers a ${verb} press with HTTP 200 and a message saying nothing was saved`, async () => {
      const res = await h.click(people.teacher, verb, data);
      assert.equal(res.status, 200);
      assert.equal(res.body?.statusCode, 200);
      assert.equal(res.body?.type, 'application/vnd.microsoft.activity.message');
      assert.match(String(res.body?.value), /couldn't reach Lantern's storage/);
    });
  }
});
