import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { projectPath } from '../projectRoot';
import { plainCardText } from './plainText';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };

export const CARDS_DIR = projectPath('cards');

const templates = new Map<string, Template>();

function template(name: string): Template {
  let t = templates.get(name);
  if (!t) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new RangeError(`invalid card template name "${name}"`);
    const json = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    t = new Template(json);
    templates.set(name, t);
  }
  return t;
}

/** Told of every card rendered, with the template it came from. */
export type RenderObserver = (template: string, card: AdaptiveCard) => void;

const observers = new Set<RenderObserver>();

/**
 * Lets a watcher learn which template each card came from, without changing the card: the
 * browser card check (test/support/cardCapture.ts) records the template beside each card the
 * tests capture, so it can judge a card built wholly from data (a termly report, a policy's full
 * text) by its own template's rules. The template is not written into the card itself because the
 * Adaptive Cards 1.5 schema allows no extra property on a card (additionalProperties: false) and
 * none of the properties it does allow (speak, lang, fallbackText, an element's id) is meant to
 * carry it; so what Teams receives is the same with or without a watcher. Returns the unsubscribe.
 */
export function observeRenderedCards(observer: RenderObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/**
 * Renders `cards/<name>.json` with `data` as `$root`. Templates are parsed once and cached; the
 * expansion itself is cheap. Text from users is rendered as data, never as template syntax, and
 * shown literally: no live links, no direction overrides (see plainText.ts).
 */
export function renderCard<T extends object>(name: string, data: T): AdaptiveCard {
  const card = template(name).expand({ $root: data }) as AdaptiveCard;
  if (card?.type !== 'AdaptiveCard') throw new Error(`card template "${name}" did not produce an AdaptiveCard`);
  const plain = plainCardText(card);
  for (const observe of observers) observe(name, plain);
  return plain;
}

const MEMO_ROWS = 256;
const memo = new Map<string, string>();

/**
 * renderCard for a card asked for again and again with the same data (a person's help card, each
 * time they type help): kept by template and data as JSON, and each caller is handed a copy of
 * its own to change. `data` must be plain JSON (strings, numbers, booleans, arrays, objects): it
 * is the key, so a Date or a function in it would be taken for something it is not.
 */
export function renderRecurringCard<T extends object>(name: string, data: T): AdaptiveCard {
  const key = `${name}\u0000${JSON.stringify(data)}`;
  const kept = memo.get(key);
  if (kept === undefined) {
    const card = renderCard(name, data);
    memo.set(key, JSON.stringify(card));
    if (memo.size > MEMO_ROWS) memo.delete(memo.keys().next().value!);
    return card;
  }
  memo.delete(key); // re-inserted as the most recently used
  memo.set(key, kept);
  const card = JSON.parse(kept) as AdaptiveCard;
  for (const observe of observers) observe(name, card);
  return card;
}
