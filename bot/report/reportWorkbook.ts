import ExcelJS from 'exceljs';
import type { ReportView, ViewTable } from './reportView';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_MIME = 'application/pdf';

/** A count stays a number in the sheet (so governors can add them up); anything else stays text. */
const cell = (text: string): string | number => (/^\d+$/.test(text) ? Number(text) : text);

function addTable(sheet: ExcelJS.Worksheet, t: ViewTable): void {
  sheet.addRow([t.title]).font = { bold: true, size: 12 };
  const header = sheet.addRow(t.header);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF1F6' } };
  for (const r of t.rows) sheet.addRow(r.map(cell));
  sheet.addRow([]);
}

/** One sheet per section of the report (and one saying what it is), the same words as the card. */
export async function reportWorkbook(view: ReportView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Lantern';
  book.title = `${view.title}: ${view.period}`;
  const about = book.addWorksheet('About');
  about.addRow([view.title]).font = { bold: true, size: 14 };
  about.addRow(['School', view.school]);
  about.addRow(['Period', view.period]);
  about.addRow(['Made', view.generated]);
  about.addRow(['Counts', view.suppressionNote]);
  about.getColumn(1).width = 14;
  about.getColumn(2).width = 100;
  for (const section of view.sections) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    const sheet = book.addWorksheet(section.title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
    for (const t of section.tables) addTable(sheet, t);
    for (const note of section.notes) sheet.addRow([note]).font = { italic: true };
    sheet.getColumn(1).width = 48;
    for (let i = 2; i <= 5; i++) sheet.getColumn(i).width = 18;
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
