import { ConfigError } from './config/configErrors';
import { startLantern } from './lantern';
import { readSettings } from './settings';

/** `npm start`: read the environment, start Lantern, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const lantern = await startLantern(readSettings());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[lantern] ${signal}: finishing in-flight turns, then stopping`);
    lantern.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(`[lantern] stop failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(`[lantern] cannot start: ${err.message}`);
  else console.error(`[lantern] cannot start: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
