import { AsyncLocalStorage } from 'node:async_hooks';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
// Not re-exported from the package root; every Bot Connector client is made here.
import { ConnectorFactoryImpl } from 'botframework-connector/lib/auth/connectorFactoryImpl';
import { ThrottledError, type RequestGate } from '../chat/throttled';

const paced = new AsyncLocalStorage<{ gate?: RequestGate }>();
/**
 * The request budgets paced sends have used (one per app; several only when tests run several
 * bots in one process): every other request is counted against them, so a campaign leaves an
 * urgent alert its room under Teams' limit without the alert ever waiting.
 */
const gates = new Set<RequestGate>();
const MAX_GATES = 8;
const INSTALLED = Symbol.for('lantern.throttleSurface');

/** Seconds, or an HTTP date, to milliseconds; a missing or odd value means one second. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  if (header === undefined || header.trim() === '') return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : 1000;
}

/**
 * Inside the Bot Connector's retry loop: a 429 for a paced sender becomes a ThrottledError at
 * once, instead of the SDK waiting and retrying on its own where the sender cannot see it. The
 * sender then slows down as a whole and queues the message again. Everything else (urgent
 * alerts, replies) keeps the SDK's own retries.
 */
const surface: PipelinePolicy = {
  name: 'lanternThrottleSurface',
  async sendRequest(request, next) {
    const scope = paced.getStore();
    // Just before the wire, so the budget counts requests when Teams does, not when a card starts.
    if (scope?.gate) await scope.gate.admit();
    else for (const gate of gates) gate.note();
    const response = await next(request);
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers.get('retry-after'));
      for (const gate of gates) gate.throttled(wait);
      if (scope) throw new ThrottledError(wait);
    }
    return response;
  },
};

/** Adds the policy to every Bot Connector client from now on (once per process). */
export function installThrottleSurface(): void {
  const proto = ConnectorFactoryImpl.prototype as unknown as Record<symbol | string, unknown> & { create(...args: unknown[]): Promise<unknown> };
  if (proto[INSTALLED]) return;
  const create = proto.create;
  proto.create = async function (this: unknown, ...args: unknown[]) {
    const client = (await create.apply(this, args)) as { client?: { pipeline?: { addPolicy(p: PipelinePolicy, o: { afterPhase: 'Retry' }): void } } };
    client.client?.pipeline?.addPolicy(surface, { afterPhase: 'Retry' });
    return client;
  };
  proto[INSTALLED] = true;
}

/**
 * Runs `work` as a paced sender: Teams' 429s surface as ThrottledError instead of being retried,
 * and each of its requests waits for `gate`, the app's request budget.
 */
export function asPacedSender<T>(work: () => Promise<T>, gate?: RequestGate): Promise<T> {
  if (gate && !gates.has(gate)) {
    if (gates.size >= MAX_GATES) gates.delete(gates.values().next().value!);
    gates.add(gate);
  }
  return paced.run({ gate }, work);
}
