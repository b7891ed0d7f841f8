import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { reportFileBytes } from '../../bot/report/reportFiles';
import { FEWER_THAN } from '../../bot/report/smallCounts';
import { namedTerms } from '../../bot/report/reportRange';
import { inkedPixels, pdfPages, pdftoppmAvailable, pixelsOf } from './pdfPages';
import { viewOf } from './sampleView';
import { aCase, aRequest, aRound, records, seededCases } from './seedRecords';
import { reportCard } from '../../bot/report/reportCard';
import { checkCard } from '../cards/cardChecker';
import { cardText } from '../support/cards';

const TERMS = namedTerms([{ start: '2026-04-13', end: '2026-07-09' }, { start: '2026-09-03', end: '2026-12-16' }]);
const RULES = { calendar: { nation: 'england' as const, timeZone: 'Europe/London', termDates: TERMS }, acknowledgeWithinMinutes: { P0: 15, P1: 60, P2: 240, P3: 1440 }, filterCheckEveryDays: 28, now: new Date('2026-12-17T09:00:00Z') };
const AUTUMN = { from: '2026-09-03', to: '2026-12-16', label: 'Autumn term 2026' };
const SUMMER = { from: '2026-04-13', to: '2026-07-09', label: 'Summer term 2026' };

function seededView() {
  // Summer: 6 cyberbullying drawn; 5 "other" hidden beside the lone extremism case (seededCases' INC-2026-001).
  const summer = Array.from({ length: 11 }, (_, i) => aCase(`INC-2026-3${String(i).padStart(2, '0')}`, { reportedAt: `2026-05-${String(i + 10)}T10:00:00Z`, category: i < 6 ? 'cyberbullying' : 'other' }));
  const cases = [...seededCases(), ...summer].map((c) => ({ ...c, facts: { ...c.facts, pupilName: 'Jamie Smith', description: 'Secret account of what happened' } }));
  const filterRequests = [aRequest('FLT-2026-0001', { requestedAt: '2026-09-10T10:00:00Z', details: { duration: 'temporary', endDate: '2027-01-01' } }), aRequest('FLT-2026-0002', { requestedAt: '2026-09-12T10:00:00Z', details: { change: 'block' } })];
  return viewOf(records({ cases, filterRequests }), AUTUMN, RULES, [SUMMER]);
}

describe('termly report files (bot/report/reportPdf.ts, reportWorkbook.ts)', () => {
  it('draws the PDF: every page inked, the charts in their own colours, the words of the card, no pupil detail', async function () {
    const { pdf } = await reportFileBytes(seededView());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true })).text;
    for (const words of ['Termly safeguarding and online-safety report', 'Autumn term 2026', 'Incidents by category', 'Acknowledged within target', 'Filter changes by kind', 'Cyberbullying', FEWER_THAN, 'Median time to acknowledge', '1 h', '1-1 call permissions']) {
      assert.ok(text.includes(words), `the PDF does not say "${words}"`);
    }
    assert.ok(!text.includes('Jamie') && !text.includes('Secret account'), 'no pupil name or account in the PDF');
    if (!(await pdftoppmAvailable())) return this.skip();
    const pages = await pdfPages(pdf);
    assert.ok(pages.length >= 2, `expected the report to run to at least two pages, got ${pages.length}`);
    pages.forEach((page, i) => assert.ok(inkedPixels(page) > 500, `page ${i + 1} is blank`));
    // Each chart is drawn in colours no text uses: the summer bars blue, this term's orange, the donut green and red, filter changes teal.
    const drawn = (hex: string) => pages.reduce((n, p) => n + pixelsOf(p, hex), 0);
    assert.ok(drawn('#1f5aa6') > 50, "no bars for the summer term's series");
    assert.ok(drawn('#e08a1e') > 50, "no bars for this term's series");
    assert.ok(drawn('#2e7d32') > 100, 'no green "within target" slice of the donut');
    assert.ok(drawn('#c62828') > 20, 'no red "missed" slice of the donut');
    assert.ok(drawn('#2a9d8f') > 50, 'no filter-change bars');
  });

  it('writes one sheet per section and reads back cell by cell', async () => {
    const { xlsx } = await reportFileBytes(seededView());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    assert.deepEqual(book.worksheets.map((s) => s.name), ['About', 'Incidents', 'Acknowledgement within target', 'Referrals', 'Filter changes', 'Filter checks', 'Tutor-log completeness', '1-1 call permissions', 'Policy acknowledgements']);
    const rows = (name: string) => book.getWorksheet(name)!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const incidents = rows('Incidents');
    const find = (label: string, sheet = incidents) => sheet.find((r) => r[0] === label);
    assert.deepEqual(find('Incidents reported'), ['Incidents reported', 14]);
    assert.deepEqual(find('Cyberbullying'), ['Cyberbullying', 6], 'a count stays a number');
    assert.deepEqual(find('Grooming concern'), ['Grooming concern', FEWER_THAN]);
    assert.deepEqual(find('Open'), ['Open', 10]);
    assert.deepEqual(rows('Policy acknowledgements'), [['No acknowledgement rounds in this period.']], 'no zeros for a school that ran no round');
    const response = rows('Acknowledgement within target');
    assert.deepEqual(find('Share within target', response), ['Share within target', '86%']);
    assert.deepEqual(find('Median time to acknowledge', response), ['Median time to acknowledge', '1 h']);
    assert.deepEqual(find('P2', response), ['P2', '4 h', '5 or more', 'not shown (few cases)']);
    assert.deepEqual(find('P3', response), ['P3', '24 h', 6, '100%']);
    const filters = rows('Filter changes');
    assert.deepEqual(find('Temporary unblock', filters), ['Temporary unblock', 1]);
    assert.deepEqual(find('Permanent block', filters), ['Permanent block', 1]);
    assert.deepEqual(rows('Referrals').find((r) => r[0] === 'Police'), ['Police', FEWER_THAN]);
    const all = book.worksheets.flatMap((s) => s.getSheetValues().flat()).join(' ');
    assert.ok(!all.includes('Jamie') && !all.includes('Secret'), 'no pupil name or account in the workbook');
  });

  it('says only "fewer than 5" of a period with 1 to 4 incidents: no breakdown, no response figures, no incident charts', async () => {
    const view = viewOf(records({ cases: seededCases().filter((c) => c.category === 'grooming') }), AUTUMN, RULES);
    const words = JSON.stringify(view);
    assert.deepEqual(view.sections.find((x) => x.id === 'incidents')!.tables.map((t) => t.rows), [[['Incidents reported', FEWER_THAN]]]);
    for (const hidden of ['Grooming', 'Prep', 'P1', 'Police', 'Median']) assert.ok(!words.includes(hidden), `"${hidden}" is shown`);
    assert.equal(view.charts.categories, undefined);
    assert.equal(view.charts.targets, undefined);
    const { xlsx } = await reportFileBytes(view);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    assert.ok(!book.worksheets.flatMap((sh) => sh.getSheetValues().flat()).join(' ').includes('Grooming'));
  });
});

describe('policy acknowledgements on the report card (bot/report/reportCard.ts)', () => {
  it('shows ten rounds and says where the rest are, so a busy term stays under the card size limit; the files keep every round', async () => {
    const rounds = Array.from({ length: 12 }, (_, i) => aRound(`c-doc${i}-r1`, { title: `Policy ${i + 1}`, openedAt: `2026-09-${String(i + 10)}T09:00:00Z`, due: '2026-10-30' }, [['sent', '2026-10-01T10:00:00Z'], ['sent']]));
    const view = viewOf(records({ cases: seededCases(), acknowledgementRounds: rounds }), AUTUMN, RULES);
    const card = reportCard(view, AUTUMN);
    assert.deepEqual(checkCard(card), []);
    const text = cardText(card);
    assert.match(text, /Policy 10 \(round 1/);
    assert.doesNotMatch(text, /Policy 11 \(round 1/);
    assert.match(text, /and 2 more: see the PDF and the workbook/);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 28_000);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportFileBytes(view)).xlsx as unknown as ArrayBuffer);
    const titles = book.getWorksheet('Policy acknowledgements')!.getSheetValues().filter(Boolean).map((r) => String((r as unknown[])[1]));
    assert.equal(titles.filter((t) => /^Policy \d+ \(round 1/.test(t)).length, 12);
  });
});

describe('the report card on a phone (bot/report/reportCard.ts)', () => {
  /** Every element of the card with an id or a fold button, walked through the body. */
  function walk(node: unknown, visit: (n: Record<string, any>) => void): void {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
    if (!node || typeof node !== 'object') return;
    visit(node as Record<string, any>);
    Object.values(node).forEach((v) => walk(v, visit));
  }

  it('shows each section\'s headline figures, folds the rest under one button that opens it, and lays wide tables out as a block per row', () => {
    const rounds = [aRound('c-doc1-r1', { title: 'Staff Acceptable Use Policy', openedAt: '2026-09-10T09:00:00Z', due: '2026-10-30' }, [['sent', '2026-10-01T10:00:00Z'], ['sent']])];
    const card = reportCard(viewOf(records({ cases: seededCases(), acknowledgementRounds: rounds }), AUTUMN, RULES, [SUMMER]), AUTUMN);
    assert.deepEqual(checkCard(card), []);
    const folded = new Map<string, Record<string, any>>();
    const buttons: Array<{ title: string; targets: string[] }> = [];
    const tables: unknown[] = [];
    walk(card.body, (n) => {
      if (typeof n.id === 'string' && n.isVisible === false) folded.set(n.id, n);
      if (n.type === 'Action.ToggleVisibility') buttons.push({ title: n.title, targets: n.targetElements });
      if (n.type === 'Table') tables.push(n);
    });
    assert.deepEqual(buttons.find((b) => b.targets.includes('more-incidents'))?.title, 'Show by category, by section, by urgency');
    for (const b of buttons) for (const t of b.targets) assert.ok(folded.has(t), `${b.title} opens ${t}`);
    assert.match(cardText([...folded.values()]), /Cyberbullying/, 'the incidents by category are folded');
    const shown = { ...card, body: JSON.parse(JSON.stringify(card.body, (k, v) => (v && v.isVisible === false ? undefined : v))) };
    assert.match(cardText(shown), /Incidents reported/, 'the headline figures are in view');
    assert.doesNotMatch(cardText(shown), /By section/, 'the detail is not');
    assert.deepEqual(tables, [], 'no table of narrow columns');
    assert.match(cardText([...folded.values()]), /\nStaff Acceptable Use Policy \(round 1, due Fri 30 Oct 2026\)\nRequired\n2\nBy due date\n1\nLate\n0\n/, 'a round is a block: its name, then each column as a fact');
    assert.match(cardText([...folded.values()]), /\nP1\nTarget\n1 h\nCases\nfewer than 5\n/, 'so is an urgency');
  });
});
