import { spawn, type ChildProcess } from 'node:child_process';
import { connectionStringFrom } from '../support/readyLine';

/**
 * Azurite's table server in its own process, as in any real deployment the store is not on the
 * bot's event loop. Resolves with its connection string once it listens.
 */
export async function startAzuriteProcess(): Promise<{ connectionString: string; pid: number; stop(): Promise<void> }> {
  const script = "require('./bot/storage/embeddedAzurite').startEmbeddedTables().then((t) => console.log('READY ' + t.connectionString));";
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--no-deprecation', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const connectionString = await connectionStringFrom(child);
  return {
    connectionString,
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    }),
  };
}
