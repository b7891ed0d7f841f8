import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { withBotTables } from '../tools/botTables';
import { isIsoDate } from '../calendar/schoolTime';
import { TUTORING_NOT_SET_UP } from './tutoringSettings';
import { tutorLogFile } from './tutorLogFile';

/**
 * `npm run export:tutor-log -- [--week 2026-11-16] [--out file.xlsx|file.csv]`: writes one week's
 * tutor record from the bot's own tables (same environment variables as the bot).
 */
export function parseExportArgs(argv: string[]): { week?: string; out: string; format: 'xlsx' | 'csv' } {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i >= 0 && !argv[i + 1]) throw new Error(`${flag} needs a value`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const week = get('--week');
  if (week !== undefined && !isIsoDate(week)) throw new Error(`--week: "${week}" is not a date such as 2026-11-16`);
  const out = get('--out');
  if (out !== undefined && !/\.(xlsx|csv)$/i.test(out)) throw new Error('--out: the file name must end in .xlsx or .csv');
  return { week, out: out ?? `tutor-log-${week ?? 'this-week'}.xlsx`, format: out && /\.csv$/i.test(out) ? 'csv' : 'xlsx' };
}

async function main(): Promise<void> {
  const args = parseExportArgs(process.argv.slice(2));
  await withBotTables(async ({ tables, audit, config, endpoint }) => {
    if (!config.settings('tutoring')) throw new Error(TUTORING_NOT_SET_UP);
    const who = os.userInfo().username;
    const { week, data } = await tutorLogFile(tables, config, audit, { week: args.week, format: args.format, now: new Date(), by: { id: `script:${who}`, name: `${who} (export script)` } });
    await writeFile(args.out, data);
    console.log(`tutor record for the week of ${week} written to ${args.out} (${endpoint.description})`);
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? `export:tutor-log: ${err.message}` : String(err));
    process.exit(1);
  });
}
