import assert from 'node:assert/strict';
import { ConfigError } from '../../bot/config/configErrors';
import { readSettings } from '../../bot/settings';

describe('Graph installation settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      readSettings(env);
      return [];
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return String((err as Error).message);
    }
  };

  it('is off unless GRAPH_INSTALL=on', () => {
    assert.equal(readSettings({}).graph, undefined);
    assert.equal(readSettings({ GRAPH_INSTALL: 'off', TEAMS_APP_CATALOG_ID: 'x' }).graph, undefined);
  });

  it('defaults to the bot registration and the public Graph', () => {
    const s = readSettings({ GRAPH_INSTALL: 'on', TEAMS_APP_CATALOG_ID: 'cat', BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TENANT_ID: 'tid' });
    assert.deepEqual(s.graph, { baseUrl: 'https://graph.microsoft.com', catalogAppId: 'cat', tenantId: 'tid', clientId: 'bot', clientSecret: 'pw', authorityHost: undefined });
  });

  it('uses the managed identity when there is no secret', () => {
    const s = readSettings({ GRAPH_INSTALL: 'on', TEAMS_APP_CATALOG_ID: 'cat', GRAPH_CLIENT_ID: 'mi' });
    assert.equal(s.graph?.clientId, 'mi');
    assert.equal(s.graph?.clientSecret, undefined);
  });

  it('names the variable that is missing or wrong', () => {
    assert.match(String(problems({ GRAPH_INSTALL: 'on', GRAPH_CLIENT_ID: 'mi' })), /TEAMS_APP_CATALOG_ID: required with GRAPH_INSTALL=on/);
    assert.match(String(problems({ GRAPH_INSTALL: 'maybe' })), /GRAPH_INSTALL: "maybe" must be on or off/);
    assert.match(String(problems({ GRAPH_INSTALL: 'on', TEAMS_APP_CATALOG_ID: 'cat' })), /GRAPH_CLIENT_ID: required/);
    assert.match(String(problems({ GRAPH_INSTALL: 'on', TEAMS_APP_CATALOG_ID: 'cat', GRAPH_CLIENT_ID: 'a', GRAPH_CLIENT_SECRET: 's' })), /GRAPH_TENANT_ID: required/);
    assert.match(String(problems({ GRAPH_BASE_URL: 'graph.local' })), /GRAPH_BASE_URL: must be an http\(s\):\/\/ URL/);
  });
});
