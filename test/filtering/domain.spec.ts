import assert from 'node:assert/strict';
import { EXAMPLE_CONFIG, loadConfigFile } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';
import { applyStep, checkActor, holdsStepRole } from '../../bot/filtering/chain';
import { scopePhrase } from '../../bot/filtering/describe';
import { toCsv } from '../../bot/core/spreadsheetCells';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import { dslStepPeople, escalationPeople, itPeople } from '../../bot/filtering/recipients';
import { refusalFor } from '../../bot/filtering/refusals';
import { emptyForm, validateForm } from '../../bot/filtering/requestForm';
import { firstReviewDate } from '../../bot/filtering/reviewSchedule';
import { filteringSettingsSchema, type FilteringSettings } from '../../bot/filtering/settings';
import { normaliseWebsite, siteIsWithin } from '../../bot/filtering/website';
import { filterRequest as request } from './helpers';
import { parseCsv } from './parseCsv';

const settings: FilteringSettings = filteringSettingsSchema.parse({ dslSection: 'Senior' });


describe('filtering domain rules', () => {
  let roster: Roster;
  before(async () => {
    roster = new Roster((await loadConfigFile(EXAMPLE_CONFIG, {})).school);
  });

  it('normalises web addresses and refuses what is not one', () => {
    assert.deepEqual(normaliseWebsite(' HTTP://WWW.BBC.co.uk/Bitesize/?q=1#x '), { ok: true, value: 'bbc.co.uk/Bitesize' });
    assert.deepEqual(normaliseWebsite('www2.example.org/'), { ok: true, value: 'example.org' });
    assert.deepEqual(normaliseWebsite('xn--bcher-kva.example'), { ok: true, value: 'xn--bcher-kva.example' });
    for (const bad of ['', 'example', 'file:///etc/passwd', 'http://-bad-.org', 'https://a.b/ c', '10.0.0.1', 'https://example.123']) {
      assert.equal(normaliseWebsite(bad).ok, false, bad);
    }
    assert.equal(siteIsWithin('a.b.example.org/x/y', 'example.org'), true);
    assert.equal(siteIsWithin('badexample.org', 'example.org'), false);
    assert.equal(siteIsWithin('example.org/games', 'example.org/games/casino'), false);
  });

  it('applies the reference-policy defaults to an empty filtering section', () => {
    assert.equal(settings.dslSection, 'Senior');
    assert.deepEqual(settings.chain, ['sanction', 'authorise', 'make', 'confirm']);
    assert.equal(settings.reviewAfterDays, 30);
    assert.ok(settings.neverAllowCategories.some((c) => /IWF/.test(c)));
    assert.ok(settings.neverAllowCategories.some((c) => /terrorist/i.test(c)));
    assert.equal(filteringSettingsSchema.safeParse({ dslSection: 'Senior', chain: ['make', 'sanction'] }).success, false);
    assert.equal(filteringSettingsSchema.safeParse({ dslSection: 'Senior', unknownKey: 1 }).success, false);
    assert.equal(settings.stepReminderHours, 24);
    for (const bad of [0, 169, 1.5, '24']) assert.equal(filteringSettingsSchema.safeParse({ dslSection: 'Senior', stepReminderHours: bad }).success, false, String(bad));
    assert.equal(filteringSettingsSchema.parse({ dslSection: 'Senior', stepReminderHours: 168 }).stepReminderHours, 168);
  });

  it('validates a form: a block of a never-allowed category is fine, an unblock is refused', () => {
    const values = { ...emptyForm(), targetKind: 'category', category: 'child sexual abuse material (iwf list)', change: 'unblock', audience: 'staff', duration: 'permanent', reason: 'Testing the rules of the filter', neededBy: '2026-11-22' };
    const result = validateForm(values, settings, roster, '2026-11-22');
    assert.ok(result.ok);
    assert.match(refusalFor(result.details, settings)!, /never unblocks/);
    assert.equal(refusalFor({ ...result.details, change: 'block' }, settings), undefined);
    const year = validateForm({ ...values, category: 'Video streaming', audience: 'year', audienceDetail: 'year 9' }, settings, roster, '2026-11-22');
    assert.ok(year.ok && year.details.audienceDetail === 'Year 9');
    const noYear = validateForm({ ...values, audience: 'year', audienceDetail: 'Year 14' }, settings, roster, '2026-11-22');
    assert.ok(!noYear.ok && /year group the school has/.test(noYear.errors.audienceDetail!));
  });

  it('lets only the right role act, never the requester, and not the maker confirming their own change', () => {
    assert.equal(holdsStepRole('sanction', 'dkhan', roster, settings), true);
    assert.equal(holdsStepRole('sanction', 'lmorris', roster, settings), true, 'the deputy covers');
    assert.equal(holdsStepRole('sanction', 'pgreen', roster, settings), false, "another section's DSL does not");
    assert.equal(holdsStepRole('authorise', 'swu', roster, settings), false);
    assert.equal(holdsStepRole('make', 'mcole', roster, settings), true);
    assert.equal(holdsStepRole('confirm', 'efisher', roster, settings), true);
    assert.equal(holdsStepRole('confirm', 'ngrant', roster, settings), false);
    const mine = request({ requestedBy: { id: 'dkhan', name: 'Daniel Khan' } });
    assert.deepEqual(checkActor(mine, 'sanction', { id: 'dkhan', name: 'Daniel Khan' }, roster, settings).ok, false);
    const made = request({ step: 'confirm', history: [{ step: 'make', outcome: 'done', by: { id: 'mcole', name: 'Mark Cole' }, at: '' }] });
    const check = checkActor(made, 'confirm', { id: 'mcole', name: 'Mark Cole' }, roster, { ...settings, confirmBy: ['dsl'] });
    assert.ok(!check.ok && check.kind === 'role');
    const maker = checkActor({ ...made, history: [{ step: 'make', outcome: 'done', by: { id: 'dkhan', name: 'Daniel Khan' }, at: '' }] }, 'confirm', { id: 'dkhan', name: 'Daniel Khan' }, roster, settings);
    assert.ok(!maker.ok && maker.kind === 'separation');
  });

  it('moves through a configured chain and stops on a decline', () => {
    const short = request({ chain: ['sanction', 'make'] });
    const sanctioned = applyStep(short, 'sanction', { id: 'dkhan', name: 'Daniel Khan' }, new Date('2026-11-22T10:00:00Z'), { outcome: 'done' });
    assert.equal(sanctioned.step, 'make');
    const made = applyStep(sanctioned, 'make', { id: 'swu', name: 'Sarah Wu' }, new Date(), { outcome: 'done', filterReference: 'R1' });
    assert.deepEqual([made.status, made.step, made.filterReference], ['in-force', undefined, 'R1']);
    const declined = applyStep(short, 'sanction', { id: 'dkhan', name: 'Daniel Khan' }, new Date(), { outcome: 'declined', reason: 'no' });
    assert.deepEqual([declined.status, declined.step], ['declined', undefined]);
    assert.equal(firstReviewDate(request(), '2026-11-22', 30), '2026-12-10', 'never after the end date');
    assert.equal(firstReviewDate(request({ details: { ...request().details, duration: 'permanent', endDate: undefined } }), '2026-11-22', 30), '2026-12-22');
  });

  it('routes DSL steps away from the requester and IT steps to IT', () => {
    assert.deepEqual(dslStepPeople('sanction', request(), roster, settings).map((p) => p.id), ['dkhan']);
    assert.deepEqual(dslStepPeople('sanction', request({ requestedBy: { id: 'dkhan', name: 'Daniel Khan' } }), roster, settings).map((p) => p.id), ['lmorris']);
    assert.deepEqual(dslStepPeople('confirm', request(), roster, settings).map((p) => p.id), ['dkhan', 'efisher']);
    assert.deepEqual(itPeople('authorise', roster).map((p) => p.id), ['mcole']);
    assert.deepEqual(itPeople('make', roster).map((p) => p.id), ['mcole', 'swu', 'jboateng']);
  });

  it('escalates a stalled step to the IT manager or the senior DSL\'s deputies, only to people who may act on it', () => {
    const ids = (step: Parameters<typeof escalationPeople>[0], r: FilterRequest, s = settings) => escalationPeople(step, r, roster, s).map((p) => p.id);
    assert.deepEqual(ids('sanction', request()), ['lmorris']);
    assert.deepEqual(ids('authorise', request({ step: 'authorise' })), ['mcole']);
    assert.deepEqual(ids('make', request({ step: 'make' })), ['mcole']);
    assert.deepEqual(ids('confirm', request({ step: 'confirm' })), ['lmorris']);
    assert.deepEqual(ids('sanction', request({ requestedBy: { id: 'lmorris', name: 'Laura Morris' } })), [], 'never to the requester');
    const madeByDeputy = request({ step: 'confirm', history: [{ step: 'make', outcome: 'done', by: { id: 'lmorris', name: 'Laura Morris' }, at: '' }] });
    assert.deepEqual(ids('confirm', madeByDeputy), [], 'nor to whoever made the change');
    assert.deepEqual(ids('confirm', request({ step: 'confirm' }), { ...settings, confirmBy: ['deputy-head-pastoral'] }), [], 'a deputy DSL who may not confirm gets no card');
  });

  it('writes CSV a spreadsheet reads back exactly, with formulas neutralised', () => {
    const csv = toCsv(['a', 'b'], [['=SUM(A1)', 'line\nbreak, "quoted"'], ['+1', '@x']]);
    assert.deepEqual(parseCsv(csv), [['a', 'b'], ["'=SUM(A1)", 'line\nbreak, "quoted"'], ["'+1", "'@x"]]);
  });
});

describe('filter request wording', () => {
  it('keeps the case of group names inside a sentence ("13H A-Level History")', () => {
    const base = { targetKind: 'website', target: 'x.example', change: 'unblock', duration: 'permanent', reason: 'r', neededBy: '2026-12-01' } as const;
    assert.equal(scopePhrase({ ...base, audience: 'group', audienceDetail: '13H A-Level History' } as any), 'pupils in group 13H A-Level History');
    assert.equal(scopePhrase({ ...base, audience: 'staff' } as any), 'staff');
  });
});
