import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { fileReport } from './reportSteps';
import { groupChat } from '../support/teamsChannel';

const STAFF = { occurredOn: '2026-11-19', place: 'on-site', description: 'Saw a colleague using a pupil login to change marks.' };

describe('incidents reach and truth: audit (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  it('a staff allegation the Head could not be reached for: the receipt does not say it went to the Head', async () => {
    const { receipt } = await fileReport(h, people.teacher, { category: 'staff-misuse', subject: 'staff', details: { ...STAFF, staffId: 'mcole' } });
    assert.match(receipt, /^Not delivered: phone Helen Brook/);
    assert.doesNotMatch(receipt, /This went to Helen Brook/, receipt);
    assert.match(receipt, /This is for Helen Brook, the Head/);
  });
});

describe('incidents from a shared chat: 999 first (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  it('report an incident typed in a group chat, no private chat possible: the answer says call 999 before anything else', async () => {
    h.connector.refusing.set(people.teacher.id, { status: 403, code: 'Forbidden', message: 'The app is blocked for this user.' });
    const replies = await h.say(people.teacher, 'report an incident', groupChat('staffroom'));
    const text = replies.map((r) => r.activity.text ?? '').join('\n');
    assert.match(text, /could not open a private chat/);
    assert.match(text, /call 999/);
  });
});
