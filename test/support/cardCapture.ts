import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** How a captured card reached Teams: posted, updated in place, or answered to a button press. */
export type CaptureVia = 'post' | 'update' | 'invoke';

/**
 * Opt-in (LANTERN_CARD_CAPTURE_DIR): writes every Adaptive Card the bot sends during the tests to
 * that folder, one file per distinct card (named by its hash, so a card sent twice is written
 * once), for `npm run cards:check` to render in a real browser. Off, it does nothing.
 */
export function captureCards(via: CaptureVia, payload: unknown): void {
  const dir = process.env.LANTERN_CARD_CAPTURE_DIR;
  if (!dir) return;
  for (const card of cardsIn(payload)) {
    const json = JSON.stringify(card);
    const name = `${createHash('sha256').update(json).digest('hex').slice(0, 20)}.json`;
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, name), JSON.stringify({ via, card }, null, 1), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** The cards in an activity's attachments, or in an invoke answer (`{type, value}`). */
function cardsIn(payload: unknown): unknown[] {
  const p = payload as { attachments?: Array<{ contentType?: string; content?: unknown }>; type?: string; value?: unknown } | undefined;
  if (!p || typeof p !== 'object') return [];
  if (p.type === CARD_TYPE && p.value) return [p.value];
  return (p.attachments ?? []).filter((a) => a?.contentType === CARD_TYPE && a.content).map((a) => a.content);
}
