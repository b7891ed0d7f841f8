import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCard } from '../../bot/cards/renderCard';
import type { CapturedCard } from '../support/cardCapture';
import { CARDS_DIR, jsonNames, loadSamples } from '../support/cardSamples';

/** Extra samples for the browser check only: long text, long emails and URLs, empty lists. */
export const EXTRA_SAMPLES_DIR = join(__dirname, 'samples');

export interface CardUnderCheck {
  /** Stable name in reports: `<template>#<n>`, `<template>+long#<n>`, or `captured/<hash>`. */
  id: string;
  /** The template it came from, as recorded when it was rendered; unknown only for a card that fails the check. */
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
 * are: the card with the most text is the tallest, the one with the longest unbroken word the widest.
 */
function groupBySkeleton<T extends { card: unknown }>(cards: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const c of cards) {
    const key = JSON.stringify(skeleton(c.card));
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}

const tallest = <T extends { card: unknown }>(group: T[]) => group.reduce((a, b) => (textLength(b.card) > textLength(a.card) ? b : a));
const widest = <T extends { card: unknown }>(group: T[]) => group.reduce((a, b) => (longestWord(b.card) > longestWord(a.card) ? b : a));

/** At most this many captured cards of one template are rendered: CI time stays bounded as tests grow. */
export const CAPTURED_PER_TEMPLATE = 6;

/**
 * The captured cards to render: for every template the tests sent, its tallest and its widest
 * card first (so each template is rendered at least once, with its worst case for height and for
 * width), then the tallest and widest of each further skeleton (layout variant), the skeletons
 * with most text first, up to `perTemplate` cards of that template.
 */
export function pickSample<T extends { card: unknown; template?: string }>(cards: T[], perTemplate = CAPTURED_PER_TEMPLATE): T[] {
  const byTemplate = new Map<string, T[]>();
  for (const c of cards) if (c.template) byTemplate.set(c.template, [...(byTemplate.get(c.template) ?? []), c]);
  const picked = new Set<T>();
  for (const group of byTemplate.values()) {
    const mine = new Set<T>([tallest(group), widest(group)]);
    const variants = groupBySkeleton(group).sort((a, b) => textLength(tallest(b).card) - textLength(tallest(a).card));
    for (const v of variants) {
      for (const c of [tallest(v), widest(v)]) if (mine.size < perTemplate) mine.add(c);
    }
    for (const c of mine) picked.add(c);
  }
  return cards.filter((c) => picked.has(c));
}

/** A captured card that names no template: the check cannot choose its rules, so it fails. */
export function untaggedFinding(card: CardUnderCheck): string | undefined {
  return card.id.startsWith('captured/') && !card.template
    ? `${card.id}: no template recorded beside it (it was not rendered by bot/cards/renderCard.ts as sent, so the check cannot tell which template's rules apply)`
    : undefined;
}

/**
 * The cards the e2e tests sent, as written by test/support/cardCapture.ts, each with the template
 * it was rendered from: `all` of them, the `sample` to render, and those with no template.
 */
export function capturedCards(dir: string): { all: CardUnderCheck[]; sample: CardUnderCheck[]; untagged: CardUnderCheck[] } {
  if (!existsSync(dir)) return { all: [], sample: [], untagged: [] };
  const all: CardUnderCheck[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const { via, template, card } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CapturedCard;
      return { id: `captured/${f.slice(0, -5)}`, template: template ?? undefined, card, source: `sent by the e2e tests (${via})${template ? `, from cards/${template}.json` : ', from no known template'}` };
    });
  return { all, sample: pickSample(all), untagged: all.filter((c) => untaggedFinding(c)) };
}
