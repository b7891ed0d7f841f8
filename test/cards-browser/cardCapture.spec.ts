// The opt-in capture of sent cards (test/support/cardCapture.ts), the template recorded beside
// each, and how the browser check picks which captured cards to render.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureCards, type CapturedCard } from '../support/cardCapture';
import { renderCard } from '../../bot/cards/renderCard';
import { loadSamples } from '../support/cardSamples';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { capturedCards, pickSample, untaggedFinding } from './collectCards';
import { kindOf } from './checkRules';

const CARD = 'application/vnd.microsoft.card.adaptive';
const card = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] });
const attached = (content: unknown) => ({ type: 'message', attachments: [{ contentType: CARD, content }] });
const readCaptured = (dir: string): CapturedCard[] =>
  readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));

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
    captureCards('post', attached(renderCard('welcome', loadSamples('welcome')[0])));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('writes each distinct card once, from posts, updates and invoke answers, and ignores plain text', () => {
    process.env.LANTERN_CARD_CAPTURE_DIR = join(dir, 'cards');
    captureCards('post', attached(card('Waiting for IT')));
    captureCards('update', attached(card('Waiting for IT')));
    captureCards('invoke', { statusCode: 200, type: CARD, value: card('Saved') });
    captureCards('post', { type: 'message', text: 'just words' });
    captureCards('invoke', undefined);
    const written = readCaptured(join(dir, 'cards'));
    assert.deepEqual(written.map((w) => (w.card.body as Array<{ text: string }>)[0].text).sort(), ['Saved', 'Waiting for IT']);
    assert.equal(written.find((w) => (w.card.body as Array<{ text: string }>)[0].text === 'Waiting for IT')!.via, 'post', 'the first sender is kept');
    assert.equal(capturedCards(join(dir, 'cards')).all.length, 2);
  });

  it('records beside each card the template it was rendered from, and the card as rendered', () => {
    process.env.LANTERN_CARD_CAPTURE_DIR = dir;
    const names = ['report-term', 'acks-text', 'tutor-week', 'incident-details'];
    const rendered = names.map((n) => renderCard(n, loadSamples(n)[0]));
    // What Teams gets travels as JSON: the capture sees a parsed copy, not the rendered object.
    for (const r of rendered) captureCards('post', JSON.parse(JSON.stringify(attached(r))));
    const written = readCaptured(dir);
    assert.deepEqual(written.map((w) => w.template).sort(), [...names].sort());
    for (const [i, n] of names.entries()) assert.deepEqual(written.find((w) => w.template === n)!.card, rendered[i], `${n} is captured exactly as rendered`);
    const { all, untagged } = capturedCards(dir);
    assert.deepEqual(all.map((c) => c.template).sort(), [...names].sort());
    assert.deepEqual(untagged, []);
    assert.equal(kindOf(all.find((c) => c.template === 'report-term')!.template, {}), 'list', 'judged by its own template\'s budget');
  });

  it('fails a captured card that no template rendered as it was sent, and names it', () => {
    process.env.LANTERN_CARD_CAPTURE_DIR = dir;
    const changed = renderCard('welcome', loadSamples('welcome')[0]);
    captureCards('post', attached({ ...changed, body: [...(changed.body as unknown[]), { type: 'TextBlock', text: 'added after rendering' }] }));
    captureCards('post', attached(card('Built by hand')));
    const { all, untagged } = capturedCards(dir);
    assert.equal(all.length, 2);
    assert.deepEqual(untagged.map((c) => c.id), all.map((c) => c.id));
    for (const c of untagged) assert.match(untaggedFinding(c)!, /^captured\/[0-9a-f]{20}: no template recorded beside it/);
    assert.equal(untaggedFinding({ id: 'welcome#0', template: 'welcome', card: {}, source: '' }), undefined);
  });

  it('samples every template at least once, its tallest and widest card first, at most the cap per template', () => {
    const long = 'x'.repeat(60);
    const cards = [
      { id: 'a1', template: 'a', card: card('Request FLT-1 sent') },
      { id: 'a2', template: 'a', card: card('Request FLT-2 sent to the IT manager, the DSL and the deputy head for the week') },
      { id: 'a3', template: 'a', card: card(`Request FLT-3 sent to ${long}`.slice(0, 40)) },
      { id: 'a4', template: 'a', card: { ...card('with a button'), actions: [{ type: 'Action.Execute', title: 'Go', verb: 'go' }] } },
      { id: 'a5', template: 'a', card: { ...card('two buttons'), actions: [{ type: 'Action.Execute', title: 'Go', verb: 'go' }, { type: 'Action.Execute', title: 'Stop', verb: 'stop' }] } },
      { id: 'b1', template: 'b', card: card('only one') },
      { id: 'u1', template: undefined, card: card('untagged') },
    ];
    assert.deepEqual(pickSample(cards, 6).map((c) => c.id), ['a2', 'a3', 'a4', 'a5', 'b1']);
    const capped = pickSample(cards, 2).map((c) => c.id);
    assert.deepEqual(capped, ['a2', 'a3', 'b1'], 'the cap keeps the tallest and the widest; a template with one card keeps it');
  });

  describe('cards the running bot sends', () => {
    let h: Harness;
    let capture: string;
    before(async () => {
      capture = mkdtempSync(join(tmpdir(), 'lantern-capture-e2e-'));
      h = await startHarness();
    });
    after(async () => {
      await h?.stop();
      rmSync(capture, { recursive: true, force: true });
    });

    it('each carries the template it came from, posted or answered to a button', async () => {
      process.env.LANTERN_CARD_CAPTURE_DIR = capture;
      await h.say(people.teacher, 'help');
      await h.click(people.teacher, 'incident.start', {});
      const written = readCaptured(capture);
      assert.deepEqual([...new Set(written.map((w) => w.template))].sort(), ['help', 'incident-safety']);
      assert.deepEqual(capturedCards(capture).untagged, []);
    });
  });
});
