import type { Turn } from '../chat/turn';
import { renderCard } from '../cards/renderCard';
import { Roster } from '../config/roster';
import type { PeopleDirectory } from '../routing/peopleDirectory';
import type { SchoolChoices } from './schoolChoices';
import type { SchoolDesk } from './schoolRuntime';
import { SCHOOL_FIELD } from './schoolStamp';
import { CASE_LIST } from '../incidents/caseList';
import { filterLogSchool } from '../filtering/logCommands';
import { namesSchool } from './schoolNames';
import { REPORT_COMMAND } from '../incidents/reportFlow';
import { normaliseCommandText } from '../chat/dispatcher';
import { childInDanger } from '../policy/intent';
import { DANGER_LINE } from '../policy/safetyNotice';

export const CHOOSE_SCHOOL = 'school.choose';

/** Who sent an activity and where, as the Teams layer reports it (no SDK types). */
export interface Caller {
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  channelId?: string;
  aadObjectId?: string;
  teamsUserId: string;
  /** Asks Teams for the person's email, for schools that list people by email only. */
  lookUpEmail?: () => Promise<string | undefined>;
}

/** One school's desk; the schools to ask between; or, for a trust-wide command, every school in turn. */
type Who = { aadObjectId?: string; teamsUserId: string; email?: string; lookUpEmail?: () => Promise<string | undefined> };

export type Routed = { desk: SchoolDesk } | { ask: SchoolDesk[] } | { span: SchoolDesk[] };

function referencePrefix(desk: SchoolDesk): string | undefined {
  return desk.config.settings<{ referencePrefix?: string } | undefined>('incidents')?.referencePrefix?.toUpperCase();
}

/** A case reference anywhere in a typed command: its prefix names the school that issued it. */
const CASE_REF = /\b([A-Z]{2,6})-\d{4}-\d{4,6}\b/i;

// Registered channels change rarely: a known channel's turn reads no destinations for this long.
const CHANNELS_FRESH_MS = 30_000;

const personKey = (c: { aadObjectId?: string; teamsUserId: string }) => (c.aadObjectId ?? c.teamsUserId).toLowerCase();
const baseConversation = (id: string) => id.split(';')[0];

/**
 * Decides which school a turn is for: a channel by the school whose destinations hold it, when it is one of the speaker's; a person
 * by their roster membership, else by a mail domain only one school's people use; someone in several schools (or in none, when there are several) by
 * the choice remembered for this conversation, else they are asked once.
 */
export class SchoolRouter {
  private channels?: { at: number; bySchool: Map<string, string> };

  constructor(
    readonly desks: SchoolDesk[],
    private readonly choices: SchoolChoices,
    private readonly directory: PeopleDirectory,
    private readonly trustName: string,
  ) {}

  async route(caller: Caller, action?: { verb: string; data: Record<string, unknown> }, text?: string): Promise<Routed> {
    if (this.desks.length === 1) return { desk: this.desks[0] };
    const owner = caller.conversationType === 'channel' ? await this.channelOwner(caller) : undefined;
    const { desks: candidates, listed } = await this.placesOf(caller);
    // A channel's turn is its school's only for that school's people (or staff no roster places
    // elsewhere): a report typed in another school's channel moves to a private chat, where the
    // form's presses follow the person's own schools, so a form from the channel's school would
    // reach a school that has no draft of it, and a report would go where its author is not.
    if (owner && candidates.includes(owner)) return { desk: owner };
    if (candidates.length === 1) return { desk: candidates[0] };
    // The choice card names the school it chooses; every other card carries the school that sent it.
    const hint = action?.data[action.verb === CHOOSE_SCHOOL ? 'school' : SCHOOL_FIELD];
    const hinted = typeof hint === 'string' ? candidates.find((d) => d.school.id === hint) : undefined;
    if (hinted && action?.verb === CHOOSE_SCHOOL) {
      await this.choices.set(caller.conversationId, personKey(caller), hinted.school.id);
      return { desk: hinted };
    }
    if (hinted) return { desk: hinted };
    if (!action && text) {
      const typed = this.byWhatTheyTyped(candidates, listed, text.trim());
      if (typed) return typed;
    }
    const chosen = await this.choices.get(caller.conversationId, personKey(caller));
    const desk = candidates.find((d) => d.school.id === chosen);
    return desk ? { desk } : { ask: candidates };
  }

  /**
   * A typed command that says its school: a case reference goes to the school whose prefix it
   * carries (among the person's own schools); `cases` from someone every one of these schools
   * lists (a trust officer, whom every school's roster knows) runs in each school in turn;
   * `filter log <school>` goes to the school it names, among those that list the person (the
   * school still checks their role; the remembered choice is left as it was).
   */
  private byWhatTheyTyped(candidates: SchoolDesk[], listed: boolean, text: string): Routed | undefined {
    const prefix = CASE_REF.exec(text)?.[1]?.toUpperCase();
    if (prefix) {
      const issuer = candidates.filter((d) => referencePrefix(d) === prefix);
      if (issuer.length === 1) return { desk: issuer[0] };
    }
    const named = listed ? filterLogSchool(text) : undefined;
    if (named) {
      const school = candidates.filter((d) => namesSchool(named, { id: d.school.id, name: d.school.name }));
      if (school.length === 1) return { desk: school[0] };
    }
    return listed && CASE_LIST.test(text) ? { span: candidates } : undefined;
  }

  /** The schools whose roster lists this person; every school when none does (ordinary staff). */
  async schoolsOf(who: Who): Promise<SchoolDesk[]> {
    return (await this.placesOf(who)).desks;
  }

  /** schoolsOf, and whether those schools' rosters list the person (else it is every school, or the one their mail domain names). */
  private async placesOf(who: Who): Promise<{ desks: SchoolDesk[]; listed: boolean }> {
    const rosters = await Promise.all(this.desks.map((d) => d.config.current()));
    const byId = this.desks.filter((_d, i) => who.aadObjectId && rosters[i].find({ aadObjectId: who.aadObjectId }));
    let email = who.email ?? (who.aadObjectId ? (await this.directory.get(who.aadObjectId))?.email : undefined);
    // Only someone no roster knows by id costs a call to Teams, as resolveActor does for them anyway.
    if (!email && !byId.length) email = await who.lookUpEmail?.();
    const listed = this.desks.filter((_d, i) => byId.includes(this.desks[i]) || (email && rosters[i].find({ email })));
    if (listed.length) return { desks: listed, listed: true };
    // Staff no roster lists (most teachers): a mail domain that only one school's people use is that school's.
    const domain = email?.split('@')[1]?.toLowerCase();
    const byDomain = domain ? this.desks.filter((_d, i) => rosters[i].mailDomains().has(domain)) : [];
    return { desks: byDomain.length === 1 ? byDomain : this.desks, listed: false };
  }

  /**
   * Everyone any school lists, for reading a team's member list: a team may hold staff of several
   * schools, and the directory it fills is the trust's. Roles are not looked up in it.
   */
  async teamRoster(): Promise<Roster> {
    const rosters = await Promise.all(this.desks.map((d) => d.config.current()));
    const people = rosters.flatMap((r, i) => r.config.people.map((p) => ({ ...p, id: `${this.desks[i].school.id}.${p.id}` })));
    return new Roster({ ...rosters[0].config, people });
  }

  /** Sends the choice card; what they typed is kept and runs once they choose. */
  async ask(turn: Turn, candidates: SchoolDesk[], typed: string): Promise<void> {
    const who = { aadObjectId: turn.actor.aadObjectId, teamsUserId: turn.actor.teamsUserId };
    const text = typed.trim();
    if (text) await this.choices.keepPending(turn.place.address.conversationId, personKey(who), text);
    const schools = candidates.map((d) => ({ id: d.school.id, name: d.school.name }));
    // The report form and the policy answer say 999 first; asking the school first must not hold that back.
    const danger = childInDanger(text) || REPORT_COMMAND.test(normaliseCommandText(text)) ? DANGER_LINE : '';
    // Asked either because several rosters list them, or because none does and their mail domain
    // names no one school (a trust-wide domain): the turn is for the first candidate, so its roster
    // knowing them says which, and the card must not tell unlisted staff they are listed.
    const why = turn.actor.personId
      ? `You are listed in more than one school of ${this.trustName}.`
      : `No school of ${this.trustName} lists you by name, so I can't tell which one you work in.`;
    await turn.send({ card: renderCard('school-choice', { trustName: this.trustName, why, schools, danger, waiting: text.length > 200 ? `${text.slice(0, 200)}…` : text }) });
  }

  async forget(turn: Turn): Promise<void> {
    await this.choices.clear(turn.place.address.conversationId, personKey({ aadObjectId: turn.actor.aadObjectId, teamsUserId: turn.actor.teamsUserId }));
  }

  takePending(turn: Turn): Promise<string | undefined> {
    return this.choices.takePending(turn.place.address.conversationId, personKey({ aadObjectId: turn.actor.aadObjectId, teamsUserId: turn.actor.teamsUserId }));
  }

  private async channelOwner(caller: Caller): Promise<SchoolDesk | undefined> {
    const key = caller.channelId ?? baseConversation(caller.conversationId);
    const fresh = this.channels && Date.now() - this.channels.at < CHANNELS_FRESH_MS;
    // A miss re-reads too, so a channel registered a moment ago routes to its school at once.
    if (!fresh || !this.channels!.bySchool.has(key)) await this.readChannels();
    const id = this.channels!.bySchool.get(key);
    return this.desks.find((d) => d.school.id === id);
  }

  private async readChannels(): Promise<void> {
    const bySchool = new Map<string, string>();
    for (const desk of this.desks) {
      for (const dest of await desk.school.destinations.all()) {
        bySchool.set(dest.address.channelId ?? baseConversation(dest.address.conversationId), desk.school.id);
      }
    }
    this.channels = { at: Date.now(), bySchool };
  }
}
