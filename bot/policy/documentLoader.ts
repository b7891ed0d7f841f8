import { promises as fs } from 'fs';
import path from 'path';
import mammoth from 'mammoth';
import { titleCaseIfShouting } from './sectionParser';

export interface PolicyDocument {
  id: string;
  fileName: string;
  title: string;
  text: string;
}

export interface LoadResult {
  documents: PolicyDocument[];
  warnings: string[];
}

export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.docx', '.pdf'];

async function readDocx(file: string): Promise<string> {
  const result = await mammoth.extractRawText({ path: file });
  return result.value;
}

async function readPdf(file: string): Promise<string> {
  // unpdf ships only as ESM; a dynamic import keeps this CommonJS module loadable.
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(await fs.readFile(file)));
  const { text } = await extractText(pdf, { mergePages: false });
  // Keep page boundaries as paragraph breaks so running headers and page numbers land on their own lines.
  return text.join('\n\n');
}

export async function readDocumentText(file: string): Promise<string> {
  switch (path.extname(file).toLowerCase()) {
    case '.docx':
      return readDocx(file);
    case '.pdf':
      return readPdf(file);
    default:
      return fs.readFile(file, 'utf8');
  }
}

/** "staff-acceptable-use_policy.v2" → "Staff Acceptable Use Policy V2". */
export function prettifyFileName(fileName: string): string {
  return path
    .basename(fileName, path.extname(fileName))
    .replace(/[-_.]+/g, ' ')
    .trim()
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

function cleanTitle(line: string): string {
  return line
    .replace(/^#+\s*/, '')
    .replace(/\*\*|__|<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The document's title: its first markdown heading, else the first early line that names a policy
 * (cover pages often start with the school's name), else the first heading-like line, else the file name.
 */
export function deriveTitle(text: string, fileName: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0).slice(0, 25);
  const markdownHeading = lines.find((l) => /^#\s+\S/.test(l));
  if (markdownHeading) return cleanTitle(markdownHeading);
  const candidates = lines.map(cleanTitle).filter((l) => l.length >= 4 && l.length <= 120 && !/[.;,]$/.test(l) && !/\t/.test(l));
  const naming = candidates.find((l) => /\b(policy|agreement|procedures?|guidance|code of conduct)\b/i.test(l));
  const chosen = naming ?? candidates.find((l) => /^[A-Z]/.test(l) && l.split(/\s+/).length <= 12);
  return chosen ? titleCaseIfShouting(chosen) : prettifyFileName(fileName);
}

/** Read every supported file in a folder (not recursive); unreadable and unsupported files become warnings. */
export async function loadDocuments(dir: string): Promise<LoadResult> {
  const warnings: string[] = [];
  const documents: PolicyDocument[] = [];
  const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const ext = path.extname(entry.name).toLowerCase();
    if (!SUPPORTED_EXTENSIONS.includes(ext)) {
      warnings.push(`${entry.name}: unsupported file type skipped (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
      continue;
    }
    try {
      const text = await readDocumentText(path.join(dir, entry.name));
      if (text.trim().length === 0) {
        warnings.push(`${entry.name}: no text could be extracted (a scanned PDF needs OCR first)`);
        continue;
      }
      documents.push({ id: entry.name, fileName: entry.name, title: deriveTitle(text, entry.name), text });
    } catch (err) {
      warnings.push(`${entry.name}: unreadable (${(err as Error).message})`);
    }
  }
  return { documents, warnings };
}
