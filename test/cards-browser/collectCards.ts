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

/** The cards the e2e tests sent, as written by test/support/cardCapture.ts. */
export function capturedCards(dir: string): CardUnderCheck[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const { via, card } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { via: string; card: Record<string, unknown> };
      return { id: `captured/${f.slice(0, -5)}`, card, source: `sent by the e2e tests (${via})` };
    });
}
