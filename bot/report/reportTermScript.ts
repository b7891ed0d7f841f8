import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { localParts } from '../calendar/schoolTime';
import { withBotTables } from '../tools/botTables';
import { buildTermReport } from './buildTermReport';
import { reportFileBase, reportFileBytes } from './reportFiles';
import { chooseRange, namedTerms } from './reportRange';
import { recordSources } from './recordSources';
import type { ReportSettings } from './settings';

export interface ReportArgs {
  /** What `report term` would be given: two dates, a term's name, or nothing for this term. */
  period: string;
  /** A .pdf or .xlsx file, or a name both are written beside (".pdf" and ".xlsx" added). */
  out?: string;
}

/** `--from 2026-09-01 --to 2026-12-16`, or `--term "autumn 2026"`, and `--out`. */
export function parseReportArgs(argv: string[]): ReportArgs {
  const known = new Set(['--from', '--to', '--term', '--out']);
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!known.has(flag)) throw new Error(`unknown option "${flag}": use --from, --to, --term and --out`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    values.set(flag, value);
  }
  const from = values.get('--from');
  const to = values.get('--to');
  const term = values.get('--term');
  if ((from === undefined) !== (to === undefined)) throw new Error('give both --from and --to, or neither');
  if (term && from) throw new Error('give either --term or --from/--to, not both');
  return { period: from ? `${from} ${to}` : (term ?? ''), out: values.get('--out') };
}

/** The files to write: the one named, or both beside the name (the period's own name by default). */
export function outputFiles(out: string | undefined, base: string): { pdf?: string; xlsx?: string } {
  if (out && /\.pdf$/i.test(out)) return { pdf: out };
  if (out && /\.xlsx$/i.test(out)) return { xlsx: out };
  const stem = out ?? base;
  return { pdf: `${stem}.pdf`, xlsx: `${stem}.xlsx` };
}

async function main(): Promise<void> {
  const args = parseReportArgs(process.argv.slice(2));
  await withBotTables(async ({ tables, audit, config, endpoint }) => {
    const roster = await config.current();
    const now = new Date();
    const choice = chooseRange(args.period, namedTerms(roster.config.school.termDates), localParts(now, roster.config.school.timezone).date);
    if (!choice.ok) throw new Error(choice.message.replace(/\*\*/g, '"'));
    const report = await buildTermReport(config, config.settings<ReportSettings>('report'), recordSources(tables, audit, config), choice.range, now);
    const bytes = await reportFileBytes(report.view);
    const files = outputFiles(args.out, reportFileBase(choice.range));
    if (files.pdf) await writeFile(files.pdf, bytes.pdf);
    if (files.xlsx) await writeFile(files.xlsx, bytes.xlsx);
    const who = os.userInfo().username;
    const written = [files.pdf, files.xlsx].filter((f): f is string => !!f);
    await audit.append({ actor: { id: `script:${who}`, name: `${who} (report script)` }, action: 'report.exported', entityType: 'report', entityId: `${choice.range.from}..${choice.range.to}`, detail: { via: 'report script', files: written.map((f) => path.basename(f)) } });
    console.log(`termly report for ${choice.range.label} (${choice.range.from} to ${choice.range.to}) written to ${written.join(' and ')} (${endpoint.description})`);
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? `report:term: ${err.message}` : String(err));
    process.exit(1);
  });
}
