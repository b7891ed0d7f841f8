// The pure parts of `npm run cards:check` (no browser needed): contrast maths, overflow and
// squeeze rules, the height budgets, and how measurements become findings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARDS_DIR, jsonNames } from '../support/cardSamples';
import { BUDGETS, TEMPLATE_KINDS, budgetPx, contrastRatio, flatten, isLargeText, kindOf, openFolds, overflows, parseColour, requiredContrast, squeezed } from './checkRules';
import { colourName, judge, type Measurement } from './judge';

const rgb = (css: string) => parseColour(css)!;
const light = JSON.parse(readFileSync(join(__dirname, 'hostConfigs', 'light.json'), 'utf8'));
const palette = light.hostConfig.containerStyles.default.foregroundColors;
const none: Measurement = { events: [], height: 100, overflow: [], squeezed: [], texts: [] };

describe('real-browser card check: rules', () => {
  it('computes WCAG contrast: black on white is 21:1, a colour on itself 1:1, and known pairs', () => {
    assert.equal(contrastRatio(rgb('#000000'), rgb('#FFFFFF')).toFixed(1), '21.0');
    assert.equal(contrastRatio(rgb('#777777'), rgb('#777777')), 1);
    // Teams' warning yellow and good green on white: the issue's unreadable status lines.
    assert.equal(contrastRatio(rgb('#F8D22A'), rgb('#FFFFFF')).toFixed(2), '1.47');
    assert.equal(contrastRatio(rgb('#92C353'), rgb('#FFFFFF')).toFixed(2), '2.07');
    assert.equal(contrastRatio(rgb('#767676'), rgb('#FFFFFF')).toFixed(2), '4.54');
  });

  it('reads computed-style colours, hex and #AARRGGBB, and composites translucent text and backgrounds', () => {
    assert.deepEqual(rgb('rgb(36, 36, 36)'), { r: 36, g: 36, b: 36, a: 1 });
    assert.deepEqual(rgb('rgba(0, 0, 0, 0.5)'), { r: 0, g: 0, b: 0, a: 0.5 });
    assert.deepEqual(rgb('#BF252424'), { r: 0x25, g: 0x24, b: 0x24, a: 0xbf / 255 });
    assert.equal(parseColour('transparent'), undefined);
    assert.deepEqual(flatten([rgb('rgba(0, 0, 0, 0.5)')]), { r: 127.5, g: 127.5, b: 127.5, a: 1 });
    // Half-transparent black text on white reads as mid grey.
    assert.equal(contrastRatio(rgb('rgba(0, 0, 0, 0.5)'), rgb('#FFFFFF')).toFixed(2), contrastRatio(rgb('rgb(127.5, 127.5, 127.5)'), rgb('#FFFFFF')).toFixed(2));
  });

  it('asks 4.5:1 of body text and 3:1 of large text (24 px, or 18.66 px bold)', () => {
    assert.equal(requiredContrast(14, 400), 4.5);
    assert.equal(requiredContrast(18, 600), 4.5);
    assert.equal(requiredContrast(19, 600), 3);
    assert.equal(requiredContrast(24, 400), 3);
    assert.equal(isLargeText(18.66, 599), false);
  });

  it('counts a box as overflowing only past one pixel of rounding, and squeezed text by characters per line', () => {
    assert.equal(overflows(309, 308), false);
    assert.equal(overflows(310, 308), true);
    assert.equal(overflows(10, 0), false, 'a box with no width is hidden, not overflowing');
    assert.equal(squeezed(33, 6), true, 'an email broken into six lines of five letters');
    assert.equal(squeezed(40, 2), false, 'two lines is ordinary wrapping');
    assert.equal(squeezed(120, 5), false);
  });

  it('has a kind for every template, and forms get two phone screens', () => {
    const missing = jsonNames(CARDS_DIR).filter((t) => !TEMPLATE_KINDS[t]);
    assert.deepEqual(missing, [], 'add each new template to TEMPLATE_KINDS in test/cards-browser/checkRules.ts');
    assert.equal(budgetPx('form'), 1280);
    assert.equal(budgetPx('notice'), 640);
    for (const k of Object.keys(BUDGETS) as Array<keyof typeof BUDGETS>) assert.ok(budgetPx(k) > 0);
    const form = { type: 'AdaptiveCard', body: [{ type: 'Container', items: [{ type: 'Input.Text', id: 'x' }] }] };
    assert.equal(kindOf(undefined, form), 'form');
    assert.equal(kindOf(undefined, { type: 'AdaptiveCard', body: [] }), 'record');
    assert.equal(kindOf('tutor-week', {}), 'list');
  });
});

describe('real-browser card check: findings', () => {
  it('names the host colour of failing text and says where, and passes default text', () => {
    const m: Measurement = {
      ...none,
      texts: [
        { what: 'p "Waiting"', text: 'Waiting', colour: 'rgb(248, 210, 42)', backgrounds: ['rgb(255, 255, 255)'], fontSize: 14, fontWeight: 600, placeholder: false },
        { what: 'p "Fine"', text: 'Fine', colour: 'rgb(36, 36, 36)', backgrounds: ['rgb(255, 255, 255)'], fontSize: 14, fontWeight: 400, placeholder: false },
        { what: 'input', text: 'e.g.', colour: 'rgb(250, 250, 250)', backgrounds: [], fontSize: 14, fontWeight: 400, placeholder: true },
      ],
    };
    const findings = judge(m, 'notice', palette);
    assert.deepEqual(findings.map((f) => f.rule), ['contrast']);
    assert.match(findings[0].reason, /^warning text #F8D22A on light #FFFFFF has contrast 1\.47:1, below 4\.5:1/);
    assert.equal(colourName(rgb('#6264A7'), palette), 'accent');
  });

  it('reports renderer errors and unknown elements, overflow, squeezed text and a card over its budget', () => {
    assert.deepEqual(judge({ ...none, error: 'TypeError: x\n at y' }, 'form', palette), [{ rule: 'render', reason: 'renderer error: TypeError: x' }]);
    const m: Measurement = {
      ...none,
      height: 1300,
      events: [
        { event: 'UnknownElementType', message: 'Unknown element type "Media"' },
        { event: 'Hint', message: 'just advice' },
        { event: 'UnknownElementType', message: 'Unknown element type "Chart.Donut". Fallback will be used if present.' },
      ],
      overflow: [{ what: 'ac-factset "Website"', scrollWidth: 401, clientWidth: 308 }],
      squeezed: [{ what: 'p "o.teacher@example.org"', length: 22, lines: 5, width: 35 }],
    };
    const reasons = judge(m, 'form', palette).map((f) => `${f.rule}: ${f.reason}`);
    assert.deepEqual(reasons, [
      'render: renderer UnknownElementType: Unknown element type "Media"',
      'overflow: ac-factset "Website" is 401 px wide in a 308 px box',
      'squeezed: p "o.teacher@example.org" wraps into 5 lines of about 4 characters (35 px wide)',
      'height: 1300 px tall, over the 1280 px budget for a form',
    ]);
    assert.deepEqual(judge({ ...none, height: 1280 }, 'form', palette), [], 'exactly on budget passes');
  });

  it('opens what a card folds away, so the check also judges it as the reader who opens it sees it', () => {
    const card = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'a' }, { type: 'Container', id: 'more', isVisible: false, items: [{ type: 'TextBlock', text: 'b', isVisible: false }] }], actions: [{ type: 'Action.Execute', verb: 'v', data: { isVisible: false } }] };
    assert.deepEqual(openFolds(card), { ...card, body: [card.body[0], { type: 'Container', id: 'more', isVisible: true, items: [{ type: 'TextBlock', text: 'b', isVisible: true }] }] });
    assert.equal(openFolds({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'a', isVisible: true }] }), undefined, 'nothing folded: nothing more to render');
  });
});
