import assert from 'node:assert/strict';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { SCHOOLS, TWOFOLD, other, writeVisibilityTrust, type RoleKey, type SchoolFixture } from './visibilityTrust';
import { chooseSchool, seedSchool, type Seeded } from './visibilitySeed';
import { SURFACES, leakIn, markOf, seenSince, withoutEcho, type Viewer } from './visibilitySurfaces';

const ROLE_NAMES: Record<Viewer, string> = {
  dsl: 'DSL',
  deputy: 'deputy DSL',
  head: 'head',
  chair: 'chair of governors',
  it: 'IT manager',
  tech: 'IT technician',
  pastoral: 'deputy head (pastoral)',
  dpl: 'data-protection lead',
  admin: 'admin',
  staff: 'ordinary staff (in no roster)',
  twofold: 'listed in both schools',
};

/** Every viewer of the matrix: each school role of each school, and the person in both (once per school). */
const VIEWERS: Array<{ school: SchoolFixture; role: Viewer; who: Member }> = SCHOOLS.flatMap((school) => [
  ...(Object.keys(school.people) as RoleKey[]).map((role) => ({ school, role: role as Viewer, who: school.people[role] })),
  { school, role: 'twofold' as Viewer, who: TWOFOLD },
]);

describe('visibility by school: no role of one school sees anything of another (trust of two, e2e over HTTP)', function () {
  this.timeout(300_000);
  let h: Harness;
  const seeded = {} as Record<string, Seeded>;

  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: await writeVisibilityTrust() } });
    const everyone = [TWOFOLD, ...SCHOOLS.flatMap((s) => Object.values(s.people))];
    for (const m of everyone) h.connector.addMember(m);
    for (const m of everyone) await h.say(m, 'help');
    // Different numbers of filter requests, so a count taken across schools shows.
    seeded[SCHOOLS[0].id] = await seedSchool(h, SCHOOLS[0], 1);
    seeded[SCHOOLS[1].id] = await seedSchool(h, SCHOOLS[1], 2);
  });
  after(async () => h?.stop());

  for (const { school, role, who } of VIEWERS) {
    it(`${ROLE_NAMES[role]} of ${school.name}: ${SURFACES.length} surfaces show nothing of ${other(school).name}`, async () => {
      if (role === 'twofold') await chooseSchool(h, school);
      const look = { h, who, own: school, ownSeed: seeded[school.id], other: other(school), otherSeed: seeded[other(school).id] };
      const problems: string[] = [];
      for (const surface of SURFACES) {
        const mark = markOf(h);
        const seen = withoutEcho(await seenSince(h, who, mark, await surface.run(look)), surface.echo?.(look));
        if (process.env.VIS_DEBUG === role + school.id) console.log(`==== ${surface.name}\n${seen.slice(0, 1500)}`);
        const leak = leakIn(seen, other(school).leaks);
        if (leak) problems.push(`${surface.name}: shows ${leak}`);
        if (surface.shows?.roles.includes(role) && !surface.shows.what(school, look.ownSeed).test(seen)) problems.push(`${surface.name}: expected ${surface.shows.what(school, look.ownSeed)} in: ${seen.slice(0, 300)}`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
