import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { ReportRange } from './reportRange';
import type { ReportView, ViewTable } from './reportView';

/**
 * A table as the card shows it. Two columns read as facts. A wider one (one row per urgency or per
 * document) becomes a block per row: its first cell as a heading, the other cells as facts named by
 * their column, because a phone (340 px) squeezes four to seven columns into a few letters each.
 */
const cardTable = (table: ViewTable) => {
  const t = shortened(table);
  const wide = t.header.length > 2;
  return {
    title: t.title,
    wide,
    facts: wide ? [] : t.rows.map(([title, value]) => ({ title, value })),
    blocks: wide ? t.rows.map(([heading, ...cells]) => block(heading, cells.map((value, i) => ({ title: t.header[i + 1], value })))) : [],
  };
};

function block(heading: string, facts: Array<{ title: string; value: string }>) {
  const shown = facts.filter((f) => f.value !== '');
  return { heading, facts: shown, hasFacts: shown.length > 0 };
}

/**
 * The incidents-by-category table (a column per term) where Teams draws no chart: a block per
 * term, latest first, its categories as facts, so a phone shows words, not a grid of narrow columns.
 */
const termBlocks = (table: ViewTable) =>
  table.header.slice(1).map((term, i) => block(term, table.rows.map((r) => ({ title: r[0], value: r[i + 1] })))).reverse();

/**
 * Where Teams draws no chart (on a phone), the response and filter-change charts would repeat, as
 * facts, the headline figures of their own section further down; a line pointing there keeps the
 * card a screen shorter.
 */
function figuresUnder(view: ReportView, id: ReportView['sections'][number]['id']): string {
  const section = view.sections.find((s) => s.id === id);
  return section ? `The figures are below, under ${section.title}.` : 'The figures are in the PDF and the workbook.';
}

/**
 * A section shows its first table (the headline figures) and its notes; the rest fold under one
 * button, so the card lists every section on a phone in a few screens and a governor opens the
 * detail wanted. The PDF and the workbook hold all of it, unfolded.
 */
function cardSection(s: ReportView['sections'][number]) {
  const [first, ...more] = s.tables;
  return {
    id: s.id,
    title: s.title,
    hasFirst: !!first,
    first: first ? cardTable(first) : cardTable({ title: '', header: [], rows: [] }),
    notes: s.notes.map((text) => ({ text })),
    hasMore: more.length > 0,
    moreTitle: `Show ${more.map((t) => lowerFirst(t.title)).join(', ')}`,
    more: more.map(cardTable),
  };
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text);

/** A table longer than the card allows: its first rows, and one saying where the rest are. */
function shortened(t: ViewTable): ViewTable {
  if (t.cardRows === undefined || t.rows.length <= t.cardRows) return t;
  const rest = t.rows.length - t.cardRows;
  return { ...t, rows: [...t.rows.slice(0, t.cardRows), [`and ${rest} more: see the PDF and the workbook`, ...t.header.slice(1).map(() => '')]] };
}

/**
 * The report card: the three charts Teams draws (each with facts to fall back on in hosts that
 * draw none, as Teams on a phone) and every section's headline figures, its detail folded. Sent
 * only in 1:1 chats; counts only.
 */
export function reportCard(view: ReportView, range: ReportRange): AdaptiveCard {
  return renderCard('report-term', reportCardData(view, range));
}

/** The template's data (`cards/report-term.json`): tables as rows of cells, charts as the template draws them. */
export function reportCardData(view: ReportView, range: ReportRange) {
  const { categories, targets, filterChanges } = view.charts;
  return {
    title: view.title,
    school: view.school,
    period: view.period,
    generated: view.generated,
    suppressionNote: view.suppressionNote,
    hasCategories: !!categories,
    hasTargets: !!targets,
    charts: {
      categories: categories ? { title: categories.title, series: categories.series, terms: termBlocks(categories.table) } : { title: '', series: [], terms: [] },
      targets: targets ? { title: targets.title, slices: targets.slices, fallback: figuresUnder(view, 'response') } : { title: '', slices: [], fallback: '' },
      filterChanges: { title: filterChanges.title, bars: filterChanges.bars, fallback: figuresUnder(view, 'filtering') },
    },
    sections: view.sections.map(cardSection),
    from: range.from,
    to: range.to,
  };
}
