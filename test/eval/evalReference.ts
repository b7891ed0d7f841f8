import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './inputError';

/**
 * `npm run eval:reference -- <policies-dir> [--dev-qa <dev-qa.json>]`: the retrieval floors on real
 * schools' policies, which live outside the repository (CI has them in ../shared). Kept out of
 * `npm test` so a fresh clone passes on its own; run by .ci/run whenever the folder is there.
 * Exits non-zero when its input is missing, so it can never pass by checking nothing.
 */
function parseArgs(argv: string[]): { dir: string; devQa?: string } {
  const usage = 'usage: npm run eval:reference -- <policies-dir> [--dev-qa <dev-qa.json>]';
  const devQaAt = argv.indexOf('--dev-qa');
  const devQa = devQaAt >= 0 ? argv[devQaAt + 1] : undefined;
  if (devQaAt >= 0 && !devQa) throw new InputError(`--dev-qa needs a file\n${usage}`);
  const positional = argv.filter((a, i) => !a.startsWith('--') && (devQaAt < 0 || i !== devQaAt + 1));
  if (positional.length !== 1) throw new InputError(`eval:reference needs the folder of reference policies\n${usage}`);
  const dir = path.resolve(positional[0]);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`eval:reference: ${dir} is not a folder`);
  if (devQa && !existsSync(devQa)) throw new InputError(`eval:reference: ${path.resolve(devQa)} not found`);
  return { dir, devQa: devQa && path.resolve(devQa) };
}

async function main(): Promise<number> {
  const { dir, devQa } = parseArgs(process.argv.slice(2));
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.')).sort();
  if (files.length === 0) throw new InputError(`eval:reference: ${dir} is empty; give it the reference policies`);
  // Loaded only once the input is known to be there, so a usage error answers at once.
  const { runReferenceChecks } = await import('./referenceChecks.js');
  return runReferenceChecks(dir, files, devQa);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof InputError ? err.message : err);
    process.exit(err instanceof InputError ? 2 : 1);
  },
);
