import assert from 'node:assert/strict';
import { ClientSecretCredential } from '@azure/identity';
import sinon from 'sinon';
import { incidentsModule } from '../../bot/incidents';
import { setupModule } from '../../bot/setup';
import { visibleText } from '../support/cards';
import { FakeGraph, GRAPH_TOKEN } from '../support/fakeGraph';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { addToStaffTeam, raiseDangerAlert, setupCheck } from './reachSteps';

const CATALOG_ID = 'catalog-lantern-0001';

describe('Graph installation (GRAPH_INSTALL=on) for people in no team with Lantern', () => {
  let h: Harness;
  let graph: FakeGraph;
  beforeEach(async () => {
    graph = await new FakeGraph().start();
    // Entra ID's token endpoint cannot run here: only the credential is stubbed; Graph is served locally.
    sinon.stub(ClientSecretCredential.prototype, 'getToken').resolves({ token: GRAPH_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 });
    h = await startHarness({
      modules: [incidentsModule, setupModule],
      env: { GRAPH_INSTALL: 'on', TEAMS_APP_CATALOG_ID: CATALOG_ID, GRAPH_BASE_URL: graph.url, GRAPH_CLIENT_ID: 'graph-app', GRAPH_CLIENT_SECRET: 'secret', GRAPH_TENANT_ID: 'tenant-hollins' },
    });
    for (const m of Object.values(people)) graph.addUser(m);
    // The staff team lists everyone but the Senior DSL.
    await addToStaffTeam(h, Object.values(people).filter((m) => m !== people.seniorDsl), people.dpo);
  });
  afterEach(async () => {
    sinon.restore();
    await h.stop();
    await graph.stop();
  });

  it('installs Lantern for the DSL through Graph and delivers the danger alert in the chat that opens', async () => {
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.match(gate, /I have alerted: .*Daniel Khan, Laura Morris/);
    assert.deepEqual(graph.installs, [{ userId: people.seniorDsl.aadObjectId, body: { 'teamsApp@odata.bind': `${graph.url}/v1.0/appCatalogs/teamsApps/${CATALOG_ID}` } }]);
    assert.match(visibleText(h.connector.messagesIn(graph.chatOf(people.seniorDsl)).at(-1)), /URGENT: a child may be in immediate danger/);
    const audited = await h.lantern.services.audit.history('person', people.seniorDsl.aadObjectId);
    assert.deepEqual(audited.map((e) => [e.action, e.actor.name]), [['person.app-installed', 'Lantern']]);
    // Known from then on: the next message goes straight to that chat, no second install.
    await raiseDangerAlert(h, 'Senior', people.teacher2);
    assert.equal(graph.installs.length, 1);
    assert.equal(h.connector.messagesIn(graph.chatOf(people.seniorDsl)).length, 2);
    const check = await setupCheck(h, people.dpo);
    assert.match(check, /Daniel Khan — DSL \(Senior\), online-safety lead\nyes — installed through Graph, 1:1 chat open/);
    assert.match(check, /Graph installation\non/);
  });

  it('records a refusal when Graph blocks the install, and the alert says who was not reached', async () => {
    graph.blocked.add(people.seniorDsl.aadObjectId);
    const gate = await raiseDangerAlert(h, 'Senior');
    assert.match(gate, /Not reached in Teams: Daniel Khan/);
    const check = await setupCheck(h, people.dpo);
    assert.match(check, /Daniel Khan — DSL \(Senior\), online-safety lead\nno — the last attempt was refused\nLast refusal: Graph refused on [\dT:.Z-]+: Graph install: 403 refused \(app blocked by policy or permission not granted\) — Forbidden: The app is blocked/);
  });

  it('records a user Graph no longer knows (left the school)', async () => {
    graph.users.delete(people.seniorDsl.aadObjectId.toLowerCase());
    await raiseDangerAlert(h, 'Senior');
    const check = await setupCheck(h, people.dpo);
    assert.match(check, /Last refusal: Graph refused on [\dT:.Z-]+: Graph user: 404 user not found in Entra ID \(left the school\?\)/);
  });
});
