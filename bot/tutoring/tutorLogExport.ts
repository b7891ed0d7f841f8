import ExcelJS from 'exceljs';
import { defuseCell, toCsv } from '../core/spreadsheetCells';
import { cellText, EXPORT_COLUMNS, exportRows, type WeekGrid } from './weekGrid';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv';

export function tutorLogCsv(grid: WeekGrid): string {
  return toCsv(EXPORT_COLUMNS, exportRows(grid));
}

/** Two sheets: the week at a glance (groups × days), and every session in full. */
export async function tutorLogWorkbook(grid: WeekGrid, schoolName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `Lantern (${schoolName})`;
  const week = wb.addWorksheet('Week');
  week.addRow(['Group', 'Tutor', ...grid.days.map((d) => d.label)]).font = { bold: true };
  for (const row of grid.rows) {
    const added = week.addRow([row.group, row.tutorName, ...row.cells.map(cellText)]);
    row.cells.forEach((c, i) => {
      if (c.status === 'missing') added.getCell(3 + i).font = { bold: true, color: { argb: 'FFC00000' } };
    });
  }
  week.columns.forEach((c) => (c.width = 22));
  const sessions = wb.addWorksheet('Sessions');
  sessions.addRow([...EXPORT_COLUMNS]).font = { bold: true };
  for (const r of exportRows(grid)) sessions.addRow(r.map(defuseCell));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
