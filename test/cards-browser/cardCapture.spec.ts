// The opt-in capture of sent cards (test/support/cardCapture.ts) and how the browser check picks
// which captured cards to render.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureCards } from '../support/cardCapture';
import { renderCard } from '../../bot/cards/renderCard';
import { loadSamples } from '../support/cardSamples';
import { capturedCards, guessTemplate, literals, pickRepresentatives } from './collectCards';

const CARD = 'application/vnd.microsoft.card.adaptive';
const card = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] });

describe('card capture for the browser check', () => {
  let dir: string;
  const saved = process.env.LANTERN_CARD_CAPTURE_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lantern-capture-test-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LANTERN_CARD_CAPTURE_DIR;
    else process.env.LANTERN_CARD_CAPTURE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing unless LANTERN_CARD_CAPTURE_DIR is set', () => {
    delete process.env.LANTERN_CARD_CAPTURE_DIR;
    captureCards('post', { attachments: [{ contentType: CARD, content: card('a') }] });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('writes each distinct card once, from posts, updates and invoke answers, and ignores plain text', () => {
    process.env.LANTERN_CARD_CAPTURE_DIR = join(dir, 'cards');
    captureCards('post', { type: 'message', attachments: [{ contentType: CARD, content: card('Waiting for IT') }] });
    captureCards('update', { type: 'message', attachments: [{ contentType: CARD, content: card('Waiting for IT') }] });
    captureCards('invoke', { statusCode: 200, type: CARD, value: card('Saved') });
    captureCards('post', { type: 'message', text: 'just words' });
    captureCards('invoke', undefined);
    const files = readdirSync(join(dir, 'cards')).sort();
    assert.equal(files.length, 2);
    const written = files.map((f) => JSON.parse(readFileSync(join(dir, 'cards', f), 'utf8')));
    assert.deepEqual(written.map((w) => w.card.body[0].text).sort(), ['Saved', 'Waiting for IT']);
    assert.deepEqual(written.find((w) => w.card.body[0].text === 'Waiting for IT').via, 'post', 'the first sender is kept');
    assert.equal(capturedCards(join(dir, 'cards')).all, 2);
  });

  it('renders one or two cards per skeleton: the one with most text and the one with the longest word', () => {
    const cards = [
      { card: card('Request FLT-1 sent') },
      { card: card('Request FLT-2 sent to the IT manager, the DSL and the deputy head for the week') },
      { card: card('Request FLT-3 sent to alexandra.fitzgerald@example.org.uk') },
      { card: { ...card('x'), actions: [{ type: 'Action.Execute', title: 'Go', verb: 'go' }] } },
    ];
    assert.deepEqual(pickRepresentatives(cards), [cards[1], cards[2], cards[3]]);
  });

  it('tells which template a sent card came from by its fixed words, verbs and input ids', () => {
    const templates = new Map(['filter-step', 'tutor-week', 'incident-details', 'incident-category'].map((n) => [n, literals(JSON.parse(readFileSync(join(__dirname, '..', '..', 'cards', `${n}.json`), 'utf8')))]));
    for (const name of templates.keys()) {
      assert.equal(guessTemplate(renderCard(name, loadSamples(name)[0]), templates), name);
    }
    assert.equal(guessTemplate(card('Something else entirely'), templates), undefined);
  });
});
