import assert from 'assert';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { deriveTitle, loadDocuments, prettifyFileName } from '../../bot/policy/documentLoader';
import { buildDocx, buildPdf } from './fixtures';

describe('policy documentLoader', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lantern-loader-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads a .docx keeping paragraph breaks', async () => {
    await fs.writeFile(path.join(dir, 'staff-aup.docx'), await buildDocx(['Staff Acceptable Use Policy', '1. Email', 'Use your school account for all school email.']));
    const { documents, warnings } = await loadDocuments(dir);
    assert.deepStrictEqual(warnings, []);
    assert.strictEqual(documents.length, 1);
    assert.strictEqual(documents[0].title, 'Staff Acceptable Use Policy');
    assert.match(documents[0].text, /1\. Email\s*\n+\s*Use your school account/);
  });

  it('reads a .pdf with unpdf', async () => {
    await fs.writeFile(path.join(dir, 'filtering.pdf'), buildPdf(['Filtering Policy', '2.1 Requests', 'Requests go to the DSL first.']));
    const { documents, warnings } = await loadDocuments(dir);
    assert.deepStrictEqual(warnings, []);
    assert.strictEqual(documents.length, 1);
    assert.match(documents[0].text, /Requests go to the DSL first\./);
    assert.strictEqual(documents[0].title, 'Filtering Policy');
  });

  it('reads .txt and .md and warns about unsupported or unreadable files', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), '# Online Safety Policy\n\n## 1. Scope\n\nText.');
    await fs.writeFile(path.join(dir, 'b.txt'), 'HOLLINS PARK SCHOOL\n\nMOBILE PHONE POLICY\n\n1. Phones\n\nText.');
    await fs.writeFile(path.join(dir, 'notes.xlsx'), 'x');
    await fs.writeFile(path.join(dir, 'broken.docx'), 'not a zip');
    const { documents, warnings } = await loadDocuments(dir);
    assert.deepStrictEqual(documents.map((d) => d.title), ['Online Safety Policy', 'Mobile Phone Policy']);
    assert.ok(warnings.some((w) => w.startsWith('notes.xlsx: unsupported')));
    assert.ok(warnings.some((w) => w.startsWith('broken.docx: unreadable')));
  });

  it('falls back to the prettified file name for a title', () => {
    assert.strictEqual(prettifyFileName('staff-acceptable_use.policy.txt'), 'Staff Acceptable Use Policy');
    assert.strictEqual(deriveTitle('this starts with a sentence that ends.', 'e-safety-rules.txt'), 'E Safety Rules');
  });
});
