import PDFDocument from 'pdfkit';
import type { BarPoint, ReportView, ViewTable } from './reportView';

type Doc = InstanceType<typeof PDFDocument>;

const PALETTE = ['#1f5aa6', '#e08a1e', '#8e44ad', '#c0392b', '#6d4c41', '#00838f'];
const SLICE_COLOURS = { good: '#2e7d32', attention: '#c62828', neutral: '#9e9e9e' } as const;
const BAR_COLOUR = '#2a9d8f';
const INK = '#1b1b1b';
const SUBTLE = '#555555';
const LEFT = 50;
const WIDTH = 495; // A4 less both margins

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function heading(doc: Doc, text: string, size = 14): void {
  ensureRoom(doc, size * 3);
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor(INK).text(text, LEFT, doc.y, { width: WIDTH });
  doc.moveDown(0.2);
}

function table(doc: Doc, t: ViewTable): void {
  // A table of many counts (policy acknowledgements) gives its first column less room, so one-word headings are not broken.
  const first = t.header.length > 5 ? 130 : t.header.length > 2 ? 200 : 330;
  const rest = t.header.length > 1 ? (WIDTH - first) / (t.header.length - 1) : 0;
  const x = (i: number) => LEFT + (i === 0 ? 0 : first + rest * (i - 1));
  const w = (i: number) => (i === 0 ? first : rest);
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: w(i) - 6 }))) + 6;
    ensureRoom(doc, height);
    const top = doc.y;
    if (bold) doc.rect(LEFT, top, WIDTH, height).fill('#eef1f6');
    cells.forEach((c, i) => doc.fillColor(INK).font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).text(c, x(i) + 3, top + 3, { width: w(i) - 6 }));
    doc.moveTo(LEFT, top + height).lineTo(LEFT + WIDTH, top + height).lineWidth(0.5).strokeColor('#c8ccd4').stroke();
    doc.y = top + height;
  };
  ensureRoom(doc, 40);
  doc.font('Helvetica-Bold').fontSize(10).fillColor(SUBTLE).text(t.title, LEFT, doc.y, { width: WIDTH });
  doc.moveDown(0.2);
  row(t.header, true);
  for (const r of t.rows) row(r, false);
  doc.moveDown(0.5);
}

/** Axis, bars and labels drawn as vector shapes; groups side by side, one colour per series. */
function groupedBars(doc: Doc, series: Array<{ legend: string; values: BarPoint[] }>): void {
  const categories = [...new Set(series.flatMap((s) => s.values.map((v) => v.x)))];
  if (!categories.length) return;
  const height = 170;
  ensureRoom(doc, height + 110);
  const top = doc.y + 10;
  const chartLeft = LEFT + 30;
  const chartWidth = WIDTH - 30;
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v.y)));
  const slot = chartWidth / categories.length;
  const bar = Math.min(18, (slot - 6) / series.length);
  doc.lineWidth(0.7).strokeColor('#888888').moveTo(chartLeft, top).lineTo(chartLeft, top + height).lineTo(chartLeft + chartWidth, top + height).stroke();
  doc.font('Helvetica').fontSize(7).fillColor(SUBTLE).text(String(max), LEFT, top - 3, { width: 26, align: 'right' }).text('0', LEFT, top + height - 4, { width: 26, align: 'right' });
  categories.forEach((cat, ci) => {
    const groupLeft = chartLeft + ci * slot + (slot - bar * series.length) / 2;
    series.forEach((s, si) => {
      const point = s.values.find((v) => v.x === cat);
      if (!point || point.y <= 0) return;
      const h = (point.y / max) * (height - 5);
      doc.rect(groupLeft + si * bar, top + height - h, bar - 1, h).fill(PALETTE[si % PALETTE.length]);
    });
    doc.font('Helvetica').fontSize(6.5).fillColor(INK).text(cat, chartLeft + ci * slot + 1, top + height + 4, { width: slot - 2, align: 'center' });
  });
  let legendX = chartLeft;
  const legendY = top + height + 48;
  series.forEach((s, si) => {
    doc.rect(legendX, legendY, 8, 8).fill(PALETTE[si % PALETTE.length]);
    doc.fillColor(INK).fontSize(8).text(s.legend, legendX + 12, legendY, { lineBreak: false });
    legendX += 24 + doc.widthOfString(s.legend);
  });
  doc.y = legendY + 20;
}

/** A ring of slices, each a polygon following the outer arc out and the inner arc back. */
function donut(doc: Doc, slices: Array<{ legend: string; value: number; color: keyof typeof SLICE_COLOURS }>): void {
  const total = slices.reduce((s, x) => s + x.value, 0);
  if (!total) return;
  ensureRoom(doc, 150);
  const cx = LEFT + 70;
  const cy = doc.y + 70;
  const outer = 60;
  const inner = 34;
  let angle = -Math.PI / 2;
  for (const slice of slices) {
    const sweep = (slice.value / total) * 2 * Math.PI;
    const steps = Math.max(2, Math.ceil(sweep / 0.05));
    const at = (r: number, a: number): [number, number] => [cx + r * Math.cos(a), cy + r * Math.sin(a)];
    const [sx, sy] = at(outer, angle);
    doc.moveTo(sx, sy);
    for (let i = 1; i <= steps; i++) doc.lineTo(...at(outer, angle + (sweep * i) / steps));
    for (let i = steps; i >= 0; i--) doc.lineTo(...at(inner, angle + (sweep * i) / steps));
    doc.closePath().fill(SLICE_COLOURS[slice.color]);
    angle += sweep;
  }
  let y = cy - 30;
  for (const slice of slices) {
    doc.rect(cx + outer + 30, y, 9, 9).fill(SLICE_COLOURS[slice.color]);
    doc.fillColor(INK).font('Helvetica').fontSize(9).text(`${slice.legend}: ${slice.value}`, cx + outer + 44, y, { width: 250 });
    y += 16;
  }
  doc.y = cy + outer + 15;
}

function horizontalBars(doc: Doc, bars: BarPoint[]): void {
  const rowHeight = 18;
  ensureRoom(doc, bars.length * rowHeight + 20);
  const labelWidth = 130;
  const max = Math.max(1, ...bars.map((b) => b.y));
  const barWidth = WIDTH - labelWidth - 40;
  let y = doc.y + 4;
  for (const b of bars) {
    doc.fillColor(INK).font('Helvetica').fontSize(9).text(b.x, LEFT, y + 2, { width: labelWidth - 6 });
    const w = (b.y / max) * barWidth;
    if (w > 0) doc.rect(LEFT + labelWidth, y, w, rowHeight - 5).fill(BAR_COLOUR);
    doc.fillColor(INK).fontSize(9).text(String(b.y), LEFT + labelWidth + w + 4, y + 2, { lineBreak: false });
    y += rowHeight;
  }
  doc.y = y + 6;
}

/** The governors' pack PDF: the same words as the card, with the charts drawn in the file itself. */
export function reportPdf(view: ReportView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: LEFT, info: { Title: `${view.title}: ${view.period}`, Author: view.school, Subject: 'Counts only' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).fillColor(INK).text(view.title, { width: WIDTH });
  doc.font('Helvetica').fontSize(11).text(`${view.school} - ${view.period}`, { width: WIDTH });
  doc.fontSize(8).fillColor(SUBTLE).text(`Made ${view.generated}. ${view.suppressionNote}`, { width: WIDTH });

  const { categories, targets, filterChanges } = view.charts;
  if (categories) {
    heading(doc, categories.title, 12);
    groupedBars(doc, categories.series);
  }
  if (targets) {
    heading(doc, targets.title, 12);
    donut(doc, targets.slices);
  }
  heading(doc, filterChanges.title, 12);
  horizontalBars(doc, filterChanges.bars);

  for (const section of view.sections) {
    heading(doc, section.title);
    for (const t of section.tables) table(doc, t);
    for (const note of section.notes) doc.font('Helvetica-Oblique').fontSize(9).fillColor(SUBTLE).text(note, LEFT, doc.y, { width: WIDTH });
  }
  doc.end();
  return done;
}
