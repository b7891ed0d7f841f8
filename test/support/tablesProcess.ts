import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EmbeddedTablesOptions } from '../../bot/storage/embeddedAzurite';
import { connectionStringFrom } from './readyLine';

export interface TablesProcess {
  connectionString: string;
  /** kill -9: the process ends mid-whatever, as a crash or the OOM killer would end it. */
  kill(): Promise<void>;
}

/**
 * The embedded table store as `npm start` runs it (startTablesWorker: Azurite in a worker thread
 * of a process) but in a process of its own, so a test can SIGKILL it and keep going.
 */
export async function startTablesProcess(dataDir: string, options: EmbeddedTablesOptions = {}): Promise<TablesProcess> {
  const script = [
    `require('./bot/storage/embeddedAzurite').startTablesWorker(${JSON.stringify(dataDir)}, undefined, ${JSON.stringify(options)})`,
    ".then((t) => console.log('READY ' + t.connectionString), (err) => { console.error(err.message); process.exit(1); });",
    'setInterval(() => undefined, 1 << 30);', // the worker is unref'd: something must keep the process up
  ].join('');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--no-deprecation', '-e', script], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connectionString = await connectionStringFrom(child);
  return {
    connectionString,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
