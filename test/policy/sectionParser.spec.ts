import assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import { followsOn, parseSections, PolicySection } from '../../bot/policy/sectionParser';
import { sectionProblems } from './evalHarness';

// Test-only policies written for these tests (test/fixtures/policies/README.md): each exercises the layouts real
// school policies use. `npm run eval:reference` runs the same sanity checks on real policies.
const POLICIES = path.resolve(__dirname, '../fixtures/policies');
const parseFile = (file: string) => parseSections(readFileSync(path.join(POLICIES, file), 'utf8'));
const find = (sections: PolicySection[], number: string) => sections.find((s) => s.number === number);

describe('policy sectionParser', () => {
  describe('on whole policy documents', () => {
    for (const file of readdirSync(POLICIES).filter((f) => f.endsWith('.txt'))) {
      it(`${file}: realistic, non-empty sections without page furniture`, () => {
        const { sections } = parseFile(file);
        assert.deepStrictEqual(sectionProblems(sections, { min: 7, max: 40 }), []);
      });
    }

    it('finds numbered clauses with their own headings, below a contents list (Harbour Gate)', () => {
      const { sections } = parseFile('harbour-gate-staff-aup.txt');
      assert.strictEqual(find(sections, '2.3')?.title, 'Shared Mailboxes');
      assert.strictEqual(find(sections, '1.3')?.title, 'Personal connections or hotspots');
      assert.strictEqual(find(sections, '3.1')?.title, 'Online Bullying');
      assert.match(find(sections, '2.4')?.text ?? '', /must never be opened/);
      // The contents list at the top ("1. Using the internet 2. Using email…") must not become sections.
      assert.strictEqual(sections.filter((s) => s.number === '1').length, 0);
      assert.deepStrictEqual(find(sections, '2.4')?.path, ['Using Email', 'Attachments and Links']);
    });

    it('handles shouted numbered headings, sub-item headings, a stray page number and an appendix (Meadowbank)', () => {
      const { sections } = parseFile('meadowbank-aup.txt');
      assert.strictEqual(find(sections, '6.2')?.title, 'Tools for getting round the filter');
      assert.strictEqual(find(sections, '4.3(i)')?.title, 'Phones and Smart Watches');
      assert.deepStrictEqual(find(sections, '4.3(ii)')?.path, ['In the Classroom', 'Portable devices', 'Laptops, Tablets and Memory Sticks']);
      assert.ok(sections.some((s) => s.number === 'Appendix 2' && /Filter Change Record/.test(s.title)));
      const all = sections.map((s) => s.text).join('\n');
      assert.doesNotMatch(all, /^5$/m);
      assert.match(find(sections, '3')?.text ?? '', /private business or political campaigning/);
    });

    it('title-cases shouted headings, keeping small words lower case (Meadowbank)', () => {
      const { sections } = parseFile('meadowbank-aup.txt');
      assert.strictEqual(find(sections, '7')?.title, 'Passwords');
      assert.strictEqual(find(sections, '8')?.title, 'Use of Home Computers and Personal Accounts');
    });

    it('keeps bullet-prefixed and three-level numbering (Bridgeford)', () => {
      const { sections } = parseFile('bridgeford-staff-aup.txt');
      assert.match(find(sections, '2.1.5')?.text ?? '', /never try to switch them off/);
      assert.match(find(sections, '4.1.2')?.text ?? '', /addresses in the bcc line/);
      assert.strictEqual(find(sections, '2.1.9')?.title, 'Lock your screen whenever you leave your desk');
      assert.deepStrictEqual(find(sections, '4.1.2')?.path.slice(0, 2), ['Communicating with families', 'Email']);
    });

    it('uses headings when nothing is numbered, and drops the contents page (Heathfield)', () => {
      const { sections, warnings } = parseFile('heathfield-online-safety.txt');
      const titles = sections.map((s) => s.title);
      for (const t of ['Staff Devices in School (BYOD)', 'Keeping Data Safe', 'Monitoring and Privacy', 'Misuse of School Equipment']) assert.ok(titles.includes(t), t);
      assert.ok(!sections.some((s) => /Page \d+ \|/.test(s.text)));
      assert.ok(warnings.includes('no numbered sections found; using headings only'));
    });
  });

  describe('numbering styles', () => {
    const numbers = (text: string) => parseSections(text).sections.map((s) => `${s.number}|${s.title}`);

    it('decimal clauses at several depths, with or without a trailing dot', () => {
      const text = '1. Email\n\nUse school email for everything.\n\n1.1 Attachments: Do not open unexpected program files from anyone.\n\n1.1.1 Large files must go through OneDrive rather than email.\n\n2 PASSWORDS\n\nKeep your password private and change it every year.';
      assert.deepStrictEqual(numbers(text), ['1|Email', '1.1|Attachments', '1.1.1|Large files must go through OneDrive…', '2|Passwords'].map((s) => s.replace('Large files must go through OneDrive…', 'Large files must go through OneDrive rather than email')));
    });

    it('keeps a) and (b) and i. sub-items inside their parent', () => {
      const text = '3. Sending email\n\nBefore you send:\n\na) check the recipients carefully before pressing send;\n\n(b) use bcc for parent groups so addresses stay private;\n\ni. never use reply-all for a confidential thread.';
      const { sections } = parseSections(text);
      assert.strictEqual(sections.length, 1);
      assert.match(sections[0].text, /a\) check the recipients/);
      assert.match(sections[0].text, /b\) use bcc/);
      assert.match(sections[0].text, /i\) never use reply-all/);
    });

    it('treats upper-case roman numerals and appendix labels as headings', () => {
      const text = 'I. SCOPE\n\nThis policy covers all staff who use school systems.\n\nII. MONITORING\n\nThe school monitors the network and email at all times.\n\nAppendix A: Filter change log\n\nEvery change is logged with a date and a reason.';
      assert.deepStrictEqual(numbers(text), ['I|Scope', 'II|Monitoring', 'Appendix A|Filter change log']);
    });

    it('uses unnumbered Title Case and ALL CAPS headings', () => {
      const text = 'Mobile Phones\n\nStaff phones stay out of sight during lessons and are kept on silent.\n\nSOCIAL MEDIA\n\nDo not accept friend requests from current pupils on any platform.';
      assert.deepStrictEqual(numbers(text), ['|Mobile Phones', '|Social Media']);
    });

    it('drops page numbers and repeated headers and footers, and rejoins sentences broken by a page', () => {
      const footer = 'Hollins Park School – Staff AUP v3';
      const text = `1. Filtering\n\nRequests to unblock a site go to the\n\nPage 2 of 5\n\n${footer}\n\ndesignated safeguarding lead first.\n\n${footer}\n\n2. Monitoring\n\n7\n\nThe school monitors email and web use on all devices.\n\n${footer}`;
      const { sections } = parseSections(text);
      assert.strictEqual(sections[0].text, 'Requests to unblock a site go to the designated safeguarding lead first.');
      assert.strictEqual(sections[1].text, 'The school monitors email and web use on all devices.');
    });

    it('converts bullets, tab tables and HTML lists into lines', () => {
      const text = '4. Devices\n\nStaff must:\n\n• lock screens when away;\n\no encrypt memory sticks;\n\n\uf0b7 report lost devices at once.\n\nDevice\tRule\n\n<ul><li>No personal phones in class</li><li>Tablets on the trolley</li></ul>';
      const { sections } = parseSections(text);
      assert.strictEqual(sections.length, 1);
      const lines = sections[0].text.split('\n');
      assert.ok(lines.includes('• lock screens when away;'));
      assert.ok(lines.includes('• encrypt memory sticks;'));
      assert.ok(lines.includes('• report lost devices at once.'));
      assert.ok(lines.includes('Device | Rule'));
      assert.ok(lines.includes('• No personal phones in class'));
    });

    it('merges tiny sections into the one before and splits very long unnumbered runs', () => {
      const tiny = parseSections('1. Email\n\nUse school email for all school business, always.\n\n1.1 Note\n\nSee IT.');
      assert.strictEqual(tiny.sections.length, 1);
      assert.match(tiny.sections[0].text, /See IT\./);
      const paragraph = 'Staff should think carefully before sharing anything about pupils online, because posts can be copied and kept forever. ';
      const long = parseSections(`Social Media Guidance\n\n${Array.from({ length: 40 }, () => paragraph).join('\n\n')}`);
      assert.ok(long.sections.length >= 3);
      assert.ok(long.sections.every((s) => s.title === 'Social Media Guidance' && s.text.length <= 2600));
      assert.ok(long.warnings.some((w) => /very long/.test(w)));
    });

    it('files an unnumbered "Action you must take" heading under the topic heading above it', () => {
      const text = 'Text Messages\n\nStaff use school phones to text parents about trips and clubs.\n\nAction you must take if an incident occurs\n\n- Do not reply to abusive texts and keep them as evidence.';
      const action = parseSections(text).sections.find((s) => s.title.startsWith('Action'));
      assert.deepStrictEqual(action?.path, ['Text Messages', 'Action you must take if an incident occurs']);
    });

    it('tells a clause heading from a title made of the clause\'s first words', () => {
      const { sections } = parseSections('1. Email\n\nUse school email for all school business, always.\n\n2. Staff must not share their passwords with anyone, including other members of staff.');
      assert.ok(!find(sections, '1')?.titleFromBody);
      assert.ok(find(sections, '2')?.titleFromBody);
    });

    it('rejects clause numbers that do not follow on', () => {
      assert.ok(followsOn([2, 1], [2, 2]));
      assert.ok(followsOn([2, 1], [2, 1, 1]));
      assert.ok(followsOn([2, 1, 3], [3]));
      assert.ok(!followsOn([4, 2], [1]));
      assert.ok(!followsOn([4, 2], [4, 2]));
      assert.ok(!followsOn([3], [17]));
    });
  });
});
