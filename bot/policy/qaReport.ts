import { ukDateTime } from '../calendar/ukFormat';
import type { AskedQuestion } from './questionLog';

/** Where a line's second row starts: under the question, past the time and the name. */
const INDENT = 48;

/** Questions the online-safety lead should look at: not answered, or answered unhelpfully. */
export function needsAttention(questions: AskedQuestion[]): { unanswered: AskedQuestion[]; unhelpful: AskedQuestion[] } {
  return {
    unanswered: questions.filter((q) => !q.found && q.escalation?.status !== 'answered'),
    unhelpful: questions.filter((q) => q.feedback?.helpful === false),
  };
}

function line(q: AskedQuestion): string {
  const status = q.escalation ? (q.escalation.status === 'answered' ? `answered by ${q.escalation.answeredBy?.name}` : `waiting for ${q.escalation.sentTo}`) : 'not passed on';
  return `  ${ukDateTime(q.at).padEnd(22)}  ${q.asker.name.padEnd(20).slice(0, 20)}  ${q.question.replace(/\s+/g, ' ').slice(0, 100)}${q.citation ? `\n${' '.repeat(INDENT)}answered from: ${q.citation}` : ''}\n${' '.repeat(INDENT)}(${status})`;
}

/** "Do you mean…" choices: each one is now a saved answer that questions worded like it will get. */
function choiceLine(q: AskedQuestion): string {
  const chose = q.choice?.key === 'none' ? 'none of the rules offered' : q.choice?.citation ?? '';
  return `  ${ukDateTime(q.at).padEnd(22)}  ${q.asker.name.padEnd(20).slice(0, 20)}  ${q.question.replace(/\s+/g, ' ').slice(0, 100)}\n${' '.repeat(INDENT)}chose: ${chose}`;
}

export function formatQaReport(questions: AskedQuestion[]): string {
  const { unanswered, unhelpful } = needsAttention(questions);
  const chosen = questions.filter((q) => q.choice);
  return [
    `Policy questions: ${questions.length} recorded, ${unanswered.length} without an answer, ${unhelpful.length} marked not helpful`,
    '',
    'Unanswered questions:',
    ...(unanswered.length ? unanswered.map(line) : ['  (none)']),
    '',
    'Answers marked "not helpful":',
    ...(unhelpful.length ? unhelpful.map(line) : ['  (none)']),
    '',
    'Chosen from "Do you mean…" (saved for questions worded like these):',
    ...(chosen.length ? chosen.map(choiceLine) : ['  (none)']),
  ].join('\n');
}
