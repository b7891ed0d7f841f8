import assert from 'node:assert/strict';
import { pieces, textParts } from '../../bot/acknowledgements/cards';

const sentence = (n: number) => `Sentence ${n} says what staff must do with school accounts and devices.`;

describe('the full text of an acknowledgement in parts (bot/acknowledgements/cards.ts)', () => {
  it('keeps whole sections in order, each part short enough to read on a phone', () => {
    const sections = Array.from({ length: 40 }, (_, i) => ({ heading: `${i + 1} Rule ${i + 1}`, text: sentence(i).repeat(3) }));
    const parts = textParts({ version: 'v1', headings: sections.map((s) => s.heading), sections });
    assert.ok(parts.length > 2, `${parts.length} parts`);
    assert.deepEqual(parts.flat(), sections, 'every section, in order, none cut');
    for (const p of parts) assert.ok(p.reduce((n, s) => n + s.text.length + 60, 0) <= 3_500);
  });

  it('runs a section longer than a part on into the next, split between paragraphs, leaving nothing out', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `${sentence(i)} ${sentence(i + 100)}`);
    const long = { heading: '5 Monitoring', text: paragraphs.join('\n\n') };
    const parts = textParts({ version: 'v1', headings: ['5 Monitoring'], sections: [long] });
    assert.ok(parts.length >= 2);
    assert.deepEqual(parts.flat().map((s) => s.heading), ['5 Monitoring', ...parts.slice(1).map(() => '5 Monitoring (continued)')]);
    assert.equal(parts.flat().map((s) => s.text).join('\n\n'), long.text);
  });

  it('breaks text without paragraphs at a sentence end, and a single long word only when nothing else fits', () => {
    const text = Array.from({ length: 10 }, (_, i) => sentence(i)).join(' ');
    const split = pieces(text, 200);
    assert.ok(split.every((p) => p.length <= 200 && /\.$/.test(p)), split.join(' | '));
    assert.equal(split.join(' '), text);
    assert.deepEqual(pieces('x'.repeat(450), 200), ['x'.repeat(200), 'x'.repeat(200), 'x'.repeat(50)]);
    assert.deepEqual(pieces('', 200), ['']);
  });
});
