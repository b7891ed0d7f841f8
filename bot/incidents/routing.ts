import { TRUST_ROLES, type Role, type Roster } from '../config/roster';
import type { Category, Subject } from './categories';
import type { IncidentCase, RouteKind } from './caseRecord';

export interface Route {
  kind: RouteKind;
  /** Roster ids of whoever must act first. */
  owners: string[];
  /** A shared channel the case card may be posted in; people-only routes never use one. */
  channel?: { kind: 'dsl'; section: string } | { kind: 'dpo' };
  /** Also told 1:1 (e.g. the IT manager for a filter bypass). */
  alsoTell: string[];
  /** The roster person the case is about: left out of every delivery, escalation and access. */
  concerned?: string;
  /** The section DSL who is away, when deputies hold the case in their place. */
  coveringFor?: string;
  /** For an allegation about the Head in a trust whose rule names a trust officer: which one holds it. */
  chairRole?: ChairRole;
}

/** Which trust officer takes an allegation about a headteacher (`trust.headteacherAllegations`). */
export type ChairRole = 'ceo' | 'chairOfTrustees';

/** The role that may handle a case about the Head: the trust officer the rule named, else the school's chair. */
export function chairRoleOf(c: Pick<IncidentCase, 'chairRole'>): Role {
  return c.chairRole ? TRUST_ROLES[c.chairRole] : 'chair-of-governors';
}

/** "Chair of Governors", "the trust's CEO": how a case about the Head names whoever holds it. */
export function chairTitle(c: Pick<IncidentCase, 'chairRole'>): string {
  return c.chairRole === 'ceo' ? "the trust's CEO" : c.chairRole === 'chairOfTrustees' ? 'Chair of Trustees' : 'Chair of Governors';
}

/** Who holds a case about the Head under the trust's rule: a trust officer, or the school's chair (a single school's only choice). */
function headAllegationHolder(roster: Roster): { person?: { id: string }; chairRole?: ChairRole } {
  const rule = roster.trust?.headteacherAllegations ?? 'schoolChair';
  const officer = rule === 'schoolChair' ? undefined : roster.trustHolder(rule);
  return officer ? { person: officer, chairRole: rule as ChairRole } : { person: roster.holder('chairOfGovernors') };
}

/**
 * The school's routing rules. An allegation about the Head goes only to the Chair of Governors (in
 * a trust, to the trust officer `trust.headteacherAllegations` names);
 * misuse by or allegations against staff go to the Head as case manager; a data breach to the
 * data-protection lead; everything else to the DSL on duty for the section (a deputy when the
 * DSL is away), with the IT manager told too about a filter bypass.
 *
 * `concerned` is the roster person the report is about, resolved on the server: whatever the
 * category, the Head concerned sends it to the Chair, and anyone else concerned is left out; a
 * DSL channel whose team includes them is routed past (its members would see the card), and when
 * that leaves nobody the Head takes it.
 */
export function routeFor(category: Category, subject: Subject, section: string | undefined, roster: Roster, concerned?: string): Route {
  const head = roster.holder('head')?.id;
  const not = (list: string[]) => list.filter((id) => id !== concerned);
  const chair = (): Route => {
    const holder = headAllegationHolder(roster);
    return defined({ kind: 'chair', owners: not(ids(holder.person)), alsoTell: [], concerned: concerned ?? head, chairRole: holder.chairRole });
  };
  if (subject === 'head' || (concerned !== undefined && concerned === head)) return chair();
  const headRoute = (): Route => defined({ kind: 'head', owners: not(ids(roster.holder('head'))), alsoTell: [], concerned });
  if (subject === 'staff' || category.route === 'staff') return headRoute();
  if (category.route === 'data') {
    const owners = not(ids(roster.holder('dataProtectionLead')));
    if (!owners.length) return headRoute();
    return defined({ kind: 'dpo', owners, channel: concerned ? undefined : { kind: 'dpo' }, alsoTell: [], concerned });
  }
  const team = section ? roster.dslAndDeputies(section).map((p) => p.id) : [];
  let owners = section ? not(roster.onDutyFor(section).map((p) => p.id)) : [];
  if (section && !owners.length && concerned && team.includes(concerned)) {
    // The on-duty DSL is the one concerned: the rest of the section's team takes it.
    const others = not(team);
    owners = others.filter((id) => !roster.isAway(id));
    if (!owners.length) owners = others;
  }
  if (section && !owners.length && concerned) return headRoute();
  const routedPast = concerned !== undefined && team.includes(concerned);
  const channel = section && !routedPast ? { kind: 'dsl' as const, section } : undefined;
  const dsl = section ? roster.section(section)?.dsl : undefined;
  const coveringFor = dsl && dsl !== concerned && !owners.includes(dsl) && roster.isAway(dsl) && owners.length ? dsl : undefined;
  const alsoTell = category.route === 'filter' ? not(ids(roster.holder('itManager'))) : [];
  return defined({ kind: category.route === 'filter' ? 'dsl-and-it' : 'dsl', owners, channel, alsoTell, concerned, coveringFor });
}

/** A route without the optional keys that do not apply, so routes compare plainly. */
function defined(route: Route): Route {
  return Object.fromEntries(Object.entries(route).filter(([, v]) => v !== undefined)) as unknown as Route;
}

/** Whether a routed case needs a section before it can go anywhere. */
export function needsSection(category: Category, subject: Subject): boolean {
  return subject !== 'head' && subject !== 'staff' && category.route !== 'staff' && category.route !== 'data';
}

/**
 * Who may open and act on a case. The Head never sees a case routed to the Chair; DSL-routed
 * cases are open to the section's DSL and deputies and the Head; a filter bypass also to the IT
 * manager; a data breach to the data-protection lead, and the Head once it was escalated to them. Whoever the case is assigned to may act on it too.
 */
export function canHandle(c: IncidentCase, personId: string | undefined, roster: Roster): boolean {
  if (!personId || personId === c.concerned) return false;
  const head = roster.holder('head')?.id;
  if (c.route === 'chair') return personId !== head && (roster.has(personId, chairRoleOf(c)) || c.assignee?.id === personId);
  if (c.assignee?.id === personId) return true;
  // The trust's safeguarding lead oversees every school's safeguarding cases (not data breaches, and
  // not one about the Head, which only the officer the trust's rule names sees).
  if (c.route !== 'dpo' && roster.has(personId, 'trust-safeguarding-lead')) return true;
  switch (c.route) {
    case 'head':
      return roster.has(personId, 'head');
    case 'dpo':
      // The Head once a breach nobody acknowledged was escalated to them (and Teams reached them).
      return roster.has(personId, 'data-protection-lead') || (roster.has(personId, 'head') && (c.escalatedTo ?? []).includes(personId));
    case 'dsl':
    case 'dsl-and-it': {
      const team = c.section ? roster.dslAndDeputies(c.section).map((p) => p.id) : [];
      if (team.includes(personId) || roster.has(personId, 'head')) return true;
      return c.route === 'dsl-and-it' && roster.has(personId, 'it-manager');
    }
  }
}

/** People a case may be assigned to: those who may handle it, never the Head for a Chair case. */
export function assignable(c: IncidentCase, roster: Roster): string[] {
  return roster.everyone().map((p) => p.id).filter((id) => canHandle({ ...c, assignee: undefined }, id, roster));
}

/**
 * Who is told when a new case is still unacknowledged after each interval: DSL → deputies →
 * Head for DSL cases; data-protection lead → Head for a data breach; otherwise the owner is
 * reminded, since the chain must not leave the route (a Chair case never reaches the Head). In a trust the trust safeguarding lead is the last step
 * of a DSL or Head case's chain. Undefined once the chain is exhausted.
 */
export function escalationTargets(c: IncidentCase, level: number, roster: Roster): string[] | undefined {
  const not = (list: string[]) => list.filter((id) => id !== c.concerned);
  const lead = c.route === 'chair' || c.route === 'dpo' ? [] : not(ids(roster.trustHolder('safeguardingLead'))).filter((id) => !c.owners.includes(id));
  if (c.route === 'dsl' || c.route === 'dsl-and-it') {
    // Deputies already holding the case (the DSL is away) are skipped: the next step is the Head.
    const deputies = not((c.section ? roster.section(c.section)?.deputies ?? [] : []).filter((id) => !c.owners.includes(id) && !roster.isAway(id)));
    const chain = [deputies, not(ids(roster.holder('head'))), lead].filter((step) => step.length);
    return chain[level - 1];
  }
  const owners = not(c.owners);
  if (c.route === 'dpo') {
    // A breach may have to be reported to the ICO within 72 hours of being found: one reminder to
    // the data-protection lead, then the Head, who answers for the school's decision. Never the
    // DSLs or the trust's safeguarding lead (a breach is not a safeguarding case). A Head who is
    // the lead already holds it and is reminded again.
    const head = not(ids(roster.holder('head'))).filter((id) => !c.owners.includes(id));
    return [owners, head.length ? head : owners].filter((step) => step.length)[level - 1];
  }
  const chain = [owners, owners, lead].filter((step) => step.length);
  return chain[level - 1];
}

function ids(person: { id: string } | undefined): string[] {
  return person ? [person.id] : [];
}
