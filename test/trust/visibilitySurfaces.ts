import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { SCHOOL_FIELD } from '../../bot/trust/schoolStamp';
import { cardOf, cardText, visibleText } from '../support/cards';
import { consentCards, receiveFiles } from '../support/fileConsent';
import type { Member } from '../support/fakeConnector';
import type { Harness, InvokeResult } from '../support/harness';
import { personalChat } from '../support/teamsChannel';
import { shown } from '../incidents/reportSteps';
import { pdftoppmAvailable } from '../report/pdfPages';

let pdfNoted = false;
import { PERIOD, type Seeded } from './visibilitySeed';
import type { RoleKey, SchoolFixture } from './visibilityTrust';

/** A school role, or the person listed in both schools (in a chat chosen for one of them). */
export type Viewer = RoleKey | 'twofold';

const run = promisify(execFile);

/** Who is looking, for which school (their chat's), and what both schools seeded. */
export interface Look {
  h: Harness;
  who: Member;
  own: SchoolFixture;
  ownSeed: Seeded;
  other: SchoolFixture;
  otherSeed: Seeded;
}

/**
 * One thing a person can reach. `shows` names the roles for which it must show something of their
 * own school (so the surface is known to work, and a check for the other school's marks means
 * something); for everyone else it may refuse, but must still show nothing of the other school.
 */
export interface Surface {
  name: string;
  run(look: Look): Promise<InvokeResult | void>;
  shows?: { roles: Viewer[]; what(own: SchoolFixture, seed: Seeded): RegExp };
  /** What of the other school the viewer typed themselves: the answer may repeat it ("Case BRK-… isn't one you handle"). */
  echo?(look: Look): string;
}

const type = (text: (l: Look) => string) => async (l: Look) => void (await l.h.say(l.who, text(l)));
const press = (verb: string, data: (l: Look) => Record<string, unknown>) => (l: Look) => l.h.click(l.who, verb, data(l));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const SURFACES: Surface[] = [
  { name: 'help', run: type(() => 'help') },
  { name: 'case <own ref>', run: type((l) => `case ${l.ownSeed.caseRef}`), shows: { roles: ['dsl', 'deputy'], what: (s) => new RegExp(escape(s.pupil)) } },
  { name: 'case <other ref>', run: type((l) => `case ${l.otherSeed.caseRef}`), echo: (l) => l.otherSeed.caseRef },
  { name: 'export case <own ref>', run: type((l) => `export case ${l.ownSeed.caseRef}`), shows: { roles: ['dsl'], what: (s) => new RegExp(escape(s.pupil)) } },
  { name: 'export case <other ref>', run: type((l) => `export case ${l.otherSeed.caseRef}`), echo: (l) => l.otherSeed.caseRef },
  { name: "Open on the other school's case card (its stamp)", run: press('incident.open', (l) => ({ ref: l.otherSeed.caseRef, view: 'record', [SCHOOL_FIELD]: l.other.id })), echo: (l) => l.otherSeed.caseRef },
  { name: 'filter log', run: type(() => 'filter log'), shows: { roles: ['dsl', 'it'], what: (s) => new RegExp(`${s.marker.toLowerCase()}-history`) } },
  { name: 'export filter log', run: type(() => 'export filter log'), shows: { roles: ['dsl', 'it'], what: (s) => new RegExp(`${s.marker.toLowerCase()}-history`) } },
  // A trust IT manager names the school (`filter log brookfield`): naming the other school shows nobody here its log.
  { name: 'filter log <other school>', run: type((l) => `filter log ${l.other.id}`), echo: (l) => l.other.id },
  { name: 'export filter log <other school>', run: type((l) => `export filter log ${l.other.id}`), echo: (l) => l.other.id },
  { name: "Authorise on the other school's request (its stamp)", run: press('filter.approve', (l) => ({ reference: l.otherSeed.filterRefs[0], step: 'authorise', comment: '', filterReference: '', [SCHOOL_FIELD]: l.other.id })) },
  { name: 'log tutor session (the form)', run: type(() => 'log tutor session'), shows: { roles: ['staff', 'twofold'], what: (s) => new RegExp(s.groups.own) } },
  { name: 'my tutor logs', run: type(() => 'my tutor logs'), shows: { roles: ['staff', 'twofold'], what: (s) => new RegExp(`${s.marker}\\d`) } },
  { name: 'tutor log week', run: type((l) => `tutor log week ${l.ownSeed.week}`), shows: { roles: ['pastoral', 'dsl', 'admin'], what: (s) => new RegExp(`2 sessions logged for 2 tutor groups[^]*${s.groups.shared}`) } },
  { name: 'export tutor log', run: type((l) => `export tutor log ${l.ownSeed.week}`), shows: { roles: ['pastoral'], what: (s) => new RegExp(`${s.marker} assembly practice`) } },
  { name: 'plan a 1-1 call (the form)', run: type(() => 'plan a 1-1 call') },
  { name: 'my calls', run: type(() => 'my calls') },
  { name: 'call note <own call>', run: type((l) => `call note ${l.ownSeed.callId}`), shows: { roles: ['dsl', 'pastoral', 'staff'], what: (s) => new RegExp(`${s.marker} note`) } },
  { name: 'call note <other call>', run: type((l) => `call note ${l.otherSeed.callId}`), echo: (l) => l.otherSeed.callId },
  { name: 'request a filter change (the form)', run: type(() => 'request a filter change') },
  { name: 'report an incident (the form)', run: type(() => 'report an incident') },
  {
    name: 'report about a member of staff (the list of staff)',
    run: async (l) => {
      await l.h.say(l.who, 'report an incident');
      await l.h.click(l.who, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
      const list = await l.h.click(l.who, 'incident.next', { step: 'category', category: 'staff-misuse', subject: 'staff' });
      await l.h.click(l.who, 'incident.cancel');
      return list;
    },
    shows: { roles: ['staff', 'twofold'], what: (s) => new RegExp(s.people.it.name) },
  },
  { name: 'away on (who would cover)', run: type(() => 'away on'), shows: { roles: ['dsl'], what: (s) => new RegExp(s.people.deputy.name) } },
  { name: 'ask staff to acknowledge (the form)', run: type((l) => `ask staff to acknowledge ${l.own.document}`), shows: { roles: ['dsl', 'admin'], what: (s) => new RegExp(s.section) } },
  { name: 'acknowledgements <own document>', run: type((l) => `acknowledgements ${l.own.document}`), shows: { roles: ['dsl', 'admin'], what: () => /\b1 of 10\b/ } },
  { name: 'acknowledgements <other document>', run: type((l) => `acknowledgements ${l.other.document}`), echo: (l) => l.other.document },
  { name: 'export acknowledgements <own document>', run: type((l) => `export acknowledgements ${l.own.document}`), shows: { roles: ['dsl', 'admin'], what: (s) => new RegExp(s.people.deputy.name) } },
  { name: 'export acknowledgements <other document>', run: type((l) => `export acknowledgements ${l.other.document}`), echo: (l) => l.other.document },
  { name: 'report term', run: type(() => `report term ${PERIOD.from} ${PERIOD.to}`), shows: { roles: ['dsl', 'head', 'chair', 'admin'], what: (_s, seed) => new RegExp(`Requests by kind[^]*?Total\\n${seed.filterRefs.length}\\n[^]*?Checks done\\n1\\n`) } },
  { name: 'report term: PDF and Excel', run: press('report.export', () => ({ ...PERIOD })), shows: { roles: ['head', 'chair'], what: (s) => new RegExp(s.name) } },
  { name: 'retention report', run: type(() => 'retention report'), shows: { roles: ['dsl', 'head'], what: (_s, seed) => new RegExp(seed.caseRef) } },
  { name: 'hold <other ref>', run: type((l) => `hold ${l.otherSeed.caseRef} checking a claim`), echo: (l) => l.otherSeed.caseRef },
  { name: 'release hold <other ref>', run: type((l) => `release hold ${l.otherSeed.caseRef} claim settled`), echo: (l) => l.otherSeed.caseRef },
  { name: 'setup', run: type(() => 'setup'), shows: { roles: ['admin'], what: (s) => new RegExp(`${s.marker} DSL`) } },
  { name: 'config check', run: type(() => 'config check'), shows: { roles: ['admin'], what: (s) => new RegExp(s.name) } },
];

/** The conversations that are this person's own: their 1:1 chat and any chat Lantern opened with them. */
function chatsOf(h: Harness, who: Member): string[] {
  return [personalChat(who).id, ...h.connector.created.filter((c) => c.parameters.members?.[0]?.id === who.id).map((c) => c.id)];
}

/**
 * Everything `who` could read from what the bot sent them since `mark`: messages, card updates and
 * (received as they would be, by Allow on each consent card) files; `files: false` for offers already taken.
 */
export async function seenSince(h: Harness, who: Member, mark: { sent: number; updated: number }, answer?: InvokeResult | void, files = true): Promise<string> {
  const mine = chatsOf(h, who);
  const sent = h.connector.sent.slice(mark.sent).filter((s) => mine.includes(s.conversationId));
  const updates = h.connector.updated.slice(mark.updated).filter((u) => mine.includes(u.conversationId)).map((u) => cardText(cardOf(u)));
  const received = files && consentCards(sent).length ? await receiveFiles(h, who, sent) : [];
  const contents = await Promise.all(received.map(async (f) => `${f.name}\n${await fileText(f.name, f.bytes)}`));
  return [answer ? shown(answer) : '', ...sent.map(visibleText), ...updates, ...contents].join('\n');
}

export const markOf = (h: Harness) => ({ sent: h.connector.sent.length, updated: h.connector.updated.length });

/** What a person reads in a file: every cell of a workbook, the text of a PDF, CSV and JSON as they are. */
export async function fileText(name: string, bytes: Buffer): Promise<string> {
  if (/\.xlsx$/i.test(name)) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as any);
    const cells: string[] = [book.title ?? '', book.subject ?? '', book.creator ?? ''];
    book.eachSheet((sheet) => {
      cells.push(sheet.name);
      sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text)));
    });
    return cells.join('\n');
  }
  if (/\.pdf$/i.test(name)) return pdfText(bytes);
  return bytes.toString('utf8');
}

/**
 * The PDF's text by poppler's pdftotext (CI installs poppler-utils; see .ci/run), metadata included.
 * On a machine without it (outside CI) the PDF is not read, said once; the same report's workbook
 * holds everything the PDF does and is read cell by cell.
 */
async function pdfText(bytes: Buffer): Promise<string> {
  if (!(await pdftoppmAvailable())) {
    if (!pdfNoted) console.log('      (poppler-utils is not installed: report PDFs are not read; the workbook with the same figures is)');
    pdfNoted = true;
    return '';
  }
  const child = run('pdftotext', ['-', '-']);
  child.child.stdin!.end(bytes);
  const info = run('pdfinfo', ['-']);
  info.child.stdin!.end(bytes);
  const [{ stdout }, meta] = await Promise.all([child, info]);
  return `${meta.stdout}\n${stdout}`;
}

/** `text` without what the viewer typed (any case). */
export function withoutEcho(text: string, typed: string | undefined): string {
  return typed ? text.replace(new RegExp(escape(typed), 'gi'), '<typed>') : text;
}

/** The first of `marks` found in `text`, with the line it is on. */
export function leakIn(text: string, marks: RegExp[]): string | undefined {
  for (const mark of marks) {
    const m = mark.exec(text);
    if (m) {
      const line = text.slice(Math.max(0, text.lastIndexOf('\n', m.index) + 1), text.indexOf('\n', m.index) < 0 ? undefined : text.indexOf('\n', m.index));
      return `${mark.source}: "${line.slice(0, 200)}"`;
    }
  }
  return undefined;
}
