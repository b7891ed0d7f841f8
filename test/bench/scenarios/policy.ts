import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cardOf, cardText } from '../../support/cards';
import type { BenchScenario } from '../scenario';

// The example set's questions, asked of the example policies the bench bot starts with: a realistic mix of
// plain answers, answers with other rules, and "Do you mean…" cards.
const QUESTIONS = (JSON.parse(readFileSync(path.resolve(__dirname, '../../eval/qa-example.json'), 'utf8')) as Array<{ q: string }>).map((i) => i.q);

/** A policy question per turn: search, rank, quote the rule and its runners-up, log the question. */
export const scenario: BenchScenario = {
  name: 'policy',
  async turn(h, user, i) {
    const question = QUESTIONS[i % QUESTIONS.length];
    const card = (await h.say(user, question)).map(cardOf).find((c) => c !== undefined);
    assert.match(cardText(card), /Did this answer your question\?|Do you mean…/, `no policy answer for "${question}"`);
  },
};
