import assert from 'assert';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { truncate } from '../../bot/policy/policyIndex';
import { SMALL_POLICY } from './fixtures';

const EXAMPLE = path.resolve(__dirname, '../../bot/policy/example');
const plain = (markdown: string) => markdown.replace(/\*\*/g, '');

describe('policy PolicyLibrary on the example policy set', () => {
  let library: PolicyLibrary;

  before(async () => {
    library = await PolicyLibrary.fromDirectory(EXAMPLE);
  });

  it('indexes the three example documents without warnings', () => {
    assert.deepStrictEqual(library.documents().map((d) => d.title).sort(), ['Online Safety Policy', 'Pupil Acceptable Use Policy', 'Staff Acceptable Use Policy']);
    assert.deepStrictEqual(library.warnings(), []);
    assert.ok(library.sections().length > 60);
  });

  it('answers a WhatsApp question with the messaging rule and its citation', () => {
    const answer = library.answer('can i use whatsapp to msg parents?');
    assert.ok(answer.found);
    assert.match(plain(answer.quote), /must not be used to message pupils or parents/);
    assert.deepStrictEqual(answer.citation, { document: 'Staff Acceptable Use Policy', section: '6.3 Messaging apps' });
    assert.match(answer.quote, /\*\*WhatsApp\*\*/);
  });

  it('finds removable media rules from "usb stick"', () => {
    const answer = library.answer('usb stick allowed?');
    assert.strictEqual(answer.citation?.section, '4.4 Memory sticks and removable media');
  });

  it('answers how to get a site unblocked and offers the filter-change form', () => {
    const answer = library.answer('how do i get a site unblocked');
    assert.ok(answer.found);
    assert.match(answer.citation?.section ?? '', /^2\.[34] /);
    assert.deepStrictEqual(answer.nextSteps, ['filter-change']);
  });

  it('tolerates misspellings', () => {
    const answer = library.answer('can i give my pasword to a collegue');
    assert.strictEqual(answer.citation?.section, '3.1 Keeping your password private');
  });

  it('keeps quotes short and whole, and see-also distinct', () => {
    for (const q of ['rules for video calls with pupils', 'lost phone', 'social media', 'monitoring of internet use', 'found indecent image on a laptop']) {
      const answer = library.answer(q);
      assert.ok(answer.found, q);
      assert.ok(answer.quote.length <= 600, `${q}: ${answer.quote.length}`);
      assert.match(plain(answer.quote), /[.:;!?…]$/, `${q} ends mid-sentence: ${answer.quote}`);
      assert.ok(answer.seeAlso.length <= 2);
      for (const s of answer.seeAlso) assert.notDeepStrictEqual(s, answer.citation);
    }
  });

  it('asks back rather than quote a weak answer with another section close behind, the best choice quoted in full', () => {
    // "students": the example policies say pupils, so the recording rule only just leads the retention rule.
    const weak = library.answer('do i need to record teams calls with students');
    assert.ok(weak.choices, 'a weak answer with a close runner-up is asked back');
    assert.deepStrictEqual(weak.choices[0].citation, { document: 'Staff Acceptable Use Policy', section: '7.4 Recording and notes' });
    assert.strictEqual(weak.choices[0].quote, weak.quote);
    assert.ok(weak.choices.slice(1).every((c) => c.quote.replace(/\*\*/g, '').length <= 300), 'the other choices are snippets');
    // Worded as the policy is, the same rule leads clearly and is quoted as the answer.
    const clear = library.answer('do i need to record teams calls with pupils');
    assert.strictEqual(clear.choices, undefined);
    assert.strictEqual(clear.citation?.section, '7.4 Recording and notes');
  });

  it('says so when nothing answers the question', () => {
    for (const q of ['how do i claim mileage', 'what time is lunch', 'xyzzy plugh']) {
      const answer = library.answer(q);
      assert.strictEqual(answer.found, false, q);
      assert.strictEqual(answer.quote, '');
      assert.deepStrictEqual(answer.seeAlso, []);
    }
  });

  it('flags a child in danger alongside the answer', () => {
    const answer = library.answer('a pupil told me her stepdad hits her');
    assert.strictEqual(answer.childInDanger, true);
    assert.deepStrictEqual(answer.nextSteps, ['report-incident']);
  });
  // Speed is measured by `npm run eval:reference` (a figure for one machine, not a unit test).
});

describe('policy PolicyLibrary folder handling', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lantern-lib-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reports an empty folder as a warning rather than failing', async () => {
    const library = await PolicyLibrary.fromDirectory(dir);
    assert.ok(library.warnings().some((w) => /no policy documents/.test(w)));
    assert.strictEqual(library.answer('usb stick allowed?').found, false);
  });

  it('asks which rule is meant, saying it is unsure, when no rule answers well but the best one speaks of two of the topics', async () => {
    await fs.writeFile(path.join(dir, 'aup.txt'), SMALL_POLICY);
    const library = await PolicyLibrary.fromDirectory(dir);
    const unsure = library.answer('someone from the pta wants the password to the photo folder on the network');
    assert.strictEqual(unsure.unsure, true);
    assert.deepStrictEqual(unsure.choices?.map((c) => c.citation.section), ['2 Photographs', '3 Passwords']);
    // One shared topic is no reason to ask: "bring" and "work" are everyday words here.
    assert.strictEqual(library.answer('can I bring my dog to work').found, false);
    // A rule that answers is quoted, not asked about.
    const sure = library.answer('can i use my personal email to contact parents');
    assert.strictEqual(sure.citation?.section, '1 Email');
    assert.strictEqual(sure.choices, undefined);
  });

  it('never asks back when a child may be in danger, however unsure', async () => {
    await fs.writeFile(path.join(dir, 'aup.txt'), SMALL_POLICY);
    const library = await PolicyLibrary.fromDirectory(dir);
    const answer = library.answer('her stepdad hits her and he wants the password to the photo folder on the network');
    assert.strictEqual(answer.childInDanger, true);
    assert.strictEqual(answer.choices, undefined);
  });

  it('quotes the sentence that answers, even late in a long list item or a long section', async () => {
    const filler = Array.from({ length: 30 }, (_, i) => `- Staff keep classroom ${i + 1} tidy and return borrowed laptops to the trolley at the end of each lesson.`).join('\n');
    const item = '- Parents may film the school concert for their own family. To respect everyone\'s privacy, these recordings must not be posted on social media.';
    await fs.writeFile(path.join(dir, 'images.md'), `# Images Policy\n\n## Photos and Video\n\nThe school takes care with images of pupils:\n\n${filler}\n${item}`);
    const library = await PolicyLibrary.fromDirectory(dir);
    const answer = library.answer('parents filming the concert and posting it on facebook');
    assert.ok(answer.found);
    assert.match(plain(answer.quote), /must not be posted on social media/);
    assert.strictEqual(answer.citation?.section, 'Photos and Video');
  });

  it('quotes the sentence that gives the kind of answer asked for, over one that only shares more of its words', async () => {
    const filler = Array.from({ length: 8 }, (_, i) => `Lesson ${i + 1} of the remote timetable starts at the usual time and ends five minutes early so that everyone can move on.`).join(' ');
    const text = `# Remote Teaching\n\n## Video lessons\n\nStaff hold Teams calls with pupils from a school account and note any concern about a pupil on such a call in the safeguarding system. ${filler} There is no requirement to record video calls.`;
    await fs.writeFile(path.join(dir, 'remote.md'), text);
    const library = await PolicyLibrary.fromDirectory(dir);
    const answer = library.answer('do i have to record teams calls with pupils');
    assert.ok(answer.found);
    assert.match(plain(answer.quote), /There is no requirement to record video calls/);
  });

  it('rebuilds when a file changes and stops watching on request', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), '# Phone Policy\n\n## 1. Phones\n\nStaff phones stay in the staffroom during lessons at all times.');
    const library = await PolicyLibrary.fromDirectory(dir);
    const reloaded = new Promise<PolicyLibrary>((resolve) => {
      const stop = library.watch((lib) => {
        stop();
        resolve(lib);
      });
    });
    await fs.writeFile(path.join(dir, 'b.md'), '# Printing Policy\n\n## 1. Printing\n\nPrint double-sided and collect your printing from the library printer.');
    const next = await reloaded;
    assert.strictEqual(next.documents().length, 2);
    assert.strictEqual(next.answer('where do i collect my printing').citation?.document, 'Printing Policy');
  });
});

describe('policy quote formatting', () => {
  it('truncates at a sentence end or word boundary, never mid-word', () => {
    const text = 'Staff must lock their screens. Pupils may not use staff computers under any circumstances whatsoever.';
    assert.strictEqual(truncate(text, 50), 'Staff must lock their screens.');
    const cut = truncate('alpha beta gamma delta epsilon zeta', 20);
    assert.match(cut, /^alpha beta gamma…$/);
  });
});
