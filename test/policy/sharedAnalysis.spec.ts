import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { projectPath } from '../../bot/projectRoot';

const TRUST = projectPath('bot', 'trust', 'example', 'trust-policies');
const ASHGROVE = projectPath('bot', 'trust', 'example', 'ashgrove-policies');
const BROOKFIELD = projectPath('bot', 'trust', 'example', 'brookfield-policies');
const plain = (markdown: string) => markdown.replace(/\*\*/g, '');

// Each school's index holds the trust-wide policies, analysed once and shared (bot/policy/sectionAnalysis.ts):
// sharing must not change any answer, and a changed policy must never be answered from the old analysis.
describe('policy indexes of several schools sharing the trust-wide policies', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-shared-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("answers each school from its own policies and the trust's, with several schools' indexes alive together", async () => {
    const [ashgrove, brookfield] = await Promise.all([ASHGROVE, BROOKFIELD].map((s) => PolicyLibrary.fromDirectory(s, [TRUST])));
    const phones = (library: PolicyLibrary) => plain(library.answer('can pupils bring a mobile phone').quote);
    assert.match(phones(ashgrove), /hand it to the school office/);
    assert.match(phones(brookfield), /switched off and out of sight/);
    for (const library of [ashgrove, brookfield]) {
      const breach = library.answer('who do i tell about a data breach');
      assert.equal(breach.citation?.document, 'Trust Data Protection Policy');
      assert.match(plain(breach.quote), /tells the trust data protection officer the same day/);
    }
  });

  it("quotes a trust policy's new wording after it changes, in every school's rebuilt index", async () => {
    const trust = path.join(dir, 'trust');
    await cp(TRUST, trust, { recursive: true });
    const [first, second] = await Promise.all([ASHGROVE, BROOKFIELD].map((s) => PolicyLibrary.fromDirectory(s, [trust])));
    assert.match(plain(first.answer('who do i tell about a data breach').quote), /trust data protection officer/);
    const file = path.join(trust, 'trust-data-protection-policy.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('tells the trust data protection officer the same day', 'rings the trust compliance desk within the hour'));
    for (const library of [first, second]) {
      const rebuilt = await PolicyLibrary.fromDirectory(library.directory, [trust]);
      const quote = plain(rebuilt.answer('who do i tell about a data breach').quote);
      assert.match(quote, /rings the trust compliance desk within the hour/);
      assert.doesNotMatch(quote, /data protection officer the same day/);
    }
  });
});
