import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withBotTables } from '../tools/botTables';
import { isoDate } from './dates';
import { CheckStore } from './filterCheck';
import { filterChecksCsv, filterLogCsv, UTF8_BOM } from './filterLogCsv';
import { RequestStore } from './requestStore';

/**
 * `tsx bot/filtering/exportFilterLog.ts [--out file.csv]`: writes the filtering change log and,
 * beside it (`<name>-checks.csv`), the filter checks, for the governors' annual review, of one
 * school (LANTERN_SCHOOL in a trust). With the embedded store, stop the bot first: the store is
 * read as last saved to disk.
 */
export async function exportFilterLog(out: string, env: NodeJS.ProcessEnv = process.env): Promise<{ log: string; checks: string; requests: number; checkCount: number }> {
  return withBotTables(async ({ tables, audit }) => {
    const [requests, checks] = await Promise.all([new RequestStore(tables).all(), new CheckStore(tables).all()]);
    const log = path.resolve(out);
    const checksFile = log.replace(/(\.csv)?$/i, '-checks.csv');
    await writeFile(log, UTF8_BOM + filterLogCsv(requests), 'utf8');
    await writeFile(checksFile, UTF8_BOM + filterChecksCsv(checks), 'utf8');
    await audit.append({
      actor: { id: 'export-script', name: `export script (${os.userInfo().username})` },
      action: 'filter.exported',
      entityType: 'filter-log',
      entityId: 'all',
      detail: { requests: requests.length, checks: checks.length, file: path.basename(log) },
    });
    return { log, checks: checksFile, requests: requests.length, checkCount: checks.length };
  }, env);
}

function outArg(argv: string[]): string {
  const i = argv.indexOf('--out');
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  return `filter-change-log-${isoDate(new Date())}.csv`;
}

if (require.main === module) {
  exportFilterLog(outArg(process.argv.slice(2)))
    .then((r) => console.log(`Wrote ${r.requests} filter changes to ${r.log} and ${r.checkCount} filter checks to ${r.checks}.`))
    .catch((err: Error) => {
      console.error(`Export failed: ${err.message}`);
      process.exitCode = 1;
    });
}
