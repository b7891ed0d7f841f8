import assert from 'node:assert/strict';
import { observeRenderedCards, renderCard, renderRecurringCard } from '../../bot/cards/renderCard';
import { loadSamples } from '../support/cardSamples';

describe('renderRecurringCard (a card rendered again and again with the same data)', () => {
  const [sample] = loadSamples('help') as Array<Record<string, unknown>>;

  it('gives the card renderCard gives, for the same data and for other data', () => {
    assert.deepEqual(renderRecurringCard('help', sample), renderCard('help', sample));
    assert.deepEqual(renderRecurringCard('help', sample), renderCard('help', sample), 'the second time too');
    const other = { ...sample, greeting: "You're signed in to Brookfield Academy's Lantern as Sam Jones — staff." };
    assert.deepEqual(renderRecurringCard('help', other), renderCard('help', other));
    assert.notDeepEqual(renderRecurringCard('help', other), renderRecurringCard('help', sample));
  });

  it('hands each caller a copy of its own: a change to one card is not in the next', () => {
    const first = renderRecurringCard('help', sample);
    (first.body as unknown[]).length = 0;
    first.changed = true;
    const next = renderRecurringCard('help', sample);
    assert.deepEqual(next, renderCard('help', sample));
    assert.notEqual(next, first);
  });

  it('tells the card watchers of every card it hands out, with its template', () => {
    const seen: string[] = [];
    const stop = observeRenderedCards((template, card) => seen.push(`${template}:${card.type}`));
    try {
      renderRecurringCard('help', sample);
      renderRecurringCard('help', sample);
    } finally {
      stop();
    }
    assert.deepEqual(seen, ['help:AdaptiveCard', 'help:AdaptiveCard']);
  });
});
