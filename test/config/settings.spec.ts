import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError } from '../../bot/config/configErrors';
import { readSettings } from '../../bot/settings';

describe('environment settings', () => {
  it('runs locally with no settings: embedded storage, no authentication, port 3978', () => {
    const s = readSettings({});
    assert.equal(s.port, 3978);
    assert.equal(s.bot.appId, undefined);
    assert.deepEqual(s.storage, { kind: 'embedded', dataDir: path.resolve('.data') });
  });

  it('uses the Teams Toolkit names for the bot identity', () => {
    const s = readSettings({ BOT_ID: 'id', BOT_PASSWORD: 'pw', BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: 'tid' });
    assert.deepEqual(s.bot, { appId: 'id', password: 'pw', type: 'SingleTenant', tenantId: 'tid' });
    const msi = readSettings({ BOT_ID: 'id', BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: 'tid' });
    assert.equal(msi.bot.type, 'UserAssignedMSI');
  });

  it('chooses storage from TABLES_CONNECTION_STRING or TABLES_ENDPOINT', () => {
    assert.equal(readSettings({ TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).storage.kind, 'connection-string');
    const mi = readSettings({ TABLES_ENDPOINT: 'https://acct.table.core.windows.net', AZURE_CLIENT_ID: 'cid' });
    assert.deepEqual(mi.storage, { kind: 'managed-identity', endpoint: 'https://acct.table.core.windows.net', clientId: 'cid' });
  });

  it('names every bad variable at once', () => {
    try {
      readSettings({ PORT: 'eighty', BOT_ID: 'id', BOT_TYPE: 'SingleTenant', TABLES_ENDPOINT: 'http://insecure', TABLES_CONNECTION_STRING: 'x' });
      assert.fail('expected ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.problems.join('\n');
      assert.match(text, /^PORT: "eighty" is not a port number/m);
      assert.match(text, /^BOT_TENANT_ID: required when BOT_TYPE is SingleTenant/m);
      assert.match(text, /^BOT_PASSWORD: required/m);
      assert.match(text, /^TABLES_ENDPOINT: set either/m);
    }
  });

  it('reads the broadcast sender lease (15 s unless BROADCAST_LEASE_MS says), and names a bad one', () => {
    assert.equal(readSettings({}).broadcastLeaseMs, 15_000);
    assert.equal(readSettings({ BROADCAST_LEASE_MS: '3000' }).broadcastLeaseMs, 3000);
    for (const bad of ['500', 'soon', '600001']) {
      assert.throws(() => readSettings({ BROADCAST_LEASE_MS: bad }), (err: unknown) => err instanceof ConfigError && /^BROADCAST_LEASE_MS: whole milliseconds from 1000/m.test(err.problems.join('\n')));
    }
  });
});
