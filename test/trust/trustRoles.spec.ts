import assert from 'node:assert/strict';
import { settingsBlocks } from '../../bot/capabilities';
import { ConfigError } from '../../bot/config/configErrors';
import { readTrustFile } from '../../bot/trust/readTrustFile';
import { Roster } from '../../bot/config/roster';
import { trustOfficers } from '../../bot/trust/trustOfficers';
import { categoryById } from '../../bot/incidents/categories';
import { routeFor } from '../../bot/incidents/routing';
import { EXAMPLE_TRUST, exampleTrustWith } from './trustPeople';

async function schoolRosters(file = EXAMPLE_TRUST): Promise<Roster[]> {
  const trust = (await readTrustFile(file, settingsBlocks()))!;
  return trust.schools.map((s) => new Roster(s.validated.school, new Map(), trustOfficers(trust.trust)));
}

describe('trust roles in every school of the trust (roster)', () => {
  it("recognises the trust's people in each school and answers for their trust roles, without making them school staff", async () => {
    for (const roster of await schoolRosters()) {
      assert.equal(roster.find({ email: 'r.okafor@meridian.example.org' })?.id, 'rokafor');
      assert.deepEqual(roster.rolesOf('rokafor'), ['staff', 'trust-safeguarding-lead']);
      assert.equal(roster.trustHolder('itManager')?.id, 'bhale');
      assert.equal(roster.has('lmarsh', 'trust-ceo'), true);
      assert.equal(roster.has('pquinn', 'chair-of-trustees'), true);
      assert.equal(roster.has('rokafor', 'dsl', 'head', 'chair-of-governors'), false, 'a trust role grants no school role');
      assert.ok(!roster.config.people.some((p) => p.id === 'rokafor'), "the school's own list is unchanged");
      assert.ok(roster.everyone().some((p) => p.id === 'rokafor'));
      assert.equal(roster.trust?.headteacherAllegations, 'ceo');
    }
  });

  it('gives a trust role to the school person a school lists with the same email, under the school id', async () => {
    const file = await exampleTrustWith((raw) => raw.schools[0].people.push({ id: 'ruth', name: 'Ruth Okafor', email: 'r.okafor@meridian.example.org' }));
    const [ashgrove, brookfield] = await schoolRosters(file);
    assert.equal(ashgrove.trustHolder('safeguardingLead')?.id, 'ruth');
    assert.equal(ashgrove.person('rokafor'), undefined, 'one person, one id in each school');
    assert.equal(brookfield.trustHolder('safeguardingLead')?.id, 'rokafor');
  });

  it("refuses a trust file whose trust person's id names someone else in a school", async () => {
    const file = await exampleTrustWith((raw) => raw.schools[1].people.push({ id: 'bhale', name: 'Bea Hale', email: 'b.hale@brookfield.example.org' }));
    await assert.rejects(readTrustFile(file, settingsBlocks()), (err) => err instanceof ConfigError && err.problems.some((p) => /^schools\[1\]\.people: "bhale" is trust\.people\[1\]'s id, but names someone else here/.test(p)));
  });

  it('keeps a school file a trust of one: no trust roles, and headteacher allegations go to the Chair of Governors', async () => {
    const roster = (await schoolRosters())[0];
    const single = new Roster(roster.config);
    assert.equal(single.trustHolder('safeguardingLead'), undefined);
    assert.equal(single.isTrustOfficer('rokafor'), false);
    const misuse = categoryById('staff-misuse')!;
    assert.deepEqual(routeFor(misuse, 'head', undefined, single), { kind: 'chair', owners: ['gcross'], alsoTell: [], concerned: 'aholt' });
    assert.deepEqual(routeFor(misuse, 'head', undefined, roster), { kind: 'chair', owners: ['lmarsh'], alsoTell: [], concerned: 'aholt', chairRole: 'ceo' });
  });
});
