import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { localParts } from '../calendar/schoolTime';
import { BroadcastQueue } from '../broadcast/broadcastQueue';
import { withBotTables } from '../tools/botTables';
import { CampaignStore } from './campaignStore';
import { acknowledgementCsv, acknowledgementWorkbook, exportName, exportRows } from './exportFile';
import { progressOf } from './progress';
import type { AcknowledgementSettings } from './settings';

/**
 * `npm run export:acknowledgements -- --document "staff acceptable use" [--round 2] [--out file.xlsx|file.csv]`:
 * one row per person for a round (the current one by default), from the bot's own tables.
 */
export function parseExportArgs(argv: string[]): { document: string; round?: number; out?: string; format: 'xlsx' | 'csv' } {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i >= 0 && !argv[i + 1]) throw new Error(`${flag} needs a value`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const document = get('--document');
  if (!document) throw new Error('--document: say which document, e.g. --document "staff acceptable use policy"');
  const roundText = get('--round');
  const round = roundText === undefined ? undefined : Number(roundText);
  if (round !== undefined && (!Number.isInteger(round) || round < 1)) throw new Error(`--round: "${roundText}" is not a round number such as 2`);
  const out = get('--out');
  if (out !== undefined && !/\.(xlsx|csv)$/i.test(out)) throw new Error('--out: the file name must end in .xlsx or .csv');
  return { document, round, out, format: out && /\.csv$/i.test(out) ? 'csv' : 'xlsx' };
}

const norm = (s: string) => s.toLowerCase().replace(/\.[a-z]+$/, '').replace(/[^a-z0-9]+/g, ' ').trim();

async function main(): Promise<void> {
  const args = parseExportArgs(process.argv.slice(2));
  await withBotTables(async ({ tables, audit, config, endpoint }) => {
    const roster = await config.current();
    const store = new CampaignStore(tables);
    const wanted = norm(args.document);
    const campaigns = (await store.allCampaigns()).filter((c) => norm(c.document.title).includes(wanted) || norm(c.document.key).includes(wanted));
    if (campaigns.length !== 1) {
      throw new Error(campaigns.length ? `"${args.document}" matches ${campaigns.map((c) => c.document.title).join(', ')}: give more of the title` : `no acknowledgement campaign for "${args.document}"`);
    }
    const campaign = campaigns[0];
    const roundId = args.round ? campaign.rounds[args.round - 1] : campaign.currentRound;
    const round = roundId ? (await store.round(roundId))?.value : undefined;
    if (!round) throw new Error(`${campaign.document.title} has no round ${args.round} (it has ${campaign.rounds.length})`);
    const rows = await new BroadcastQueue(tables).rows(round.id);
    const today = localParts(new Date(), roster.config.school.timezone).date;
    const progress = progressOf(round, rows, await store.acknowledgements(round.id), roster, config.settings('acknowledgements') as AcknowledgementSettings, today);
    const table = exportRows(round, progress, roster);
    const out = args.out ?? exportName(round, args.format);
    await writeFile(out, args.format === 'csv' ? acknowledgementCsv(table) : await acknowledgementWorkbook(table, round, roster.schoolName));
    const who = os.userInfo().username;
    await audit.append({ actor: { id: `script:${who}`, name: `${who} (export script)` }, action: 'acknowledgement-round.exported', entityType: 'acknowledgement-round', entityId: round.id, detail: { formats: [args.format], rows: table.length } });
    console.log(`${campaign.document.title}, round ${round.number} (version ${round.version}): ${table.length} rows written to ${out} (${endpoint.description})`);
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? `export:acknowledgements: ${err.message}` : String(err));
    process.exit(1);
  });
}
