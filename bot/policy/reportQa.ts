import { readSettings } from '../settings';
import { openStorage } from '../storage/openStorage';
import { formatQaReport } from './qaReport';
import { QuestionLog } from './questionLog';

/**
 * `npm run report:qa`: for the online-safety lead, the questions Lantern could not answer and the
 * answers staff marked unhelpful. Reads the same table store as the bot (stop a local bot first
 * when it uses the embedded store).
 */
async function main(): Promise<void> {
  const storage = await openStorage(readSettings());
  try {
    const questions = await new QuestionLog(storage.tables).recent(Number(process.argv[2] ?? 500));
    console.log(formatQaReport(questions));
  } finally {
    await storage.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`report:qa failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
