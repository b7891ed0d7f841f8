import assert from 'node:assert/strict';
import { STEPS } from '../../bot/filtering/chain';
import { addDays } from '../../bot/filtering/dates';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import { RequestStore } from '../../bot/filtering/requestStore';
import { jobId } from '../../bot/filtering/reviewSchedule';
import type { StepId } from '../../bot/filtering/settings';
import { neededByJobId, stepJobId } from '../../bot/filtering/stepSchedule';
import { cardText, latestCards } from '../support/cards';
import type { PostedCard } from '../../bot/cards/recordCards';
import type { Member, SentActivity } from '../support/fakeConnector';
import { fakeDate } from '../support/fakeDate';
import type { FaultProxy } from '../support/faultProxy';
import { behindFaultProxy, submitAtEveryFaultPoint, type FaultRig } from '../support/faultPoints';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, personalChat } from '../support/teamsChannel';
import { act, cardBody, filteringHarness, formData, IT_CHANNEL, postedCards, sendRequest, today } from '../filtering/helpers';

/** The presses that bring a request to each step, storage up. */
const BEFORE: Record<StepId, Array<[Member, StepId, Record<string, string>]>> = {
  sanction: [],
  authorise: [[people.seniorDsl, 'sanction', {}]],
  make: [[people.seniorDsl, 'sanction', {}], [people.itManager, 'authorise', {}]],
  confirm: [[people.seniorDsl, 'sanction', {}], [people.itManager, 'authorise', {}], [people.technician, 'make', { filterReference: 'SW-PREP' }]],
};

describe('filter request submit with storage cut at every point (e2e, fault proxy)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let h: Harness;
  let rig: FaultRig;
  before(async () => {
    ({ proxy, h } = rig = await behindFaultProxy((env) => filteringHarness({ env })));
  });
  after(async () => {
    await rig.stop();
  });

  it('makes exactly one request, one card per recipient, both jobs and a receipt, whatever request fails', async () => {
    const user = people.teacher;
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async (round) => {
        const preview = await h.click(user, 'filter.preview', formData({ reason: `Round ${round}: Year 9 history sources for the Holocaust unit.` }));
        assert.match(cardText(cardBody(preview)), /Check your filter change request/);
      },
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'filter.send', {}),
      check: async (round, answer) => {
        const receipt = cardText(cardBody(answer));
        const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(receipt)?.[1];
        assert.ok(reference, `round ${round}: no receipt in ${receipt.slice(0, 200)}`);
        const all = await new RequestStore(h.lantern.services.tables).all();
        assert.equal(all.length, round + 1, `round ${round}: one request per round`);
        assert.equal(all.filter((r) => r.details.reason.startsWith(`Round ${round}:`)).length, 1, `round ${round}: exactly one record`);
        const history = await h.lantern.services.audit.history('filter-request', reference);
        assert.deepEqual(history.map((e) => e.action), ['filter.requested'], `round ${round}: audited once`);
        const posts = h.connector.sent.filter((s) => s.activity.attachments && cardText(s.activity.attachments[0].content).includes(`Web filter change ${reference}`));
        const perRecipient = new Map<string, number>();
        for (const p of posts) perRecipient.set(p.conversationId, (perRecipient.get(p.conversationId) ?? 0) + 1);
        assert.ok(perRecipient.size > 0, `round ${round}: the first step's card went out`);
        assert.deepEqual([...perRecipient.values()].filter((n) => n !== 1), [], `round ${round}: each card delivered once`);
        const stored = all.find((r) => r.reference === reference)!;
        assert.equal((await postedCards(h, reference)).filter((c) => c.part === 'sanction').length, perRecipient.size, `round ${round}: every card recorded for later updates`);
        assert.ok(await h.lantern.services.scheduler.get(stepJobId(reference, 'sanction')), `round ${round}: nudge scheduled`);
        assert.ok(await h.lantern.services.scheduler.get(neededByJobId(reference)), `round ${round}: needed-by scheduled`);
      },
    });
    console.log(`      filter submit: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });

  it('a send cut off part-way is finished after a restart by the scheduler, which posts the receipt in chat', async () => {
    const user = people.teacher2;
    await h.click(user, 'filter.preview', formData({ reason: 'Restart: Year 9 history sources for the Holocaust unit.' }));
    proxy.failAfter(14); // past the job and the request, before the card goes out
    const cut = await h.click(user, 'filter.send');
    proxy.restore();
    assert.match(String(cut.body?.value), /Your request is saved, but Lantern's storage failed before it went on to the DSL/);
    await h.restart();
    const clock = fakeDate(Date.now() + 2 * 60_000); // the interrupted claim's lease has run out
    try {
      const chat = personalChat(user).id;
      const before = h.connector.messagesIn(chat).length;
      // Other rounds may have left finished tasks' jobs behind (their delete was cut); those run as no-ops.
      assert.ok((await h.lantern.services.scheduler.runDue()) >= 1);
      const receipts = h.connector.messagesIn(chat).slice(before).map((m) => cardText(m.activity.attachments?.[0]?.content));
      assert.equal(receipts.length, 1);
      const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(receipts[0])?.[1];
      assert.ok(reference, receipts[0]);
      assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'nothing left to do');
      // Pressing Send again now shows the same receipt.
      assert.match(cardText(cardBody(await h.click(user, 'filter.send'))), new RegExp(`Request ${reference} sent`));
      const mine = (await new RequestStore(h.lantern.services.tables).all()).filter((r) => r.requestedBy.aadObjectId === user.aadObjectId);
      assert.deepEqual(mine.map((r) => r.reference), [reference]);
    } finally {
      clock.restore();
    }
  });

  /** The step's cards as posted, by conversation: each must have gone out once. */
  const postsOf = (reference: string, waiting: string) => h.connector.sent.filter((s) => s.activity.attachments && cardText(s.activity.attachments[0].content).includes(`Web filter change ${reference}`) && cardText(s.activity.attachments[0].content).includes(waiting));
  const onceEach = (posts: SentActivity[]) => {
    const per = new Map<string, number>();
    for (const p of posts) per.set(p.conversationId, (per.get(p.conversationId) ?? 0) + 1);
    return [...per.values()].every((n) => n === 1) && per.size > 0;
  };

  /**
   * One press on one step, cut at each storage request: every round brings a fresh request to
   * `step` with storage up (sent, then the earlier steps pressed), then presses. The shared checks
   * are what every step does once: the answer, one history entry, one audit event, the step's own
   * cards updated, its nudge cancelled, at most one 1:1 receipt; `then` checks what follows.
   */
  async function stepAtEveryFaultPoint(spec: {
    step: StepId;
    outcome: 'done' | 'declined';
    by: Member;
    answer: RegExp;
    audit: string;
    notice: (reference: string) => RegExp;
    extra?: (round: number) => Record<string, string>;
    form?: Record<string, string>;
    points?: (requests: number) => number[];
    then: (round: number, request: FilterRequest) => Promise<void>;
  }) {
    const before = BEFORE[spec.step];
    let reference = '';
    let cardsBefore: PostedCard[] = [];
    let updatesBefore = 0;
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async () => {
        reference = await sendRequest(h, people.teacher2, spec.form);
        for (const [who, step, extra] of before) assert.match(cardText(cardBody(await act(h, who, 'filter.approve', reference, step, extra))), /Thank you/);
        cardsBefore = await postedCards(h, reference);
        updatesBefore = h.connector.updated.length;
      },
      press: () => {
        const data = { reference, step: spec.step, comment: '', filterReference: '', ...spec.extra?.(roundOf(reference)) };
        return invokeActivity(h.connector.url, spec.by, personalChat(spec.by), spec.outcome === 'done' ? 'filter.approve' : 'filter.decline', data);
      },
      check: async (round, answer) => {
        assert.match(cardText(cardBody(answer)), spec.answer, `round ${round}: the presser's receipt`);
        const request = (await new RequestStore(h.lantern.services.tables).get(reference))!.value;
        assert.deepEqual(request.history.map((r) => r.step), [...before.map(([, step]) => step), spec.step], `round ${round}: one step recorded`);
        assert.equal(request.history.at(-1)!.outcome, spec.outcome, `round ${round}`);
        const audit = (await h.lantern.services.audit.history('filter-request', reference)).map((e) => e.action);
        assert.deepEqual(audit, ['filter.requested', ...before.map(([, step]) => STEPS[step].audit), spec.audit], `round ${round}: audited once`);
        const notices = h.connector.messagesIn(personalChat(people.teacher2).id).filter((m) => spec.notice(reference).test(m.activity.text ?? ''));
        assert.equal(notices.length, 1, `round ${round}: the requester was told once`);
        const updated = h.connector.updated.slice(updatesBefore);
        assert.ok(cardsBefore.length > 0 && cardsBefore.every((c) => updated.some((u) => u.activityId === c.posted.activityId)), `round ${round}: every card of the request shows it is done`);
        assert.equal(await h.lantern.services.scheduler.get(stepJobId(reference, spec.step)), undefined, `round ${round}: the step's nudge cancelled`);
        const receipts = h.connector.messagesIn(personalChat(spec.by).id).filter((m) => (m.activity.text ?? '').startsWith(`${reference}: `));
        assert.ok(receipts.length <= 1, `round ${round}: the presser had at most one 1:1 receipt besides the answer`);
        await spec.then(round, request);
      },
      points: spec.points,
    });
    console.log(`      filter ${spec.outcome === 'done' ? spec.step : `decline at ${spec.step}`} step: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, spec.points?.(run.requests) ?? Array.from({ length: run.requests }, (_, i) => i + 1));
    return run;
  }

  /** A number per request, for make's change reference: each round's own, so a stale one would show. */
  const refs = new Map<string, number>();
  const roundOf = (reference: string) => {
    if (!refs.has(reference)) refs.set(reference, refs.size);
    return refs.get(reference)!;
  };
  /**
   * Sanction (posts the next card) and confirm (ends in force, with its review jobs) are cut at
   * every point; authorise, make and a decline run the same task code, so to keep the file's run
   * time modest they are cut at half the points: pairs 1,2, 5,6, 9,10, … and the last, so both
   * retries (odd k redelivers the activity, even k presses again) are tried all along the submit.
   */
  const halfThePoints = (requests: number) => Array.from({ length: requests }, (_, i) => i + 1).filter((k) => k % 4 === 1 || k % 4 === 2 || k === requests);

  it('a sanction press: the request moves on once, with one audit event, one IT card, one notice, its jobs and a receipt', async () => {
    await stepAtEveryFaultPoint({
      step: 'sanction',
      outcome: 'done',
      by: people.seniorDsl,
      answer: /Sanctioned\. Thank you/,
      audit: 'filter.sanctioned',
      notice: (reference) => new RegExp(`${reference}: sanctioned by`),
      then: async (round, request) => {
        assert.equal(request.step, 'authorise', `round ${round}`);
        const itCards = postsOf(request.reference, STEPS.authorise.waiting);
        assert.ok(onceEach(itCards) && itCards.every((c) => c.conversationId === IT_CHANNEL.id), `round ${round}: the authorise card went to IT once`);
        assert.deepEqual((await postedCards(h, request.reference)).filter((c) => c.part === 'authorise').map((c) => c.posted.activityId), itCards.map((c) => c.id), `round ${round}: and was recorded`);
        assert.ok(await h.lantern.services.scheduler.get(stepJobId(request.reference, 'authorise')), `round ${round}: authorise nudge scheduled`);
      },
    });
  });

  it('an authorise press: the make card goes to IT once, with one audit event, one notice, the make nudge and a receipt', async () => {
    await stepAtEveryFaultPoint({
      step: 'authorise',
      outcome: 'done',
      by: people.itManager,
      answer: /Authorised\. Thank you/,
      audit: 'filter.authorised',
      notice: (reference) => new RegExp(`${reference}: authorised by`),
      points: halfThePoints,
      then: async (round, request) => {
        assert.equal(request.step, 'make', `round ${round}`);
        // The request's card in the IT channel becomes the make card: updated, never posted twice.
        assert.deepEqual(postsOf(request.reference, STEPS.make.waiting), [], `round ${round}: no second card in the IT channel`);
        const inChannel = (await postedCards(h, request.reference)).filter((c) => c.posted.address.conversationId === IT_CHANNEL.id);
        assert.deepEqual(inChannel.map((c) => c.part), ['make'], `round ${round}: the channel's one card is now the make card`);
        assert.ok(latestCards(h.connector, { conversationId: IT_CHANNEL.id, about: new RegExp(STEPS.make.waiting) }).some((c) => c.activityId === inChannel[0].posted.activityId), `round ${round}: and shows it`);
        assert.ok(await h.lantern.services.scheduler.get(stepJobId(request.reference, 'make')), `round ${round}: make nudge scheduled`);
      },
    });
  });

  it("a make press with the filter's change reference: stored and audited once, the confirm cards once each, the confirm nudge and a receipt", async () => {
    await stepAtEveryFaultPoint({
      step: 'make',
      outcome: 'done',
      by: people.technician,
      extra: (n) => ({ filterReference: `SW-F${n}` }),
      answer: /Change made\. Thank you/,
      audit: 'filter.changed',
      notice: (reference) => new RegExp(`${reference}: change made by`),
      points: halfThePoints,
      then: async (round, request) => {
        const mine = `SW-F${roundOf(request.reference)}`;
        assert.equal(request.step, 'confirm', `round ${round}`);
        assert.equal(request.filterReference, mine, `round ${round}: the filter's reference kept`);
        assert.equal(request.history.at(-1)!.filterReference, mine, `round ${round}`);
        const event = (await h.lantern.services.audit.history('filter-request', request.reference)).at(-1)!;
        assert.deepEqual(event.changes?.filterReference, { to: mine }, `round ${round}: and audited`);
        // The DSL's sanction card becomes their confirm card; the deputy head gets a new one, once.
        const confirmCards = postsOf(request.reference, STEPS.confirm.waiting);
        assert.ok(onceEach(confirmCards), `round ${round}: each confirmer got the confirm card once`);
        const recorded = (await postedCards(h, request.reference)).filter((c) => c.part === 'confirm').map((c) => c.posted.activityId);
        // 1:1 cards asking to confirm (the IT channel's card shows the same status, without the buttons).
        const showing = latestCards(h.connector, { about: new RegExp(`${request.reference}[\\s\\S]*${STEPS.confirm.waiting}`) }).filter((c) => c.conversationId !== IT_CHANNEL.id).map((c) => c.activityId);
        assert.deepEqual(recorded.sort(), showing.sort(), `round ${round}: and each card showing it was recorded`);
        assert.equal(recorded.length, 2, `round ${round}: the DSL and the deputy head`);
        assert.ok(await h.lantern.services.scheduler.get(stepJobId(request.reference, 'confirm')), `round ${round}: confirm nudge scheduled`);
      },
    });
  });

  it('a confirm press: in force once, with one audit event, the in-force notice, review and expiry jobs, the nudge and needed-by cancelled, and a receipt', async () => {
    // Ends after the 30-day review, so both the review and the expiry are scheduled.
    const form = { endDate: addDays(today(), 60) };
    await stepAtEveryFaultPoint({
      step: 'confirm',
      outcome: 'done',
      by: people.pastoralHead,
      form,
      answer: /Confirmed\. Thank you/,
      audit: 'filter.confirmed',
      notice: (reference) => new RegExp(`Done: your filter request ${reference} .* is in force`),
      then: async (round, request) => {
        assert.equal(request.status, 'in-force', `round ${round}`);
        assert.equal(request.reviewDate, addDays(today(), 30), `round ${round}`);
        const scheduler = h.lantern.services.scheduler;
        assert.ok(await scheduler.get(jobId('review', request.reference)), `round ${round}: review scheduled`);
        assert.ok(await scheduler.get(jobId('expire', request.reference)), `round ${round}: expiry scheduled`);
        assert.equal(await scheduler.get(neededByJobId(request.reference)), undefined, `round ${round}: needed-by cancelled`);
      },
    });
  });

  it('a decline with its reason: declined once, the reason stored, audited and told to the requester once, no next card, jobs cancelled, and a receipt', async () => {
    const reason = 'The archive has unmoderated comments; use the museum site instead.';
    await stepAtEveryFaultPoint({
      step: 'authorise',
      outcome: 'declined',
      by: people.itManager,
      extra: () => ({ comment: reason }),
      answer: /Declined\. The requester has been told why/,
      audit: 'filter.declined',
      notice: (reference) => new RegExp(`${reference} .* was declined by .* at the authorise step: "The archive has unmoderated comments; use the museum site instead\\."`),
      points: halfThePoints,
      then: async (round, request) => {
        assert.equal(request.status, 'declined', `round ${round}`);
        assert.equal(request.history.at(-1)!.reason, reason, `round ${round}: the reason stored`);
        const event = (await h.lantern.services.audit.history('filter-request', request.reference)).at(-1)!;
        assert.equal(event.reason, reason, `round ${round}: and audited`);
        assert.deepEqual(postsOf(request.reference, STEPS.make.waiting), [], `round ${round}: no make card`);
        assert.deepEqual((await postedCards(h, request.reference)).filter((c) => c.part === 'make'), [], `round ${round}`);
        assert.equal(await h.lantern.services.scheduler.get(neededByJobId(request.reference)), undefined, `round ${round}: needed-by cancelled`);
      },
    });
  });
});
