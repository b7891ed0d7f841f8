import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCard } from '../../bot/cards/renderCard';
import { CARDS_DIR, jsonNames, loadSamples } from '../support/cardSamples';

/** Extra samples for the browser check only: long text, long emails and URLs, empty lists. */
export const EXTRA_SAMPLES_DIR = join(__dirname, 'samples');

export interface CardUnderCheck {
  /** Stable name in reports: `<template>#<n>`, `<template>+long#<n>`, or `captured/<hash>`. */
  id: string;
  /** The template it came from; unknown for a card captured from the e2e tests. */
  template?: string;
  card: Record<string, unknown>;
  /** Where it came from, for the gallery. */
  source: string;
}

/** Every template expanded with the unit tests' samples and this check's extra samples. */
export function templateCards(): CardUnderCheck[] {
  const out: CardUnderCheck[] = [];
  for (const name of jsonNames(CARDS_DIR)) {
    loadSamples(name).forEach((data, i) =>
      out.push({ id: `${name}#${i}`, template: name, card: renderCard(name, data), source: `cards/${name}.json with test/fixtures/card-samples/${name}.json [${i}]` }));
    loadSamples(name, EXTRA_SAMPLES_DIR, true).forEach((data, i) =>
      out.push({ id: `${name}+long#${i}`, template: name, card: renderCard(name, data), source: `cards/${name}.json with test/cards-browser/samples/${name}.json [${i}]` }));
  }
  return out;
}

const TEXT_KEYS = new Set(['text', 'value', 'title', 'placeholder', 'label', 'errorMessage']);

/** A card with its words blanked and action data dropped: what decides colours, layout and inputs. */
export function skeleton(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(skeleton);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node as Record<string, unknown>)
    .filter(([k]) => k !== 'data')
    .map(([k, v]) => [k, typeof v === 'string' && TEXT_KEYS.has(k) ? '' : skeleton(v)]));
}

function words(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => words(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'data') continue;
      if (typeof v === 'string' && TEXT_KEYS.has(k)) out.push(v);
      else words(v, out);
    }
  }
  return out;
}

const longestWord = (card: unknown) => Math.max(0, ...words(card).flatMap((t) => t.split(/\s+/)).map((w) => w.length));
const textLength = (card: unknown) => words(card).reduce((n, t) => n + t.length, 0);

/**
 * The e2e tests send the same card many times with other names, dates and references. Cards with
 * the same skeleton share colours, layout and inputs; what can still differ is how long the words
 * are. So from each skeleton keep the card with the most text (tallest) and the one with the
 * longest unbroken word (widest), which may be the same card.
 */
export function pickRepresentatives<T extends { card: unknown }>(cards: T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const c of cards) {
    const key = JSON.stringify(skeleton(c.card));
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const picked = new Set<T>();
  for (const group of groups.values()) {
    picked.add(group.reduce((a, b) => (textLength(b.card) > textLength(a.card) ? b : a)));
    picked.add(group.reduce((a, b) => (longestWord(b.card) > longestWord(a.card) ? b : a)));
  }
  return cards.filter((c) => picked.has(c));
}

const LITERAL_KEYS = new Set(['text', 'title', 'label', 'placeholder', 'verb', 'id']);

/** The fixed strings of a card or template: words, button verbs and input ids with no `${…}` in them. */
export function literals(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => literals(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'data') continue;
      if (typeof v === 'string' && LITERAL_KEYS.has(k) && v.length >= 3 && !v.includes('${')) out.add(v);
      else literals(v, out);
    }
  }
  return out;
}

/**
 * Which template a captured card was most likely rendered from: the one sharing the most fixed
 * strings with it (verbs and input ids are specific to a template): at least two, or one phrase
 * of 15 characters or more, or one string no other template has. A card built
 * without a template, or too plain to tell, gets none.
 */
export function guessTemplate(card: unknown, templates: Map<string, Set<string>>): string | undefined {
  const seen = literals(card);
  const matches: Array<{ name: string; score: number; longest: number }> = [];
  for (const [name, fixed] of templates) {
    let score = 0;
    let longest = 0;
    for (const l of fixed) if (seen.has(l)) { score++; longest = Math.max(longest, l.length); }
    if (score > 0) matches.push({ name, score, longest });
  }
  matches.sort((a, b) => b.score - a.score);
  const [best] = matches;
  // A single short word shared with one template alone (a grid's column heading) is enough too.
  if (!best || !(best.score >= 2 || best.longest >= 15 || matches.length === 1)) return undefined;
  return best.name;
}

function templateLiterals(): Map<string, Set<string>> {
  return new Map(jsonNames(CARDS_DIR).map((name) => [name, literals(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')))]));
}

/** The cards the e2e tests sent, as written by test/support/cardCapture.ts, one or two per skeleton. */
export function capturedCards(dir: string): { all: number; cards: CardUnderCheck[] } {
  if (!existsSync(dir)) return { all: 0, cards: [] };
  const fixed = templateLiterals();
  const all: CardUnderCheck[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const { via, card } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { via: string; card: Record<string, unknown> };
      const template = guessTemplate(card, fixed);
      return { id: `captured/${f.slice(0, -5)}`, template, card, source: `sent by the e2e tests (${via})${template ? `, from cards/${template}.json by its fixed words` : ''}` };
    });
  return { all: all.length, cards: pickRepresentatives(all) };
}
