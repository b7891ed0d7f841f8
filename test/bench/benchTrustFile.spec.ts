import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { settingsBlocks } from '../../bot/capabilities';
import { readTrustFile } from '../../bot/trust/readTrustFile';
import { writeBenchTrust } from './benchTrustFile';

// The benchmark's trust is generated at run time; this keeps the generator in step with the real schema
// (npm run bench:trust itself stays out of npm test).
describe('bench:trust generator (30 schools, 6,000 people)', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-trust-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a trust file the real trust schema accepts, with every school its own roster and policy folder', async () => {
    const written = await writeBenchTrust(dir, { schools: 30, people: 6000 });
    const trust = await readTrustFile(written.file, settingsBlocks());
    assert.ok(trust, 'read as a trust file');
    assert.equal(trust.schools.length, 30);
    assert.equal(trust.schools.reduce((n, s) => n + s.validated.school.people.length, 0), 6000);
    assert.equal(new Set(trust.schools.map((s) => s.validated.school.school.name)).size, 30);
    assert.ok(trust.trust?.policiesDir && (await readdir(trust.trust.policiesDir)).length > 0, 'trust-wide policies');
    const all = trust.schools;
    for (const [i, school] of all.entries()) {
      const own = written.schools[i];
      assert.equal(school.id, own.id);
      assert.ok(school.validated.school.sections.length >= 2, `${school.id}: sections`);
      assert.equal(school.policies, own.policies);
      const texts = await Promise.all((await readdir(school.policies!)).map((f) => readFile(path.join(school.policies!, f), 'utf8')));
      assert.equal(texts.length, 2, `${school.id}: its two own policies (the staff policy is the trust's)`);
      assert.ok(texts.every((t) => t.includes(own.name) && !t.includes('Hollins Park')), `${school.id}: its own name in its policies`);
      // The bench's conversations are ordinary staff, each listed by exactly one school.
      assert.ok(own.staff.length > 100);
      const listing = all.filter((s) => s.validated.school.people.some((p) => p.aadObjectId === own.staff[0].aadObjectId));
      assert.deepEqual(listing.map((s) => s.id), [school.id]);
    }
  });

  it('writes the same rosters without policies, and a one-school trust of the first school', async () => {
    const bare = await readTrustFile((await writeBenchTrust(dir, { schools: 30, people: 6000, policies: false })).file, settingsBlocks());
    assert.ok(bare!.schools.every((s) => s.policies === undefined) && bare!.trust?.policiesDir === undefined);
    const one = await writeBenchTrust(path.join(dir, 'one'), { schools: 30, people: 6000, only: 1 });
    const single = await readTrustFile(one.file, settingsBlocks());
    assert.deepEqual(single!.schools.map((s) => [s.id, s.validated.school.people.length]), [[bare!.schools[0].id, 200]]);
  });
});
