import ExcelJS from 'exceljs';
import type { Roster } from '../config/roster';
import type { Round } from './campaignStore';
import type { Progress } from './progress';
import { schoolTime } from './campaigns';
import { defuseCell, toCsv } from '../core/spreadsheetCells';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv';

export const EXPORT_COLUMNS = ['Name', 'Email', 'Section', 'Line manager', 'Document', 'Version', 'Round', 'Opened', 'Due', 'Status', 'Card delivered', 'Acknowledged', 'Version acknowledged', 'Card id', 'Not reached because'] as const;

/** One row per person and requirement: what an inspector or the single central record needs. */
export function exportRows(round: Round, progress: Progress, roster: Roster): string[][] {
  const when = (iso?: string) => (iso ? schoolTime(iso, roster) : '');
  return progress.people.map((p) => [
    p.name,
    p.email ?? '',
    p.section,
    p.lineManager ?? '',
    round.document.title,
    round.version,
    String(round.number),
    when(round.openedAt),
    round.due,
    p.status,
    when(p.deliveredAt),
    when(p.acknowledgedAt),
    p.acknowledgedVersion ?? '',
    p.card ?? '',
    p.notReachedReason ?? '',
  ]);
}

export function acknowledgementCsv(rows: string[][]): string {
  return toCsv(EXPORT_COLUMNS, rows);
}

export async function acknowledgementWorkbook(rows: string[][], round: Round, schoolName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `Lantern (${schoolName})`;
  const sheet = wb.addWorksheet('Acknowledgements');
  sheet.addRow([...EXPORT_COLUMNS]).font = { bold: true };
  for (const r of rows) sheet.addRow(r.map(defuseCell));
  sheet.columns.forEach((c) => (c.width = 22));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  wb.title = `${round.document.title}, version ${round.version}`;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function exportName(round: Round, format: 'xlsx' | 'csv'): string {
  const slug = round.document.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'document';
  return `acknowledgements-${slug}-round-${round.number}.${format}`;
}
