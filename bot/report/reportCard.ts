import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { ReportRange } from './reportRange';
import type { ReportView, ViewTable } from './reportView';

/** Two columns read as facts (a quarter of a Table's size: the card must stay under Teams' 28 KB); wider ones as a Table. */
const cardTable = (table: ViewTable) => {
  const t = shortened(table);
  return {
    title: t.title,
    wide: t.header.length > 2,
    facts: t.header.length > 2 ? [] : t.rows.map(([title, value]) => ({ title, value })),
    header: t.header.length > 2 ? t.header.map((text) => ({ text })) : [],
    rows: t.header.length > 2 ? t.rows.map((r) => ({ cells: r.map((text) => ({ text })) })) : [],
  };
};

/** A table longer than the card allows: its first rows, and one saying where the rest are. */
function shortened(t: ViewTable): ViewTable {
  if (t.cardRows === undefined || t.rows.length <= t.cardRows) return t;
  const rest = t.rows.length - t.cardRows;
  return { ...t, rows: [...t.rows.slice(0, t.cardRows), [`and ${rest} more: see the PDF and the workbook`, ...t.header.slice(1).map(() => '')]] };
}

/**
 * The report card: the three charts Teams draws (each with a table to fall back on in hosts that
 * draw none) and every section as tables. Sent only in 1:1 chats; counts only.
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
      categories: categories ? { ...categories, table: cardTable(categories.table) } : { title: '', series: [], table: cardTable({ title: '', header: [], rows: [] }) },
      targets: targets ? { ...targets, table: cardTable(targets.table) } : { title: '', slices: [], table: cardTable({ title: '', header: [], rows: [] }) },
      filterChanges: { ...filterChanges, table: cardTable(filterChanges.table) },
    },
    sections: view.sections.map((s) => ({ title: s.title, tables: s.tables.map(cardTable), notes: s.notes.map((text) => ({ text })) })),
    from: range.from,
    to: range.to,
  };
}
