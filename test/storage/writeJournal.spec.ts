import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readJournal, segmentsIn, WriteJournal } from '../../bot/storage/writeJournal';

const PREFIX = 'journal';
const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'lantern-journal-'));

async function readAll(dir: string): Promise<unknown[]> {
  const changes: unknown[] = [];
  for await (const change of readJournal((await segmentsIn(dir, PREFIX)).map((s) => s.file))) changes.push(change);
  return changes;
}

describe('the write journal', () => {
  it('has a change in its file once durable() settles, and reads changes back in order', async () => {
    const dir = await tempDir();
    const journal = await WriteJournal.open(dir, PREFIX);
    journal.append(JSON.stringify({ n: 1 }));
    journal.append(JSON.stringify({ n: 2 }));
    await journal.durable();
    assert.deepEqual(await readAll(dir), [{ n: 1 }, { n: 2 }]);
    journal.append(JSON.stringify({ n: 3 }));
    await journal.durable();
    assert.deepEqual(await readAll(dir), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await journal.close();
  });

  it('writes everything pending in one line (group commit), and nothing while held', async () => {
    const dir = await tempDir();
    const journal = await WriteJournal.open(dir, PREFIX);
    journal.hold();
    for (let n = 0; n < 5; n++) journal.append(String(n));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(await segmentsIn(dir, PREFIX), [], 'nothing written while held');
    journal.release();
    await journal.durable();
    const [segment] = await segmentsIn(dir, PREFIX);
    assert.equal(await readFile(segment.file, 'utf8'), '[0,1,2,3,4]\n');
    await journal.close();
  });

  it('puts the changes of one synchronous step in one line (an update is a remove and an insert)', async () => {
    const dir = await tempDir();
    const journal = await WriteJournal.open(dir, PREFIX);
    journal.append('"remove"');
    journal.append('"insert"');
    await journal.durable();
    const [segment] = await segmentsIn(dir, PREFIX);
    assert.equal(await readFile(segment.file, 'utf8'), '["remove","insert"]\n');
    await journal.close();
  });

  it('ignores a torn last line (a write cut short was never acknowledged), in every segment', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, `${PREFIX}.1`), '[{"n":1}]\n[{"n":2},{"n"');
    await writeFile(path.join(dir, `${PREFIX}.2`), '[{"n":3}]\n[{"n":4}]'); // whole JSON, but its newline never made it
    assert.deepEqual(await readAll(dir), [{ n: 1 }, { n: 3 }]);
  });

  it('refuses a damaged line that is not the last, rather than dropping what follows', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, `${PREFIX}.1`), '[{"n":1}]\n[{"n"\n[{"n":3}]\n');
    await assert.rejects(readAll(dir), /journal\.1 is damaged at line 2/);
  });

  it('replays segments by number, not by name (10 after 9), and continues after the last', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, `${PREFIX}.10`), '["ten"]\n');
    await writeFile(path.join(dir, `${PREFIX}.9`), '["nine"]\n');
    await writeFile(path.join(dir, 'other.1'), '["not ours"]\n');
    assert.deepEqual(await readAll(dir), ['nine', 'ten']);
    const journal = await WriteJournal.open(dir, PREFIX);
    journal.append('"eleven"');
    await journal.durable();
    assert.deepEqual((await segmentsIn(dir, PREFIX)).map((s) => s.n), [9, 10, 11]);
    await journal.close();
  });

  it('rotates: what is not yet written goes to the new segment, and the old one is reported once its writes are done', async () => {
    const dir = await tempDir();
    const journal = await WriteJournal.open(dir, PREFIX);
    journal.append('"written before the cut"');
    await journal.durable();
    journal.append('"pending at the cut"');
    const rotated = journal.rotate();
    journal.append('"after the cut"');
    assert.equal(await rotated, 1);
    await journal.durable();
    const segments = await segmentsIn(dir, PREFIX);
    assert.deepEqual(segments.map((s) => s.n), [1, 2]);
    assert.equal(await readFile(segments[0].file, 'utf8'), '["written before the cut"]\n');
    assert.equal(await readFile(segments[1].file, 'utf8'), '["pending at the cut","after the cut"]\n');
    assert.equal(journal.bytes, '["pending at the cut","after the cut"]\n'.length);
    await journal.close();
  });

  it('rejects the waiters of a write that failed, and writes later changes to a fresh segment', async () => {
    const dir = await tempDir();
    const errors: string[] = [];
    const journal = await WriteJournal.open(dir, PREFIX, (err) => errors.push(err.message));
    // A directory where the segment file should be makes its open fail.
    await mkdir(path.join(dir, `${PREFIX}.1`));
    journal.append('"lost"');
    await assert.rejects(journal.durable(), /EISDIR/);
    assert.equal(errors.length, 1);
    journal.append('"kept"');
    await journal.durable();
    assert.deepEqual(await readJournal([path.join(dir, `${PREFIX}.2`)]).next().then((r) => r.value), 'kept');
    await journal.close();
  });
});
