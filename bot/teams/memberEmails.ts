import { TeamsInfo, type TurnContext } from 'botbuilder';
import { isTransient } from '../storage/errors';

/**
 * How long Teams' answer to "what is this sender's email" is believed. An answer with an email is
 * remembered in the people directory anyway; this is for the answer without one (Teams refused, or
 * the account has no mail), which would otherwise cost a Teams request on every turn of that person.
 * Someone added to the roster by email is recognised at the first turn after the roster is read
 * again (within 30 s) if Teams gave their email before; if it could not, within two minutes more,
 * when Teams is asked again.
 */
export const MEMBER_EMAIL_LIFETIME_MS = 2 * 60_000;
/** Enough for every sender a busy school has in two minutes; the oldest answer goes first. */
const MAX_ANSWERS = 10_000;

/** Undefined when Teams has no email for the sender or refuses to say; throws when it cannot answer now. */
export type AskTeams = (context: TurnContext) => Promise<string | undefined>;

/** Teams' own answer, lower-cased. */
export const askTeams: AskTeams = async (context) => {
  try {
    const member = await TeamsInfo.getMember(context, context.activity.from.id);
    return (member.email ?? member.userPrincipalName)?.toLowerCase();
  } catch (err) {
    // Throttled or down is not an answer: believed for two minutes, it would make a DSL known by
    // email only into ordinary staff for that long.
    if (isTransient(err)) throw err;
    return undefined;
  }
};

/**
 * Senders' emails as Teams reports them, each asked once per lifetime in this process (the
 * negative answer too), and once for concurrent turns of the same person: the school router and
 * resolveActor of one turn share the answer.
 */
export class MemberEmails {
  private readonly answers = new Map<string, { email: Promise<string | undefined>; until: number }>();

  constructor(
    private readonly ask: AskTeams = askTeams,
    private readonly lifetimeMs = MEMBER_EMAIL_LIFETIME_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  of(context: TurnContext): Promise<string | undefined> {
    const from = context.activity.from;
    const key = `${context.activity.serviceUrl ?? ''}\u0000${from.aadObjectId ?? from.id}`;
    const now = this.now();
    const held = this.answers.get(key);
    if (held && held.until > now) return held.email;
    this.answers.delete(key);
    if (this.answers.size >= MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    const email: Promise<string | undefined> = this.ask(context).catch(() => {
      // Not fatal: the person acts as ordinary staff this turn, and Teams is asked again next turn.
      if (this.answers.get(key)?.email === email) this.answers.delete(key);
      return undefined;
    });
    this.answers.set(key, { email, until: now + this.lifetimeMs });
    return email;
  }
}
