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
