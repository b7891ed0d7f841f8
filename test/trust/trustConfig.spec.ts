import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { settingsBlocks } from '../../bot/capabilities';
import { ConfigError } from '../../bot/config/configErrors';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { readTrustFile } from '../../bot/trust/readTrustFile';
import { writeSchoolFile } from '../support/schoolFiles';

import { EXAMPLE_TRUST, exampleTrustWith as trustFile } from './trustPeople';
const exampleTrust = () => YAML.parse(readFileSync(EXAMPLE_TRUST, 'utf8'));

async function problemsOf(file: string): Promise<string[]> {
  try {
    await readTrustFile(file, settingsBlocks());
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected the trust file to be refused');
}

describe('trust configuration (a trust file lists its schools)', () => {
  it('reads the example trust: each school validated as a school file, with its own policies, and the trust roles', async () => {
    const trust = await readTrustFile(EXAMPLE_TRUST, settingsBlocks());
    assert.ok(trust?.partitioned);
    assert.deepEqual(trust.schools.map((s) => [s.id, s.validated.school.school.name]), [['ashgrove', 'Ashgrove Primary School'], ['brookfield', 'Brookfield Academy']]);
    assert.equal(trust.schools[1].validated.school.sections[1].dsl, 'dlowe');
    assert.equal((trust.schools[0].validated.settings.incidents as { referencePrefix: string }).referencePrefix, 'ASH');
    assert.match(trust.schools[0].policies!, /ashgrove-policies$/);
    assert.equal(trust.trust!.roles.safeguardingLead, 'rokafor');
    assert.equal(trust.trust!.headteacherAllegations, 'ceo');
    assert.match(trust.trust!.policiesDir!, /trust-policies$/);
  });

  it('is not used for a school file: that stays a trust of one, read as before', async () => {
    assert.equal(await readTrustFile(EXAMPLE_CONFIG, settingsBlocks()), undefined);
    assert.equal(await readTrustFile(undefined, settingsBlocks()), undefined);
  });

  it("names the bad field inside a school's block, e.g. schools[1].sections[0].dsl", async () => {
    const problems = await problemsOf(await trustFile((raw) => (raw.schools[1].sections[0].dsl = 'nobody')));
    assert.deepEqual(problems, ['schools[1].sections[0].dsl: "nobody" is not listed in people']);
  });

  it('names zod problems of a school, capability settings of a school and trust-level problems, all at once', async () => {
    const problems = await problemsOf(
      await trustFile((raw) => {
        delete raw.schools[0].roles.head;
        raw.schools[1].incidents.referencePrefix = 'brook';
        raw.trust.roles.ceo = 'ghost';
        raw.schools[1].id = 'ashgrove';
      }),
    );
    assert.ok(problems.includes('schools[0].roles.head: Required'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('schools[1].incidents.referencePrefix: ')), problems.join('\n'));
    assert.ok(problems.includes('trust.roles.ceo: "ghost" is not listed in trust.people'), problems.join('\n'));
    assert.ok(problems.includes('schools[1].id: "ashgrove" is also the id of schools[0]'), problems.join('\n'));
  });

  it('refuses a school id that cannot name partitions, and a trust without schools', async () => {
    assert.ok((await problemsOf(await trustFile((raw) => (raw.schools[0].id = 'Ash Grove')))).some((p) => p.startsWith('schools[0].id: ')));
    assert.ok((await problemsOf(await trustFile((raw) => (raw.schools = [])))).some((p) => p.startsWith('schools: ')));
  });

  it('takes a school from its own school file with `file`', async () => {
    const file = await trustFile((raw) => (raw.schools[1] = { id: 'hollins', file: EXAMPLE_CONFIG }));
    const trust = await readTrustFile(file, settingsBlocks());
    assert.equal(trust!.schools[1].validated.school.school.name, 'Hollins Park School');
    assert.equal(trust!.schools[1].source, EXAMPLE_CONFIG);
    const missing = await problemsOf(await trustFile((raw) => (raw.schools[1] = { id: 'gone', file: './no-such-school.yaml' })));
    assert.ok(missing.some((p) => p.startsWith('schools[1].file: ')), missing.join('\n'));
  });
});
