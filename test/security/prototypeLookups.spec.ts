import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isOwnKey, own, setOwn } from '../../bot/core/ownLookup';
import { findRiskyLookups } from './prototypeLookups';

describe('security: no user string is a property lookup on a plain object', function () {
  // Type-checking the whole of bot/ takes a few seconds on a busy machine.
  this.timeout(120_000);

  it('finds no `key in table` or `table[key]` with a free string key anywhere in bot/', () => {
    const found = findRiskyLookups(path.resolve(__dirname, '../..'));
    assert.deepEqual(found.map((f) => `${f.file}:${f.line} ${f.text}`), []);
  });

  it('the check itself catches each risky pattern (so the test above can fail)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-lookups-'));
    await mkdir(path.join(dir, 'bot'));
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['bot/**/*.ts'] }));
    await writeFile(
      path.join(dir, 'bot', 'risky.ts'),
      [
        "const MODES = { video: 'Video', audio: 'Audio' } as const;",
        "const WORDS: Record<string, string> = { teh: 'the' };",
        'export const a = (mode: string) => mode in MODES;',
        'export const b = (w: string) => WORDS[w] ?? w;',
        'export const c = (m: string) => MODES[m as keyof typeof MODES];',
        'export const d = (t: Record<string, unknown>, k: string, v: unknown) => { t[k] = v; };',
        "export const safe = (xs: string[], i: number, m: Map<string, string>, k: string) => [xs[i], m.get(k), WORDS['teh'], `${k}`];",
      ].join('\n'),
    );
    const found = findRiskyLookups(dir).map((f) => f.line);
    assert.deepEqual(found, [3, 4, 5, 6]);
  });

  it('own(), isOwnKey() and setOwn() see only own entries', () => {
    const table: Record<string, string> = { video: 'Video' };
    for (const key of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      assert.equal(own(table, key), undefined, key);
      assert.equal(isOwnKey(table, key), false, key);
    }
    assert.equal(own(table, 'video'), 'Video');
    setOwn(table, '__proto__', 'plain text');
    assert.equal(own(table, '__proto__'), 'plain text');
    assert.equal(Object.getPrototypeOf(table), Object.prototype, 'the prototype was not replaced');
  });
});
