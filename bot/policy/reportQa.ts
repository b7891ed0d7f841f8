import { withBotTables } from '../tools/botTables';
import { formatQaReport } from './qaReport';
import { QuestionLog } from './questionLog';

/**
 * `npm run report:qa`: for the online-safety lead, the questions Lantern could not answer and the
 * answers staff marked unhelpful, of one school (LANTERN_SCHOOL in a trust). Reads the same table
 * store as the bot (stop a local bot first when it uses the embedded store).
 */
async function main(): Promise<void> {
  await withBotTables(async ({ tables }) => {
    const questions = await new QuestionLog(tables).recent(Number(process.argv[2] ?? 500));
    console.log(formatQaReport(questions));
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`report:qa failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
