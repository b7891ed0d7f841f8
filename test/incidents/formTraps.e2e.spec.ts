import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { filteringModule } from '../../bot/filtering';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { DocumentTable } from '../../bot/storage/documentTable';
import { callsModule } from '../../bot/calls';
import { tutoringModule } from '../../bot/tutoring';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { fileReport, PUPIL_DETAILS, shown } from './reportSteps';

/** Inputs Teams would refuse to send while empty: none may sit on a card whose Back or Cancel must work. */
function template(card: string): { actions: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(path.resolve(__dirname, '../../cards', `${card}.json`), 'utf8'));
}

function requiredInputs(card: string): string[] {
  const found: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.isRequired === true) found.push(String(o.id));
    Object.values(o).forEach(walk);
  };
  walk(template(card));
  return found;
}

describe('form cards never trap the person filling them in (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule, filteringModule, tutoringModule, callsModule] });
  });
  afterEach(async () => h.stop());

  const stored = async (ref: string) => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').get('case', ref))!.value;

  it('marks no input required on any form card with Back or Cancel (the server validates instead)', () => {
    for (const card of ['incident-safety', 'incident-category', 'incident-illegal', 'incident-details', 'filter-form', 'tutor-log-form', 'call-plan-form', 'call-record-form']) {
      assert.deepEqual(requiredInputs(card), [], card);
      assert.ok(template(card).actions.some((a) => a.title === 'Cancel' && a.associatedInputs === 'none'), `${card} has a Cancel that carries no inputs`);
    }
  });

  it('Back on a details card with the required fields empty goes back and keeps what was typed', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
    // Only the description is typed; date, place, pupil are empty.
    const back = shown(await h.click(people.teacher, 'incident.back', { step: 'details', description: 'Messages every evening.', pupilName: 'Jo' }));
    assert.match(back, /About the incident/);
    assert.doesNotMatch(back, /need another look/);
    const again = shown(await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' }));
    assert.match(again, /Messages every evening\./);
    assert.match(again, /\bJo\b/);
  });

  it('Back on the category card with nothing chosen works, and keeps a half-made choice', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
    assert.match(shown(await h.click(people.teacher, 'incident.back', { step: 'category' })), /Is a child in immediate danger\?/);
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
    await h.click(people.teacher, 'incident.back', { step: 'category', category: 'grooming' });
    const draft = await h.lantern.services.drafts.get<{ category?: string }>(people.teacher.aadObjectId, 'incident');
    assert.equal(draft?.value.values.category, 'grooming');
  });

  it('Send with required fields empty re-shows the card with each error beside its field', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
    const res = shown(await h.click(people.teacher, 'incident.next', { step: 'details' }));
    assert.match(res, /Give the date it happened[\s\S]*Choose where it happened[\s\S]*Give the pupil's name[\s\S]*Describe what happened/);
  });

  it('Cancel works on the filter request, tutor log and call forms with nothing filled in', async () => {
    assert.match(shown(await h.click(people.teacher, 'filter.cancel', {})), /Filter change request cancelled: nothing was sent/);
    assert.match(shown(await h.click(people.teacher, 'tutor.cancel', {})), /Tutor log cancelled: nothing was saved/);
    assert.match(shown(await h.click(people.teacher, 'call.cancel', {})), /Cancelled: no call was planned or logged/);
  });

  it('grooming by someone outside school still asks for, requires and stores the pupil affected', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'grooming', subject: 'outside' });
    const details = shown(await h.click(people.teacher, 'incident.next', { step: 'illegal' }));
    assert.match(details, /Pupil\(s\) affected/);
    const missing = shown(await h.click(people.teacher, 'incident.next', { step: 'details', occurredOn: '2026-11-20', place: 'online', description: 'An adult messaging a pupil on a game.' }));
    assert.match(missing, /Give the name of the pupil \(or pupils\) contacted/);
    const { ref } = await fileReport(h, people.teacher, { category: 'grooming', subject: 'outside', details: { ...PUPIL_DETAILS, description: 'An adult messaging a pupil on a game.' } });
    const c = await stored(ref);
    assert.equal(c.facts.pupilName, 'Jamie Example');
    assert.equal(c.section, 'Senior', 'section still inferred from the year group');
  });
});
