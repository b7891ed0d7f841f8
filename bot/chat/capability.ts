import type { ZodTypeAny } from 'zod';
import type { AdaptiveCard } from '../cards/renderCard';
import type { ConfigStore } from '../config/configStore';
import type { SettingsBlock } from '../config/loadSchoolConfig';
import type { Roster } from '../config/roster';
import type { Settings } from '../settings';
import type { Destinations } from '../routing/destinations';
import type { Outbox } from '../scheduler/outbox';
import type { Scheduler } from '../scheduler/scheduler';
import type { AuditLog } from '../storage/auditLog';
import type { DraftStore } from '../storage/draftStore';
import type { TableProvisioner } from '../storage/tableService';
import type { ActionResult, Actor, CardAction, Messenger, Turn } from './turn';

/** What every capability is given: storage, the roster, outbound messaging and durable timers. */
export interface Services {
  tables: TableProvisioner;
  audit: AuditLog;
  drafts: DraftStore;
  config: ConfigStore;
  destinations: Destinations;
  scheduler: Scheduler;
  /** All-or-nothing submits: a record written once, and what follows it delivered durably. */
  outbox: Outbox;
  messenger: Messenger;
  /** The environment settings Lantern started with (policy folder, AI endpoint...). */
  environment: Settings;
  now: () => Date;
  log: (message: string) => void;
  /** The school's id in a trust file (undefined for a school file), for commands that name a school. */
  schoolId?: string;
  /** Lets one capability start another's flow (e.g. a policy answer's "Report an incident"). */
  commands: CommandRunner;
}

export interface CommandRunner {
  /** Runs a command as if the person had typed `commandText`. */
  run(commandText: string, turn: Turn): Promise<boolean>;
  /** Whether some capability handles this card verb (so a button is offered only if it works). */
  supports(verb: string): boolean;
}

export interface Command {
  /** For logs and tests; other capabilities start a command by its typed text. */
  name: string;
  /** Matched against the whole message after @mentions are stripped and whitespace collapsed. */
  pattern: RegExp;
  run(turn: Turn, match: RegExpMatchArray, roster: Roster): Promise<void>;
  /** How to type it, for a message that begins like this command but does not match `pattern`. */
  usage?: CommandUsage;
  /**
   * It only replies and writes nothing, so Teams' redelivery of it may run it again (a second
   * reply) and it takes no redelivery claim: no table request at all.
   */
  repeatable?: boolean;
}

/**
 * A command typed with wrong or missing arguments ("away on please", "hold xyz reason") would
 * otherwise be searched as a policy question and answered "I couldn't find a rule".
 */
export interface CommandUsage {
  /**
   * The whole message, as a mistyped use of the command. It must be specific (several words, or
   * the word followed by something shaped like the arguments): "hold on, can I…" is a question.
   */
  prefix: RegExp;
  /** What to type, with an example (Markdown). */
  text: string;
  /**
   * Who is told: those whose help lists an entry whose command this matches (default `pattern`),
   * so a usage line reveals no more than help does.
   */
  offeredBy?: RegExp;
}

export type ActionHandler = (action: CardAction, turn: Turn, roster: Roster) => Promise<ActionResult>;

/** What staff come to do; the help card shows one group per heading, in this order. */
export const HELP_GROUPS = {
  concern: 'Worried about a child or something online',
  policy: 'A question about a school policy',
  filter: 'Website filtering',
  tutoring: 'Sessions and calls with pupils',
  role: 'For your role',
  admin: 'Setting up Lantern',
  more: 'More',
} as const;
export type HelpGroup = keyof typeof HELP_GROUPS;

export interface HelpEntry {
  /** The button's label: the action itself ("Report a concern"), never "Start". */
  title: string;
  /** What to type, also used as the button's command. */
  command: string;
  description: string;
  /** Under which heading it appears; "more" when not given. */
  group?: HelpGroup;
}

export interface Capability {
  readonly name: string;
  readonly commands?: Command[];
  /** Handlers by Action.Execute verb; verbs are namespaced, e.g. "incident.next". */
  readonly actions?: Record<string, ActionHandler>;
  /**
   * Verbs whose handler is an all-or-nothing outbox submit: a press Teams redelivers runs again
   * and answers with the receipt, instead of being dropped as a duplicate.
   */
  readonly replayableActions?: readonly string[];
  /** Durable job handlers by kind, run by the Scheduler. */
  readonly jobs?: Record<string, (job: { id: string; payload: Record<string, unknown>; due: string }) => Promise<void>>;
  /** Entries for the help card, chosen for this person's roles. */
  help?(actor: Actor, roster: Roster): HelpEntry[];
  /** Handles any message no command matched (policy Q&A). At most one capability does. */
  fallback?(turn: Turn, roster: Roster): Promise<void>;
  /**
   * The fallback tells Teams' redelivery of a message from a new one by itself (the record it
   * writes is keyed by the activity), so a message no command matches needs no claim of its own.
   */
  readonly fallbackRunsOnce?: boolean;
  /** A team Lantern is in changed its members (someone joined): who is in it may matter now. */
  rosterChanged?(change: { teamId: string; joined: string[] }): Promise<void>;
  /** Called on shutdown, after in-flight turns finish. */
  stop?(): Promise<void>;
}

/**
 * A capability module: its settings schema (part of the school config file) and a factory. The
 * optional hooks are those of SettingsBlock: run at validation, before anything is stored.
 */
export interface CapabilityModule<S = unknown> extends Partial<Omit<SettingsBlock, 'checkSettings'>> {
  /** Key of its section in the school configuration file, if it has one. */
  settingsKey?: string;
  settingsSchema?: ZodTypeAny;
  checkSettings?(settings: NonNullable<S>, roster: Roster): string[];
  /** `settings` is undefined when the block is left out and notSetUpWhenOmitted is set. */
  create(services: Services, settings: S): Capability | Promise<Capability>;
}

export type { AdaptiveCard };
