import { startHarness, type Harness } from '../support/harness';
import { ASH, BRK, SCHOOLS, TWOFOLD, writeVisibilityTrust } from './visibilityTrust';
import { seedSchool, type Seeded } from './visibilitySeed';

describe('visibility by school (e2e)', function () {
  this.timeout(300_000);
  let h: Harness;
  const seeded = {} as Record<string, Seeded>;
  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: await writeVisibilityTrust() } });
    const everyone = [TWOFOLD, ...SCHOOLS.flatMap((s) => Object.values(s.people))];
    for (const m of everyone) h.connector.addMember(m);
    for (const m of everyone) await h.say(m, 'help');
    seeded.ash = await seedSchool(h, ASH, 1);
    seeded.brk = await seedSchool(h, BRK, 2);
  });
  after(async () => h?.stop());
  it('seeds', () => console.log(seeded));
});
