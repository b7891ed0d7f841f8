import type { FileAttachment } from '../chat/turn';
import { reportPdf } from './reportPdf';
import type { ReportRange } from './reportRange';
import type { ReportView } from './reportView';
import { PDF_MIME, reportWorkbook, XLSX_MIME } from './reportWorkbook';

/** "termly-report-2026-09-01-to-2026-12-16": the files' names say what period they cover. */
export function reportFileBase(range: ReportRange): string {
  return `termly-report-${range.from}-to-${range.to}`;
}

export async function reportFileBytes(view: ReportView): Promise<{ pdf: Buffer; xlsx: Buffer }> {
  return { pdf: await reportPdf(view), xlsx: await reportWorkbook(view) };
}

/** The PDF and workbook as files for the consent path (1:1 chats only; the Teams layer offers them). */
export async function reportFiles(view: ReportView, range: ReportRange): Promise<FileAttachment[]> {
  const { pdf, xlsx } = await reportFileBytes(view);
  const base = reportFileBase(range);
  return [
    { name: `${base}.pdf`, contentType: PDF_MIME, contentUrl: `data:${PDF_MIME};base64,${pdf.toString('base64')}` },
    { name: `${base}.xlsx`, contentType: XLSX_MIME, contentUrl: `data:${XLSX_MIME};base64,${xlsx.toString('base64')}` },
  ];
}
