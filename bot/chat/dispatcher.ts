import type { Roster } from '../config/roster';
import type { ActionHandler, Capability, Command, CommandRunner, HelpEntry } from './capability';
import { nearCommand } from './nearCommand';
import type { ActionResult, Actor, CardAction, Turn } from './turn';

export const MAX_MESSAGE_LENGTH = 2000;

/** The answer to text that came with a file and is no command (see handleMessage). */
export const WITH_FILES =
  "I didn't read your message as a policy question, because it came with a file, and I don't open files. To ask about a policy, send the question on its own; to report something you saw, type **report an incident**.";

/** Collapses whitespace and drops trailing punctuation so "Help!" and " help " both match. */
export function normaliseCommandText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[.!?]+$/, '');
}

/**
 * Words that make a message a question, whoever it starts like: "hold on, can I…", "log a call
 * with a parent, do I need permission" are asked of the policies, not answered with a usage line.
 */
const QUESTION_WORDS = /\?|\b(can|could|may|might|should|shall|must|need|needs|allowed|permitted|ok|okay|what|when|where|which|who|why|how|do|does|is|are|am|i|we)\b/i;

/**
 * Routes messages to commands and card actions to handlers across capabilities. Framework-free:
 * the Teams layer builds a Turn and calls in here.
 */
export class Dispatcher implements CommandRunner {
  private readonly commands: Command[] = [];
  private readonly actions = new Map<string, ActionHandler>();
  private readonly replayable = new Set<string>();
  private fallbackHandler?: Capability;

  constructor(private readonly capabilities: Capability[], private readonly roster: () => Promise<Roster>) {
    for (const cap of capabilities) {
      this.commands.push(...(cap.commands ?? []));
      for (const [verb, handler] of Object.entries(cap.actions ?? {})) {
        if (this.actions.has(verb)) throw new Error(`card verb "${verb}" is registered twice`);
        this.actions.set(verb, handler);
      }
      for (const verb of cap.replayableActions ?? []) this.replayable.add(verb);
      if (cap.fallback) {
        if (this.fallbackHandler) throw new Error(`both ${this.fallbackHandler.name} and ${cap.name} want unmatched messages`);
        this.fallbackHandler = cap;
      }
    }
  }

  /**
   * `withFiles`: the message came with a file or picture. Its text may be a command, but it is not
   * searched as a policy question: it is usually a caption ("see attached"), and an answer quoting
   * a rule about it would pretend the file was read.
   */
  async handleMessage(turn: Turn, options: { withFiles?: boolean } = {}): Promise<void> {
    const roster = await this.roster();
    const text = normaliseCommandText(turn.text);
    if (!text) {
      await turn.send('I did not catch any text there. Type **help** to see what I can do.');
      return;
    }
    if (text.length > MAX_MESSAGE_LENGTH) {
      await turn.send(`That message is ${text.length} characters long; I can read up to ${MAX_MESSAGE_LENGTH}. Please shorten it and send it again.`);
      return;
    }
    const matched = this.commandFor(text);
    if (matched) {
      await matched.command.run(turn, matched.match, roster);
      return;
    }
    const usage = this.usageFor(turn.text, text, turn.actor, roster);
    if (usage) {
      await turn.send(usage);
      return;
    }
    const suggestion = nearCommand(text, ['help', ...this.help(turn.actor, roster).map((e) => e.command)]);
    if (suggestion) {
      await turn.send(`I don't know "${text}". Did you mean **${suggestion}**? Type **help** to see everything I can do.`);
      return;
    }
    if (options.withFiles) {
      await turn.send(WITH_FILES);
      return;
    }
    if (this.fallbackHandler?.fallback) {
      await this.fallbackHandler.fallback(turn, roster);
      return;
    }
    await turn.send(`I don't know the command "${text.slice(0, 80)}". Type **help** to see what I can do.`);
  }

  /**
   * Whether a message must be claimed against Teams' redelivery before it runs: a claim goes where
   * something is written anyway. A repeatable command (help) writes nothing. A message no command
   * matches is answered with a reply that may safely come twice (a usage line, a suggestion, "too
   * long") or goes to the fallback, which may say it tells a redelivery by itself: then a policy
   * answer's one table write is its question's row, not that and a claim.
   */
  needsClaim(text: string): boolean {
    const command = this.commandFor(normaliseCommandText(text))?.command;
    return command ? !command.repeatable : !this.fallbackHandler?.fallbackRunsOnce;
  }

  /** The first command whose pattern matches the (normalised) text, in capability order. */
  private commandFor(text: string): { command: Command; match: RegExpMatchArray } | undefined {
    for (const command of this.commands) {
      const match = text.match(command.pattern);
      if (match) return { command, match };
    }
    return undefined;
  }

  async handleAction(action: CardAction, turn: Turn): Promise<ActionResult> {
    const handler = this.actions.get(action.verb);
    if (!handler) return { message: 'This button is no longer supported. Type **help** to start again.' };
    return handler(action, turn, await this.roster());
  }

  /**
   * Runs what a person would type, e.g. "report an incident" from a help-card button or a policy
   * answer's next step. Returns false when no command matches.
   */
  async run(commandText: string, turn: Turn): Promise<boolean> {
    const text = normaliseCommandText(commandText);
    // The flow sees what was "typed", not the empty text of the button press that started it.
    const typed: Turn = { ...turn, text };
    const roster = await this.roster();
    const matched = this.commandFor(text);
    if (matched) {
      await matched.command.run(typed, matched.match, roster);
      return true;
    }
    const usage = text && this.usageFor(commandText, text, turn.actor, roster);
    if (usage) {
      await turn.send(usage);
      return true;
    }
    if (!text || !this.fallbackHandler?.fallback) return false;
    await this.fallbackHandler.fallback(typed, roster);
    return true;
  }

  /**
   * The usage line of a command this message begins like, if this person's help offers that
   * command. `raw` is the text before trailing punctuation was dropped (a "?" makes it a question).
   */
  private usageFor(raw: string, text: string, actor: Actor, roster: Roster): string | undefined {
    if (QUESTION_WORDS.test(raw.trim().replace(/[.!]+$/, ''))) return undefined;
    const mistyped = this.commands.filter((c) => c.usage?.prefix.test(text));
    if (!mistyped.length) return undefined;
    const offered = this.help(actor, roster).map((e) => normaliseCommandText(e.command));
    const command = mistyped.find((c) => offered.some((o) => (c.usage!.offeredBy ?? c.pattern).test(o)));
    return command?.usage!.text;
  }

  help(actor: Actor, roster: Roster): HelpEntry[] {
    return this.capabilities.flatMap((c) => c.help?.(actor, roster) ?? []);
  }

  supports(verb: string): boolean {
    return this.actions.has(verb);
  }

  /** Whether a redelivered press of this verb may run again (its handler is all-or-nothing). */
  replays(verb: string): boolean {
    return this.replayable.has(verb);
  }
}
