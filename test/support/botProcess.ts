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

export interface StartBotOptions {
  /** Preload test/support/childClock.cjs so the test can move the child's clock (setChildClock). */
  clock?: boolean;
}

const CHILD_CLOCK = projectPath('test', 'support', 'childClock.cjs');

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
export function startBot(env: Record<string, string>, options: StartBotOptions = {}): BotProcess {
  let output = '';
  const args = options.clock ? ['--require', CHILD_CLOCK, ENTRY] : [ENTRY];
  const stdio: Array<'ignore' | 'pipe' | 'ipc'> = options.clock ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...captureEnv(), ...env }, stdio });
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

/** Moves a child started with `clock: true` to real time + `offsetMs`; resolves once it has. */
export async function setChildClock(bot: BotProcess, offsetMs: number): Promise<void> {
  assert.ok(bot.child.send, 'the bot was not started with clock: true');
  const set = new Promise<void>((resolve) => {
    const onMessage = (m: { type?: string; offsetMs?: number }) => {
      if (m?.type !== 'clock-set' || m.offsetMs !== offsetMs) return;
      bot.child.off('message', onMessage);
      resolve();
    };
    bot.child.on('message', onMessage);
  });
  bot.child.send({ type: 'clock', offsetMs });
  await set;
}

/** SIGTERM, as App Service stops an instance; kills it if it has not exited within 10 s. */
export async function stopBot(bot: BotProcess): Promise<number | null> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return bot.exited;
  bot.child.kill('SIGTERM');
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
  try {
    return await bot.exited;
  } finally {
    clearTimeout(timer);
  }
}
