import type { Harness, InvokeResult } from './harness';
import { FaultProxy } from './faultProxy';
import { sharedAzurite } from './sharedAzurite';

export interface FaultRig {
  proxy: FaultProxy;
  h: Harness;
  /** Stops the bot, then the proxy. */
  stop(): Promise<void>;
}

/** The bot started by `start` with its storage behind a fault proxy in front of the shared Azurite. */
export async function behindFaultProxy(start: (env: Record<string, string>) => Promise<Harness>): Promise<FaultRig> {
  const proxy = await new FaultProxy().start((await sharedAzurite()).connectionString);
  const h = await start({ TABLES_CONNECTION_STRING: proxy.connectionString });
  return {
    proxy,
    h,
    async stop() {
      await h.stop();
      await proxy.stop();
    },
  };
}

export interface FaultRun {
  /** Storage requests the submit makes when nothing fails. */
  requests: number;
  /** Cut points tried (k = 1..requests unless `points` chose fewer), each checked by `check`. */
  tried: number[];
}

export interface SubmitUnderFaults {
  /** Puts a fresh thing to submit in place (storage up). */
  prepare(round: number): Promise<void>;
  /** The press that submits: a new activity each call (its id is what Teams would redeliver). */
  press(): Record<string, unknown>;
  /** Asserts the outcome of round `round` after the retry: one record, each delivery once, a receipt. */
  check(round: number, answer: InvokeResult): Promise<void>;
  /** Which cut points to try, of 1..requests (all by default): to bound a second run of shared code. */
  points?(requests: number): number[];
}

/**
 * Counts the storage requests of one clean submit, then for each k cuts storage after the k-th,
 * restores it and retries: odd k redeliver the same activity (as Teams does), even k press again.
 */
export async function submitAtEveryFaultPoint(h: Harness, proxy: FaultProxy, s: SubmitUnderFaults): Promise<FaultRun> {
  await s.prepare(0);
  proxy.reset();
  const clean = await h.post(s.press());
  const requests = proxy.count;
  if (process.env.FAULT_TRACE) console.log(proxy.seen.map((r, i) => `${i + 1}. ${r}`).join('\n'));
  await s.check(0, clean);
  const tried: number[] = [];
  const points = s.points?.(requests) ?? Array.from({ length: requests }, (_, i) => i + 1);
  for (const k of points) {
    await s.prepare(k);
    const press = s.press();
    proxy.failAfter(k);
    await h.post(press).catch(() => undefined);
    proxy.restore();
    const answer = await h.post(k % 2 ? press : s.press());
    await s.check(k, answer);
    tried.push(k);
  }
  return { requests, tried };
}
