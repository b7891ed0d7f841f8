import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Campaigns } from '../../bot/acknowledgements/campaigns';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { cardOf, cardText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { writeSchoolFile } from '../support/schoolFiles';
import { TEAMS_LIKE, Throttle } from '../support/throttle';
import { addToStaffTeam } from '../reach/reachSteps';
import { EXAMPLE_TRUST, trustMembers } from '../trust/trustPeople';
import { cardCounter } from './largeSchool';
import { REQUEST_TITLE, startCampaign } from './steps';

const PER_SCHOOL = 40;
/**
 * Teams' limit is scaled down so that this machine's speed cannot hide a breach: the app may ask
 * for 8 requests a second and Teams answers 429 above 10, while each school allows 30 cards a
 * second (about 60 requests): paced alone, either school would go far over it.
 */
const CARDS_PER_SECOND = 30;
const APP_REQUESTS_PER_SECOND = 8;
const LIMITS = { ...TEAMS_LIKE, perSecond: 10 };

/** The example trust with `n` generated staff in each school, each school's acknowledgements at 30 cards/s. */
async function trustWithStaff(n: number): Promise<{ file: string; staff: Record<string, Member[]>; audience: Record<string, number> }> {
  const raw = YAML.parse(readFileSync(EXAMPLE_TRUST, 'utf8'));
  const base = path.dirname(EXAMPLE_TRUST);
  if (raw.trust.policies) raw.trust.policies = path.resolve(base, raw.trust.policies);
  const staff: Record<string, Member[]> = {};
  raw.schools.forEach((school: any, s: number) => {
    school.policies = EXAMPLE_POLICIES;
    const domain = school.people[0].email.split('@')[1];
    staff[school.id] = Array.from({ length: n }, (_, i) => {
      const id = `${school.id.slice(0, 3)}${String(i + 1).padStart(4, '0')}`;
      return { id: `29:${id}`, name: `${school.id} Staff ${i + 1}`, email: `${id}@${domain}`, aadObjectId: `66666666-000${s}-4000-8000-${(i + 1).toString(16).padStart(12, '0')}` };
    });
    school.people.push(...staff[school.id].map((m) => ({ id: m.id.slice(3), name: m.name, email: m.email })));
    school.acknowledgements = { cardsPerSecond: CARDS_PER_SECOND };
  });
  const audience = Object.fromEntries(raw.schools.map((school: any) => [school.id, school.people.length]));
  return { file: await writeSchoolFile(YAML.stringify(raw), 'trust.yaml'), staff, audience };
}

function campaignsOfSchool(h: Harness, school: string): Campaigns {
  const runtime = h.lantern.schools.find((s) => s.id === school)!;
  const cap = runtime.capabilities.find((c) => c.name === 'acknowledgements') as unknown as { campaigns: Campaigns };
  return cap.campaigns;
}

describe("two schools of a trust broadcasting at once share the app's one Teams budget (e2e over HTTP, Azurite)", function () {
  this.timeout(180_000);
  let h: Harness;
  afterEach(async () => h?.stop());

  it('both campaigns complete, one card each, within the app rate, the schools sharing it as they go', async () => {
    const { file, staff, audience } = await trustWithStaff(PER_SCHOOL);
    h = await startHarness({ env: { SCHOOL_CONFIG: file, POLICY_DIR: EXAMPLE_POLICIES, TEAMS_REQUESTS_PER_SECOND: String(APP_REQUESTS_PER_SECOND) } });
    const m = trustMembers(file);
    const everyone = Object.values(m);
    for (const member of everyone) h.connector.addMember(member);
    await addToStaffTeam(h, everyone, m.jellis);
    const cards = cardCounter(h.connector);
    const throttle = new Throttle(LIMITS);
    h.connector.throttle = throttle;

    // Each school's admin starts a campaign to all its staff, one straight after the other.
    const schools = { ashgrove: m.aholt, brookfield: m.tnash };
    await Promise.all(
      Object.entries(schools).map(async ([id, admin]) => {
        const { reply } = await startCampaign(h, admin, { audience: 'all', due: '2099-01-31' });
        assert.match(reply, new RegExp(`Started: ${audience[id]} people`), `${id}: ${reply}`);
      }),
    );
    const target = audience.ashgrove + audience.brookfield;
    await h.connector.waitFor(() => cards.count() >= target, 'every card of both campaigns', 150_000);
    for (const id of Object.keys(schools)) {
      const queue = campaignsOfSchool(h, id).worker.queue;
      for (let i = 0; (await queue.nextDue()) !== undefined && i < 200; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await queue.nextDue(), undefined, `${id}: nothing left to send`);
    }

    // One card per person per campaign (the IT manager of both schools gets one from each).
    assert.equal(cards.count(), target, 'one card per person per campaign');
    assert.equal(cards.perConversation.size, target - 1, 'everyone reached (the IT manager of both schools in one chat)');
    for (const school of Object.keys(staff)) for (const member of staff[school]) assert.ok(h.connector.created.some((c) => c.parameters?.members?.[0]?.id === member.id), `${member.name} reached`);

    // Within the app's rate: paced alone, the schools would be answered 429 by the dozen.
    const attempted = throttle.requests.length;
    assert.ok(throttle.throttled <= Math.ceil(attempted * 0.02), `429s: ${throttle.throttled} of ${attempted} requests`);

    // Shared as they go, not one school after the other: each has cards in the first half.
    const firstHalf = h.connector.sent.filter((s) => REQUEST_TITLE.test(cardText(cardOf(s)))).slice(0, Math.floor(target / 2));
    const chatsOf = (school: string) => new Set(h.connector.created.filter((c) => staff[school].some((s) => s.id === c.parameters?.members?.[0]?.id)).map((c) => c.id));
    for (const school of Object.keys(staff)) {
      const mine = chatsOf(school);
      const early = firstHalf.filter((s) => mine.has(s.conversationId)).length;
      assert.ok(early >= PER_SCHOOL / 4, `${school}: ${early} of its cards in the first half`);
    }
  });
});
