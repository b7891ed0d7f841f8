import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { configCheck } from '../../bot/config/configCheck';
import { exportFilterLog } from '../../bot/filtering/exportFilterLog';
import { projectPath } from '../../bot/projectRoot';
import { setupCheckText } from '../../bot/setup/setupCheckScript';
import { PERIOD, type Seeded } from './visibilitySeed';
import { fileText } from './visibilitySurfaces';
import { other, type SchoolFixture } from './visibilityTrust';

export type Ran = { code: number; out: string };

/** A script as `npm run` runs it: tsx, in a process of its own. */
const tsx = (file: string, args: string[]) => (env: Record<string, string>) =>
  new Promise<Ran>((resolve) =>
    execFile(projectPath('node_modules', '.bin', 'tsx'), [projectPath(file), ...args], { cwd: projectPath(), env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, out: `${stdout}\n${stderr}` }),
    ),
  );

/** A script whose work is an exported function: called here, which spares a process on a busy machine. */
const inProcess = (work: (env: Record<string, string>) => Promise<unknown>) => async (env: Record<string, string>): Promise<Ran> => {
  try {
    const out = await work(env);
    return { code: 0, out: Array.isArray(out) ? out.join('\n') : JSON.stringify(out ?? '') };
  } catch (err) {
    return { code: 1, out: String(err) };
  }
};

/**
 * The export and report scripts for one school (LANTERN_SCHOOL), with what each must show of that
 * school. `fails` marks a run that must refuse: the other school's document is not this school's.
 */
export const SCRIPTS: Array<{ name: string; run(own: SchoolFixture, dir: string, seed: Seeded): (env: Record<string, string>) => Promise<Ran>; shows(own: SchoolFixture, seed: Seeded): RegExp; echo?(own: SchoolFixture): string; fails?: boolean }> = [
  {
    name: 'export:filter-log',
    run: (_s, dir) => inProcess((env) => exportFilterLog(path.join(dir, 'filter-log.csv'), env)),
    shows: (s, seed) => new RegExp(`^(?=[^]*"requests":${seed.filterRefs.length})(?=[^]*${s.marker.toLowerCase()}-history)(?=[^]*${s.marker} library PCs)`),
  },
  { name: 'export:tutor-log', run: (_s, dir, seed) => tsx('bot/tutoring/exportTutorLog.ts', ['--week', seed.week, '--out', path.join(dir, 'week.xlsx')]), shows: (s) => new RegExp(`^(?=[^]*${s.groups.shared})(?=[^]*${s.groups.own})(?=[^]*${s.marker} assembly practice)`) },
  { name: 'report:term', run: (_s, dir) => tsx('bot/report/reportTermScript.ts', ['--from', PERIOD.from, '--to', PERIOD.to, '--out', path.join(dir, 'pack')]), shows: (s) => new RegExp(`${s.name}[^]*Requests by kind`) },
  { name: 'export:acknowledgements', run: (s, dir) => tsx('bot/acknowledgements/exportAcknowledgements.ts', ['--document', s.document, '--out', path.join(dir, 'acks.xlsx')]), shows: (s) => new RegExp(`^(?=[^]*${s.people.deputy.name})(?=[^]*${s.people.dsl.name})`) },
  {
    name: "export:acknowledgements of the other school's document",
    run: (s, dir) => tsx('bot/acknowledgements/exportAcknowledgements.ts', ['--document', other(s).document, '--out', path.join(dir, 'acks.xlsx')]),
    shows: () => /no acknowledgement campaign for/,
    echo: (s) => other(s).document,
    fails: true,
  },
  { name: 'report:qa', run: () => tsx('bot/policy/reportQa.ts', []), shows: (s) => new RegExp(`${s.marker} minibus keys`) },
  { name: 'setup:check', run: () => inProcess(setupCheckText), shows: (s) => new RegExp(`${s.marker} DSL`) },
  { name: 'config:check', run: () => inProcess(configCheck), shows: (s) => new RegExp(`${s.name}[^]*${s.prefix}`) },
];

/** Runs one script; its exit code, what it printed, and every file it wrote (as a person reads them). */
export async function runScript(run: (env: Record<string, string>) => Promise<Ran>, env: Record<string, string>, dir: string): Promise<{ code: number; text: string }> {
  const result = await run(env);
  const files = await Promise.all((await readdir(dir)).map(async (name) => `${name}\n${await fileText(name, await readFile(path.join(dir, name)))}`));
  return { code: result.code, text: [result.out, ...files].join('\n') };
}

