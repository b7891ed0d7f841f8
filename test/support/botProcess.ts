import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectPath } from '../../bot/projectRoot';

export const ENTRY = projectPath('dist', 'bot', 'index.js');

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Builds dist/ once if a test runs before `npm run build` has. */
export function ensureBuilt(): void {
  if (existsSync(ENTRY)) return;
  const build = spawnSync('npx', ['tsc', '-p', projectPath('tsconfig.json')], { stdio: 'inherit' });
  assert.equal(build.status, 0, 'build failed');
}

/**
 * With card capture on, the bot process lists each card it renders with its template, as an
 * in-process bot does (test/support/cardCapture.ts, compiled beside the entry by the same build).
 */
function captureEnv(): Record<string, string> {
  const dir = process.env.LANTERN_CARD_CAPTURE_DIR;
  const lister = projectPath('dist', 'test', 'support', 'cardCapture.js');
  return dir && existsSync(lister) ? { LANTERN_CARD_CAPTURE_DIR: dir, NODE_OPTIONS: `--require ${lister}` } : {};
}

/** Runs the compiled bot as `npm start` does, with only the given environment. */
export function startBot(env: Record<string, string>): BotProcess {
  let output = '';
  const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH ?? '', ...captureEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The bot's /api/messages base URL, once its start-up log says it listens. */
export async function waitForUrl(output: () => string, exited: Promise<number | null>): Promise<string> {
  const deadline = Date.now() + 30_000;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(output());
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`bot did not start:\n${output()}`);
}
