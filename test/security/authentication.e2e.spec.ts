import assert from 'node:assert/strict';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, messageActivity, personalChat } from '../support/teamsChannel';
import { TokenKeyServer } from '../support/tokenKeys';

const APP_ID = '5f1d2c3b-0000-4000-8000-000000000000';

describe('security: authentication comes first (BOT_ID set)', () => {
  let h: Harness;
  let keys: TokenKeyServer;
  const logged: string[] = [];

  before(async () => {
    keys = await new TokenKeyServer().start();
    h = await startHarness({
      env: { SCHOOL_CONFIG: EXAMPLE_CONFIG, BOT_ID: APP_ID, BOT_PASSWORD: 'not-a-real-secret', BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: 'tenant-hollins' },
      tokenKeys: keys.endpoints,
      log: (m) => logged.push(m),
    });
  });
  after(async () => {
    await h?.stop();
    await keys?.stop();
  });

  async function send(body: string, authorization?: string): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    const res = await fetch(`${h.lantern.url}/api/messages`, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }
  const help = () => JSON.stringify(messageActivity(h.connector.url, people.teacher, personalChat(people.teacher), 'help'));
  const claims = () => ({ aud: APP_ID, serviceurl: h.connector.url });

  const forged: Array<[string, () => string | undefined]> = [
    ['no Authorization header', () => undefined],
    ['an empty Bearer', () => 'Bearer '],
    ['a token of another scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['an alg:none token', () => `Bearer ${keys.algNone(claims())}`],
    ['an HS256 token keyed with the public key', () => `Bearer ${keys.hs256(claims())}`],
    ['an RS256 token signed with a foreign key under the published key id', () => `Bearer ${keys.foreignKey(claims())}`],
    ['a genuine signature for another app', () => `Bearer ${keys.valid({ ...claims(), aud: 'some-other-app' })}`],
    ['a genuine signature from another issuer', () => `Bearer ${keys.valid({ ...claims(), iss: 'https://attacker.example' })}`],
    ['an expired genuine token', () => `Bearer ${keys.valid({ ...claims(), expiresInSeconds: -3600 })}`],
  ];

  for (const [kind, token] of forged) {
    for (const [bodyKind, body] of [['a well-formed activity', help], ['{}', () => '{}'], ['a body that is not JSON', () => 'not json{']] as const) {
      it(`answers 401 to ${kind} with ${bodyKind}, and runs nothing`, async () => {
        const before = h.connector.sent.length;
        const res = await send(body(), token());
        assert.equal(res.status, 401, res.text);
        assert.equal(h.connector.sent.length, before);
      });
    }
  }

  it('accepts a token signed by the published key, then checks the body (400 for malformed bodies)', async () => {
    const token = `Bearer ${keys.valid(claims())}`;
    for (const body of ['not json{', '[]', '{}', '{"type": 7}', '{"type": ""}', 'null']) {
      const res = await send(body, token);
      assert.equal(res.status, 400, `${body}: ${res.status} ${res.text}`);
    }
    assert.ok(keys.keyFetches > 0, 'the local key endpoint was used');
  });

  it('accepts a token signed by the published key: a card press is answered as usual', async () => {
    const press = invokeActivity(h.connector.url, people.teacher, personalChat(people.teacher), 'tutor.save', { mode: 'x' });
    const res = await send(JSON.stringify(press), `Bearer ${keys.valid(claims())}`);
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /Choose in person, video on Teams or audio/);
    // The same press with a forged token is refused.
    assert.equal((await send(JSON.stringify(press), `Bearer ${keys.foreignKey(claims())}`)).status, 401);
  });

  it('refuses a genuine token whose serviceUrl claim does not match the activity', async () => {
    const token = `Bearer ${keys.valid({ aud: APP_ID, serviceurl: 'https://smba.example/elsewhere' })}`;
    const res = await send(help(), token);
    assert.equal(res.status, 401, res.text);
  });

  it('logs refusals without their token', () => {
    assert.ok(logged.some((m) => /refused a request without a valid Bot Framework token/.test(m)));
    assert.ok(!logged.some((m) => /eyJ/.test(m)), 'no token text in the log');
  });
});

describe('security: malformed bodies in local mode', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.stop());

  for (const body of ['not json{', '', '[]', 'null', '"text"', '{}', '{"type": 7}', '{"type": null}', '{"type": "message"}', '{"type": "invoke"}', '{"type": "message", "from": 5}']) {
    it(`answers ${JSON.stringify(body)} with a 2xx or a 400, never 5xx`, async () => {
      const res = await fetch(`${h.lantern.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.ok(res.status < 500, `${res.status} ${await res.text()}`);
      if (!/"type":\s*"/.test(body)) assert.equal(res.status, 400);
    });
  }
});
