import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { acknowledgementsModule } from '../../bot/acknowledgements';
import { LINK_FETCH, linkedDocument, readLinkVersion, versionOf } from '../../bot/acknowledgements/documents';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { startLocalServer, type LocalServer } from '../support/localServer';
import { people } from '../support/people';
import { addToStaffTeam } from '../reach/reachSteps';
import { campaignsOf, drained, requestsTo, startCampaign } from './steps';

const LOCAL = { ...LINK_FETCH, httpHosts: ['127.0.0.1'] };
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

describe('the version of a linked document (against a local HTTP server)', function () {
  this.timeout(60_000);
  let server: LocalServer;
  let body = 'Keeping children safe: part one, first edition.';
  before(async () => {
    server = await startLocalServer((req, res) => {
      const answer = (status: number, text = '', headers: Record<string, string> = {}) => {
        res.writeHead(status, headers);
        res.end(text);
      };
      if (req.url === '/guidance.pdf') return answer(200, body, { 'content-type': 'application/pdf' });
      if (req.url === '/big.pdf') return answer(200, 'x'.repeat(5000));
      if (req.url === '/slow.pdf') return void setTimeout(() => answer(200, body), 1500);
      if (req.url === '/moved.pdf') return answer(302, '', { location: '/guidance.pdf' });
      if (req.url === '/away.pdf') return answer(302, '', { location: 'http://elsewhere.example/guidance.pdf' });
      answer(404, 'not here');
    });
  });
  after(async () => server.stop());

  it('hashes the content: the same file is the same version, a changed file a new one', async () => {
    const doc = linkedDocument(`${server.url}/guidance.pdf`);
    const first = await readLinkVersion(doc, LOCAL);
    assert.equal(first.unread, undefined);
    assert.equal(first.version, sha(body));
    assert.notEqual(first.version, versionOf(doc.url!), 'not the hash of the address');
    assert.equal((await readLinkVersion(linkedDocument(`${server.url}/moved.pdf`), LOCAL)).version, first.version, 'a redirect to it is the same document');
    body = 'Keeping children safe: part one, second edition.';
    try {
      assert.notEqual((await readLinkVersion(doc, LOCAL)).version, first.version);
    } finally {
      body = 'Keeping children safe: part one, first edition.';
    }
  });

  it('falls back to a hash of the address, saying why, when the document cannot be read', async () => {
    const cases: Array<[string, Partial<typeof LOCAL>, RegExp]> = [
      ['/missing.pdf', {}, /its server answered 404/],
      ['/big.pdf', { maxBytes: 1000 }, /larger than/],
      ['/slow.pdf', { timeoutMs: 300 }, /did not arrive within 0.3 s/],
      ['/away.pdf', {}, /not https/],
    ];
    for (const [path, options, reason] of cases) {
      const doc = linkedDocument(`${server.url}${path}`);
      const version = await readLinkVersion(doc, { ...LOCAL, ...options });
      assert.match(version.unread ?? '', reason, path);
      assert.equal(version.version, versionOf(doc.url!), `${path}: the address's hash`);
    }
    // Plain http is fetched only from hosts allowed for a test: a school's links are https.
    assert.match((await readLinkVersion(linkedDocument(`${server.url}/guidance.pdf`))).unread ?? '', /not https/);
  });

  describe('in a campaign (end to end)', () => {
    let h: Harness;
    afterEach(async () => h.stop());

    it('shows the lead the content version on the form, and staff get the card with it', async () => {
      h = await startHarness({ modules: [acknowledgementsModule], env: { POLICY_DIR: EXAMPLE_POLICIES } });
      campaignsOf(h).linkFetch = LOCAL;
      const lead = people.seniorDsl;
      await h.say(lead, 'help');
      const team = [people.seniorDeputy, people.technician];
      await addToStaffTeam(h, team, people.dpo);
      const url = `${server.url}/guidance.pdf`;
      const { form } = await startCampaign(h, lead, { typed: url, audience: 'team:Staff', due: '2099-01-31' });
      assert.match(cardText(form), new RegExp(`Version\\n${sha(body)} \\(of the document's content\\)`));
      await drained(h);
      for (const m of team) {
        const cards = requestsTo(h, m, /Please read and acknowledge: guidance\.pdf/);
        assert.equal(cards.length, 1, `${m.name} got the card: ${h.connector.sent.map((s) => visibleText(s)).join(' | ').slice(0, 500)}`);
        assert.match(cardText(cardOf(cards[0])), new RegExp(`Version\\n${sha(body)}`));
      }
    });

    it('refuses a title longer than the form allows (the card limit is not the server\'s), and sends nothing', async () => {
      h = await startHarness({ modules: [acknowledgementsModule], env: { POLICY_DIR: EXAMPLE_POLICIES } });
      campaignsOf(h).linkFetch = LOCAL;
      const lead = people.seniorDsl;
      await h.say(lead, 'help');
      const replies = await h.say(lead, `ask staff to acknowledge ${server.url}/guidance.pdf`);
      const start = actionsOf(cardOf(replies.find((r) => cardOf(r)))).find((a) => a.verb === 'acks.start')!;
      const res = await h.click(lead, 'acks.start', { ...start.data, title: 'T'.repeat(5000), note: 'Please read.', audience: 'all', due: '2099-01-31' });
      const v = res.body?.value;
      assert.match(typeof v === 'string' ? v : cardText(v), /title can be up to 120 characters; yours has 5000/);
      assert.deepEqual(await campaignsOf(h).store.allCampaigns(), []);
    });

    it('tells the lead when the document cannot be read, and what that means for its version', async () => {
      h = await startHarness({ modules: [acknowledgementsModule], env: { POLICY_DIR: EXAMPLE_POLICIES } });
      campaignsOf(h).linkFetch = LOCAL;
      const replies = await h.say(people.seniorDsl, `ask staff to acknowledge ${server.url}/missing.pdf`);
      const text = cardText(cardOf(replies.find((r) => cardOf(r))));
      assert.match(text, /of the address only: Lantern could not read the document \(its server answered 404\), so a change to the file will not show as a new version/);
    });
  });
});
