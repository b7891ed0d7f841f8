import { startEmbeddedTables, type EmbeddedTables } from '../../bot/storage/embeddedAzurite';

let shared: Promise<EmbeddedTables> | undefined;

/**
 * One real Azurite table server (in memory, free port) for the whole test run. Tests isolate
 * themselves with a unique table prefix rather than a server each, which keeps the run fast.
 */
export function sharedAzurite(): Promise<EmbeddedTables> {
  shared ??= startEmbeddedTables();
  return shared;
}

let counter = 0;
/** A table-name prefix no other test uses (letters and digits only, as Azure requires). */
export function uniquePrefix(): string {
  counter += 1;
  return `t${Date.now().toString(36)}${counter}`;
}
