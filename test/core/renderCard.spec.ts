import assert from 'node:assert/strict';
import { renderCard } from '../../bot/cards/renderCard';

describe('renderCard', () => {
  it('treats text typed by users as data, never as template expressions', () => {
    const typed = '${heading} ${1+1} {{x}} $when';
    const card = renderCard('policy-lead-answer', { heading: 'H', question: typed, answer: 'a', by: 'b', at: 'c' });
    assert.ok(JSON.stringify(card).includes(JSON.stringify(typed).slice(1, -1)), JSON.stringify(card));
  });

  it('refuses template names that could escape the cards folder', () => {
    assert.throws(() => renderCard('../package', {}), RangeError);
  });
});
