import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { REPORT_FORM } from '../../bot/incidents/reportDraft';
import type { ReportValues } from '../../bot/incidents/reportForm';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { know, shown } from './reportSteps';

/**
 * "Yes, a child is in immediate danger" pressed twice before the first press has answered (two
 * taps, two devices, Teams re-sending a press it timed out on as a new one): one urgent alert.
 */
describe('the urgent alert when "in danger" is pressed twice at once (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  const urgentPosts = () => h.connector.sent.filter((s) => /URGENT/.test(visibleText(s))).length;
  const alertsAudited = async () => (await h.lantern.services.audit.history('incident-alert', people.teacher.aadObjectId)).filter((e) => e.action === 'incident.urgent-alert');

  for (const round of [1, 2, 3]) {
    it(`sends one alert, audited once, and both answers tell the truth (round ${round})`, async () => {
      await know(h, people.seniorDsl, people.seniorDeputy, people.head);
      await h.say(people.teacher, 'report an incident');
      const before = urgentPosts();
      const yes = { step: 'safety', answer: 'yes', section: 'Senior' };
      const answers = (await Promise.all([h.click(people.teacher, 'incident.danger', yes), h.click(people.teacher, 'incident.danger', yes)])).map(shown);
      await h.connector.waitFor(() => urgentPosts() > before, 'the alert');
      const alerts = await alertsAudited();
      assert.equal(alerts.length, 1, `one alert audited, not ${alerts.length}`);
      const once = urgentPosts() - before;
      // One press answers whom the alert reached; the other the same, or that it is on its way.
      assert.ok(answers.some((a) => /I have alerted: /.test(a)), answers.join('\n---\n'));
      for (const a of answers) assert.match(a, /I have alerted: |Your urgent alert is being sent now, from your first press\. If a child is in immediate danger, call 999 now\./, a);
      // Pressed again, as the second answer asks: whom it reached, and no second alert.
      assert.match(shown(await h.click(people.teacher, 'incident.danger', yes)), /I have alerted: /);
      assert.equal(urgentPosts() - before, once, 'no second alert');
    });
  }

  /** The form as a press left it that began sending the alert `ago` ms before, and did not finish. */
  async function markedSending(ago: number): Promise<void> {
    const drafts = h.lantern.services.drafts;
    const owner = people.teacher.aadObjectId;
    const draft = await drafts.get<ReportValues>(owner, REPORT_FORM);
    await drafts.save<ReportValues>(owner, REPORT_FORM, 'safety', { ...draft!.value.values, section: 'Senior', urgentAlertRef: 'ALERT-0A0B0C', urgentAlertSending: new Date(Date.now() - ago).toISOString() }, draft!.etag);
  }

  it('a press while another is still sending sends nothing and says the first is on its way', async () => {
    await know(h, people.seniorDsl, people.seniorDeputy, people.head);
    await h.say(people.teacher, 'report an incident');
    await markedSending(10_000);
    const before = urgentPosts();
    const answer = shown(await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' }));
    assert.match(answer, /Your urgent alert is being sent now, from your first press/);
    assert.equal(urgentPosts(), before);
  });

  it('a press that died sending it (two minutes on) does not hold the alert back: the next press sends it, under the same reference', async () => {
    await know(h, people.seniorDsl, people.seniorDeputy, people.head);
    await h.say(people.teacher, 'report an incident');
    await markedSending(3 * 60_000);
    const answer = shown(await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' }));
    assert.match(answer, /I have alerted: /, answer);
    const [alert] = await alertsAudited();
    assert.equal(alert?.detail?.alert, 'ALERT-0A0B0C');
  });
});
