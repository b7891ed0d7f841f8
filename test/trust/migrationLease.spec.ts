import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { MigrationLease } from '../../bot/trust/migrationLease';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

describe('the migration lease held while a move runs (against Azurite)', () => {
  let tables: TableProvisioner;
  let clock: number;
  const lease = () => new MigrationLease(tables, () => new Date(clock), 3000);

  beforeEach(async () => {
    tables = new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix()));
    clock = Date.parse('2026-12-02T10:00:00Z');
  });

  it('is renewed while the move outlasts it, so no other instance starts a second move, and is free the moment the move ends', async () => {
    const mover = lease();
    assert.ok((await mover.take()).taken);
    const other = lease();
    const result = await mover.holdWhile(async () => {
      clock += 2000;
      await sleep(1300); // the renewal, every max(1 s, a third of the lease)
      clock += 2000; // past the lapse of the lease as first taken
      assert.deepEqual(await other.take(), { taken: false, who: `${mover.holder.split(':')[0]} pid ${process.pid}` });
      return 'moved';
    });
    assert.equal(result, 'moved');
    assert.deepEqual(await other.take(), { taken: true }, 'released, not left to lapse');
  });

  it('is released when the move fails, and the failure reaches the caller', async () => {
    const mover = lease();
    assert.ok((await mover.take()).taken);
    await assert.rejects(
      mover.holdWhile(async () => {
        throw new Error('table service gone');
      }),
      /table service gone/,
    );
    assert.deepEqual(await lease().take(), { taken: true });
  });
});
