import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../bot/projectRoot';

export const CARDS_DIR = join(PROJECT_ROOT, 'cards');
export const SAMPLES_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'card-samples');

/** The `<name>` of every `<name>.json` in a folder, sorted; none when the folder is missing. */
export const jsonNames = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : [];

/**
 * A template's sample data: the file holds one data object, or an array of them to cover `$when`
 * branches. A missing file fails unless `optional`, when it gives no samples.
 */
export function loadSamples(name: string, dir = SAMPLES_DIR, optional = false): object[] {
  const file = join(dir, `${name}.json`);
  if (optional && !existsSync(file)) return [];
  assert.ok(
    existsSync(file),
    `cards/${name}.json has no sample data: add test/fixtures/card-samples/${name}.json (see the README there)`,
  );
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const samples = Array.isArray(parsed) ? parsed : [parsed];
  assert.ok(samples.length > 0, `${file} is an empty array`);
  for (const s of samples) assert.ok(typeof s === 'object' && s !== null && !Array.isArray(s), `${file}: each sample must be a JSON object`);
  return samples as object[];
}
