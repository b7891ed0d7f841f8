import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { observeRenderedCards } from '../../bot/cards/renderCard';
import { unstampCard } from '../../bot/trust/schoolStamp';

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** How a captured card reached Teams: posted, updated in place, or answered to a button press. */
export type CaptureVia = 'post' | 'update' | 'invoke';

/** What a captured card's file holds. `template` is null when no rendered card had these exact contents. */
export interface CapturedCard {
  via: CaptureVia;
  template: string | null;
  card: Record<string, unknown>;
}

/** The folder that lists which template each rendered card came from, by the card's hash. */
export const RENDERED_DIR = 'rendered';

/** A card's name in the capture folder: the hash of exactly what was sent. */
export function cardHash(card: unknown): string {
  return createHash('sha256').update(JSON.stringify(card)).digest('hex').slice(0, 20);
}

const written = new Set<string>();

/**
 * Every card the bot renders, when capture is on, is listed under its hash with the template it
 * came from (bot/cards/renderCard.ts tells this module; Teams receives the card unchanged). The
 * list is a folder, not memory, because a bot started as its own process (test/support/botProcess.ts)
 * loads this module too and renders its cards there.
 */
export function recordRendered(template: string, card: unknown): void {
  const dir = process.env.LANTERN_CARD_CAPTURE_DIR;
  if (!dir) return;
  const hash = cardHash(card);
  const key = `${dir}\0${hash}`;
  if (written.has(key)) return;
  mkdirSync(join(dir, RENDERED_DIR), { recursive: true });
  writeFileSync(join(dir, RENDERED_DIR, hash), template);
  written.add(key);
}

observeRenderedCards(recordRendered);

/** The template a card with exactly these contents was rendered from, if any was. */
function templateOf(dir: string, hash: string): string | null {
  const file = join(dir, RENDERED_DIR, hash);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/**
 * Opt-in (LANTERN_CARD_CAPTURE_DIR): writes every Adaptive Card the bot sends during the tests to
 * that folder, one file per distinct card (named by its hash, so a card sent twice is written
 * once) with the template it was rendered from, for `npm run cards:check` to render in a real
 * browser and judge by that template's rules. Off, it does nothing.
 */
export function captureCards(via: CaptureVia, payload: unknown): void {
  const dir = process.env.LANTERN_CARD_CAPTURE_DIR;
  if (!dir) return;
  for (const card of cardsIn(payload)) {
    const hash = cardHash(card);
    mkdirSync(dir, { recursive: true });
    // A trust's cards are stamped with their school after rendering (bot/trust/schoolStamp.ts): match without it.
    const captured: CapturedCard = { via, template: templateOf(dir, hash) ?? templateOf(dir, cardHash(unstampCard(card, false))) ?? templateOf(dir, cardHash(unstampCard(card, true))), card: card as Record<string, unknown> };
    try {
      writeFileSync(join(dir, `${hash}.json`), JSON.stringify(captured, null, 1), { flag: 'wx' });
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
