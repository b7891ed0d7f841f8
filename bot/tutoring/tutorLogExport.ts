import ExcelJS from 'exceljs';
import { cellText, EXPORT_COLUMNS, exportRows, type WeekGrid } from './weekGrid';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv';

/** Spreadsheet apps run cells starting with = + - @ as formulas: user text must not. */
function defuse(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: string | number): string {
  const s = String(defuse(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tutorLogCsv(grid: WeekGrid): string {
  return [EXPORT_COLUMNS as readonly string[], ...exportRows(grid)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
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
  for (const r of exportRows(grid)) sessions.addRow(r.map(defuse));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
