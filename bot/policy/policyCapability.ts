import type { Capability, Services } from '../chat/capability';
import { ukDateTime } from '../calendar/ukFormat';
import type { ActionResult, CardAction, Turn } from '../chat/turn';
import { renderCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import type { PhraseAnswer } from './generative';
import { childInDanger } from './intent';
import type { PolicyAnswer, PolicyLibrary } from './policyLibrary';
import type { PolicyRetriever } from './policyRetriever';
import { QuestionLog, type AskedQuestion } from './questionLog';
import { SavedAnswers, type SavedAnswer } from './savedAnswers';
import { safetyNotice } from './safetyNotice';
import type { SearchSlot } from './searchThread';

export const MAX_ANSWER = 2000;
// Teams cuts long button titles; the full citation is in the card body above the buttons.
const BUTTON_CHARS = 40;
const shorten = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
const LEAD_ROLES = ['online-safety-lead', 'dsl', 'deputy-dsl'] as const;

const when = (d: Date) => ukDateTime(d);

function actorRef(turn: Turn) {
  return { id: turn.actor.personId ?? turn.actor.aadObjectId ?? turn.actor.teamsUserId, name: turn.actor.name };
}

/**
 * Policy questions: anything that is not a command. Answers come from the school's documents
 * (PolicyLibrary), or from an answer the online-safety lead saved; when neither fits, the asker
 * can pass the question to the lead, whose reply comes back here.
 */
/** Its help entry's command; the help card shows its tip on asking in your own words only beside it. */
export const POLICY_HELP_COMMAND = 'what does the policy say about personal phones';

/** `search`: where the lexical answer is worked out (the search thread, or this thread when it cannot be). */
export function createPolicyCapability(services: Services, library: () => PolicyLibrary, search: SearchSlot, phrase?: PhraseAnswer, retriever?: PolicyRetriever): Capability {
  const questions = new QuestionLog(services.tables);
  const saved = new SavedAnswers(services.tables);

  const answerCard = (q: AskedQuestion, a: PolicyAnswer, feedback = '') =>
    renderCard('policy-answer', {
      questionId: q.id,
      quote: a.quote,
      document: a.citation?.document ?? '',
      section: a.citation?.section ?? '',
      others: a.others.map((o) => ({ quote: o.quote, document: o.citation.document, section: o.citation.section })),
      showIncident: a.nextSteps.includes('report-incident') && services.commands.supports('incident.start'),
      showFilter: a.nextSteps.includes('filter-change') && services.commands.supports('filter.start'),
      feedback,
    });

  const choiceCard = (q: AskedQuestion, choices: NonNullable<PolicyAnswer['choices']>, unsure = false) =>
    renderCard('policy-choose', {
      questionId: q.id,
      hint: unsure
        ? "I couldn't find a rule that clearly answers this. If one of these is what you mean, pick it and I'll quote it; otherwise choose None of these."
        : "More than one rule could answer this. Pick the one you mean and I'll quote it.",
      choices: choices.map((c, i) => ({
        questionId: q.id,
        key: c.key,
        label: `${i + 1}. ${c.citation.document}, ${c.citation.section}`,
        button: shorten(c.citation.section, BUTTON_CHARS),
        quote: c.quote,
      })),
    });

  const noneCard = (q: AskedQuestion, a: Pick<PolicyAnswer, 'nextSteps'>, roster: Roster, statusText = '') =>
    renderCard('policy-none', {
      questionId: q.id,
      schoolName: roster.schoolName,
      leadName: roster.holder('onlineSafetyLead')?.name ?? 'the DSL',
      status: q.escalation ? q.escalation.status : 'new',
      statusText,
      showIncident: a.nextSteps.includes('report-incident') && services.commands.supports('incident.start'),
      showFilter: a.nextSteps.includes('filter-change') && services.commands.supports('filter.start'),
    });

  const leadCard = (q: AskedQuestion, draft = '', error = '') =>
    renderCard('policy-question', {
      questionId: q.id,
      askerName: q.asker.name,
      askedAt: when(new Date(q.at)),
      question: q.question,
      status: q.escalation?.status ?? 'waiting',
      answer: q.escalation?.answer ?? '',
      answeredBy: q.escalation?.answeredBy?.name ?? '',
      answeredAt: q.escalation?.answeredAt ? when(new Date(q.escalation.answeredAt)) : '',
      savedNote: q.escalation?.saved ? ' (saved as a Q&A pair)' : '',
      draft,
      error,
    });

  async function ask(turn: Turn, roster: Roster): Promise<void> {
    const question = turn.text.trim();
    // Safety first: the 999 line goes out before any policy text, and before the search.
    if (childInDanger(question)) await turn.send(safetyNotice(roster, turn.actor.personId));
    // Semantic retrieval when configured (bot/policy/semantic); it falls back to the lexical answer by itself.
    const retrieved = retriever ? await retriever.retrieve(question, library()) : { answer: await search.answer(library(), question) };
    let answer = retrieved.answer;
    const at = services.now();
    const reuse = await saved.match(question);
    // A clause someone chose for this question (or one worded like it) answers it straight away.
    const learned = reuse?.clause ? library().answerFor(question, reuse.clause.key) : undefined;
    if (learned) answer = learned;
    // The lead's own answer to a question like this one beats a guess at which rule is meant.
    const leadAnswer = (!answer.found || answer.unsure) && reuse && !reuse.clause ? reuse : undefined;
    if (leadAnswer) answer = { ...answer, found: false, choices: undefined, unsure: undefined };
    // A rule marked "Not helpful" for a question like this one is offered among the others, not asserted.
    if (!learned && answer.found && !answer.choices && answer.key && answer.others.length && (await saved.unhelpfulFor(question)).includes(answer.key)) {
      answer = { ...answer, choices: [...answer.others, { quote: answer.quote, citation: answer.citation!, key: answer.key }] };
    }
    const record: AskedQuestion = {
      id: questions.newId(at, { conversationId: turn.place.address.conversationId, activityId: turn.activityId, sentAt: turn.sentAt }),
      question,
      asker: { ...actorRef(turn), aadObjectId: turn.actor.aadObjectId, email: turn.actor.email },
      at: at.toISOString(),
      // An unsure "Do you mean…" has not answered yet: it stays among the unanswered until a rule is chosen.
      found: (answer.found && !answer.unsure) || !!leadAnswer,
      source: learned ? 'saved-answer' : answer.found ? 'policy' : leadAnswer ? 'saved-answer' : 'none',
      citation: answer.citation ? `${answer.citation.document}, ${answer.citation.section}` : leadAnswer ? `saved answer ${leadAnswer.id}` : undefined,
      score: answer.score,
      ...(answer.choices ? { offered: answer.choices.map((c) => c.key) } : {}),
      ...(retrieved.order && answer === retrieved.answer ? { ranked: retrieved.order } : {}),
    };
    try {
      await questions.record(record);
    } catch (err) {
      // Teams re-sent a message already answered (here or by another instance): its row is there.
      if (err instanceof ConflictError) return;
      throw err;
    }
    try {
      await sendAnswer(turn, roster, question, answer, record, leadAnswer);
    } catch (err) {
      await questions.forget(record.id).catch(() => undefined);
      throw err;
    }
  }

  async function sendAnswer(turn: Turn, roster: Roster, question: string, answer: PolicyAnswer, record: AskedQuestion, leadAnswer: SavedAnswer | undefined): Promise<void> {
    if (answer.choices) {
      await turn.send({ card: choiceCard(record, answer.choices, answer.unsure) });
    } else if (answer.found) {
      // Optional AI wording goes first; the quoted card (with its feedback buttons) always follows.
      const phrased = phrase && (await phrase(question, answer));
      if (phrased) await turn.send(phrased);
      await turn.send({ card: answerCard(record, answer) });
    } else if (leadAnswer) {
      await turn.send({ card: renderCard('policy-lead-answer', { heading: 'The online-safety lead has answered this before', question: leadAnswer.question, answer: leadAnswer.answer, by: leadAnswer.by.name, at: when(new Date(leadAnswer.at)) }) });
    } else {
      await turn.send({ card: noneCard(record, answer, roster) });
    }
  }

  /**
   * "Do you mean…": the key is looked up again among the clauses offered for this question, so a forged or
   * stale key answers nothing. The choice is kept on the question and as a saved answer for questions like it.
   */
  async function choose(action: { data: Record<string, unknown> }, turn: Turn, roster: Roster): Promise<ActionResult> {
    const found = await questions.get(String(action.data.questionId ?? ''));
    if (!found || found.value.asker.aadObjectId !== turn.actor.aadObjectId) return { message: 'Only the person who asked can choose an answer.' };
    const q = found.value;
    const key = typeof action.data.key === 'string' ? action.data.key : '';
    if (!q.offered || !(key === 'none' || q.offered.includes(key))) return { message: 'That is not one of the choices I offered for this question. Please ask it again.' };
    if (q.choice && q.choice.key !== key) return { message: 'You have already chosen an answer for this question.' };
    const at = services.now();
    if (key === 'none') {
      // Pressed again: the choice stands as first recorded, with its time, and is audited once.
      if (q.choice) return { card: noneCard(q, library().answer(q.question), roster) };
      const updated: AskedQuestion = { ...q, found: false, source: 'none', citation: undefined, choice: { key, at: at.toISOString() } };
      await questions.replace(updated, found.etag);
      await services.audit.append({ actor: actorRef(turn), action: 'policy.choice', entityType: 'policy-question', entityId: q.id, changes: { choice: { to: 'none of these' } } });
      return { card: noneCard(updated, library().answer(q.question), roster) };
    }
    // A clause only the semantic ranker found is not among the lexical candidates; it was offered, so quote it.
    const answer = library().answerFor(q.question, key) ?? library().answerInOrder(q.question, [key]);
    if (!answer || !answer.citation) return { message: 'That rule is no longer in the policies (they may have changed). Please ask the question again.' };
    const citation = `${answer.citation.document}, ${answer.citation.section}`;
    if (!q.choice) {
      const updated: AskedQuestion = { ...q, found: true, citation, choice: { key, citation, at: at.toISOString() } };
      await questions.replace(updated, found.etag);
      await saved.saveClause(q.question, { key, citation }, actorRef(turn), at);
      await services.audit.append({ actor: actorRef(turn), action: 'policy.choice', entityType: 'policy-question', entityId: q.id, changes: { choice: { to: citation } } });
      return { card: answerCard(updated, answer) };
    }
    return { card: answerCard(q, answer) };
  }

  async function feedback(action: { data: Record<string, unknown> }, turn: Turn): Promise<ActionResult> {
    const found = await questions.get(String(action.data.questionId ?? ''));
    if (!found || found.value.asker.aadObjectId !== turn.actor.aadObjectId) return { message: 'Only the person who asked can rate this answer.' };
    const helpful = action.data.helpful === true || action.data.helpful === 'true';
    const chosen = found.value.choice && found.value.choice.key !== 'none' ? library().answerFor(found.value.question, found.value.choice.key) : undefined;
    const reranked = !chosen && found.value.ranked ? library().answerInOrder(found.value.question, found.value.ranked) : undefined;
    const answer = chosen ?? reranked ?? library().answer(found.value.question);
    const thanks = helpful ? 'Thanks — glad it helped.' : 'Thanks — the online-safety lead will see that this answer did not help.';
    if (found.value.feedback) return { card: answerCard(found.value, answer, 'You have already rated this answer. Thank you.') };
    const updated = { ...found.value, feedback: { helpful, at: services.now().toISOString() } };
    await questions.replace(updated, found.etag);
    if (!helpful && answer.found && answer.key && answer.citation) {
      await saved.saveUnhelpful(found.value.question, { key: answer.key, citation: `${answer.citation.document}, ${answer.citation.section}` }, actorRef(turn), services.now());
    }
    await services.audit.append({ actor: actorRef(turn), action: 'policy.feedback', entityType: 'policy-question', entityId: updated.id, changes: { helpful: { to: helpful } } });
    return { card: answerCard(updated, answer, thanks) };
  }

  /**
   * The online-safety channel when one is registered, so any of the leads can pick it up; a
   * question that suggests a child is in danger goes only 1:1, never to a shared channel.
   */
  async function deliverToLead(q: AskedQuestion, lead: { name: string; aadObjectId?: string; email?: string }, sensitive: boolean) {
    const channel = sensitive ? undefined : await services.destinations.get('online-safety');
    if (channel) {
      try {
        return { where: `the ${channel.label} channel`, message: await services.messenger.post(channel.address, { card: leadCard(q) }) };
      } catch (err) {
        services.log(`policy: the online-safety channel did not take question ${q.id}: ${(err as Error).message}`);
      }
    }
    const message = await services.messenger.toPerson({ aadObjectId: lead.aadObjectId, email: lead.email }, { card: leadCard(q) });
    return message ? { where: lead.name, message } : undefined;
  }

  async function escalate(action: { data: Record<string, unknown> }, turn: Turn, roster: Roster): Promise<ActionResult> {
    const found = await questions.get(String(action.data.questionId ?? ''));
    if (!found || found.value.asker.aadObjectId !== turn.actor.aadObjectId) return { message: 'Only the person who asked can pass this question on.' };
    const q = found.value;
    const steps = library().answer(q.question);
    if (q.escalation) return { card: noneCard(q, steps, roster, `Already passed to ${q.escalation.sentTo}.`) };
    const lead = roster.holder('onlineSafetyLead') ?? roster.onDutyFor(roster.sections()[0].name)[0];
    const escalation: NonNullable<AskedQuestion['escalation']> = { status: 'waiting', sentTo: lead.name, sentAt: services.now().toISOString() };
    let updated: AskedQuestion = { ...q, escalation };
    let stored = await questions.replace(updated, found.etag);
    const posted = await deliverToLead(updated, lead, steps.childInDanger);
    await services.audit.append({ actor: actorRef(turn), action: 'policy.escalated', entityType: 'policy-question', entityId: q.id, detail: { to: posted?.where ?? lead.id, delivered: !!posted } });
    if (posted) {
      updated = { ...updated, escalation: { ...escalation, sentTo: posted.where, card: posted.message } };
      stored = await questions.replace(updated, stored.etag);
      return { card: noneCard(updated, steps, roster, `Sent to ${posted.where}. The answer will come to you here.`) };
    }
    // The lead has never opened Lantern in Teams, so there is no chat to post into yet.
    return { card: noneCard(updated, steps, roster, `Your question is saved for ${lead.name}, who will see it in the unanswered-questions report (they have not started a chat with Lantern yet).`) };
  }

  async function answerQuestion(action: { data: Record<string, unknown> }, turn: Turn, roster: Roster): Promise<ActionResult> {
    if (!roster.has(turn.actor.personId, ...LEAD_ROLES)) return { message: 'Only the online-safety lead or a DSL can answer staff questions.' };
    const found = await questions.get(String(action.data.questionId ?? ''));
    if (!found?.value.escalation) return { message: 'That question could not be found.' };
    const q = found.value;
    const text = typeof action.data.answer === 'string' ? action.data.answer.trim() : '';
    if (q.escalation!.status === 'answered') return { card: leadCard(q) };
    if (!text) return { card: leadCard(q, '', 'Write an answer before sending.') };
    if (text.length > MAX_ANSWER) return { card: leadCard(q, text, `That answer is ${text.length} characters; the limit is ${MAX_ANSWER}. Please shorten it.`) };
    const keep = action.data.save === true || action.data.save === 'true';
    const at = services.now();
    const updated: AskedQuestion = { ...q, escalation: { ...q.escalation!, status: 'answered', answer: text, answeredBy: actorRef(turn), answeredAt: at.toISOString(), saved: keep } };
    try {
      await questions.replace(updated, found.etag);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = await questions.get(q.id);
      return { card: leadCard(fresh!.value) };
    }
    if (keep) await saved.save(q.question, text, actorRef(turn), at);
    const card = q.escalation!.card;
    if (card && card.address.conversationType !== 'personal') {
      await services.messenger.update(card, { card: leadCard(updated) }).catch((err) => services.log(`policy: could not update the question card: ${(err as Error).message}`));
    }
    const delivered = await services.messenger.toPerson(
      { aadObjectId: q.asker.aadObjectId, email: q.asker.email },
      { card: renderCard('policy-lead-answer', { heading: 'The online-safety lead answered your question', question: q.question, answer: text, by: turn.actor.name, at: when(at) }) },
    );
    await services.audit.append({ actor: actorRef(turn), action: 'policy.answered', entityType: 'policy-question', entityId: q.id, detail: { saved: keep, delivered: !!delivered } });
    // "Answered" alone would read as "they have it": the asker may have left or removed the app.
    return { card: leadCard(updated, '', delivered ? '' : `Your answer is saved, but I could not reach ${q.asker.name} in Teams to give it to them: please tell them yourself.`) };
  }

  /**
   * Two presses on one question at once (two devices, or two buttons of one card) both read it
   * before either writes, and the later write fails on its stale ETag. That press is answered
   * again from the question as the other press left it ("already rated"), not with an error.
   * Each handler writes the question before anything else it does, so the first try left nothing.
   */
  const afterRace =
    (handler: (action: CardAction, turn: Turn, roster: Roster) => Promise<ActionResult>) =>
    async (action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> => {
      try {
        return await handler(action, turn, roster);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        return handler(action, turn, roster);
      }
    };

  return {
    name: 'policy',
    fallback: ask,
    fallbackRunsOnce: true,
    actions: {
      'policy.feedback': afterRace(feedback),
      'policy.choose': afterRace(choose),
      'policy.escalate': afterRace(escalate),
      'policy.answer': answerQuestion,
    },
    help: () => [
      { title: 'Ask a policy question', command: POLICY_HELP_COMMAND, description: "Type any question in your own words; I'll quote the school's rule and where it is.", group: 'policy' },
    ],
  };
}
