import type { Roster } from '../config/roster';
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
}

/**
 * The school's routing rules. An allegation about the Head goes only to the Chair of Governors;
 * misuse by or allegations against staff go to the Head as case manager; a data breach to the
 * data-protection lead; everything else to the DSL on duty for the section (a deputy when the
 * DSL is away), with the IT manager told too about a filter bypass.
 */
export function routeFor(category: Category, subject: Subject, section: string | undefined, roster: Roster): Route {
  if (subject === 'head') return { kind: 'chair', owners: ids(roster.holder('chairOfGovernors')), alsoTell: [] };
  if (subject === 'staff' || category.route === 'staff') return { kind: 'head', owners: ids(roster.holder('head')), alsoTell: [] };
  if (category.route === 'data') return { kind: 'dpo', owners: ids(roster.holder('dataProtectionLead')), channel: { kind: 'dpo' }, alsoTell: [] };
  const owners = section ? roster.onDutyFor(section).map((p) => p.id) : [];
  const channel = section ? { kind: 'dsl' as const, section } : undefined;
  if (category.route === 'filter') return { kind: 'dsl-and-it', owners, channel, alsoTell: ids(roster.holder('itManager')) };
  return { kind: 'dsl', owners, channel, alsoTell: [] };
}

/** Whether a routed case needs a section before it can go anywhere. */
export function needsSection(category: Category, subject: Subject): boolean {
  return subject !== 'head' && subject !== 'staff' && category.route !== 'staff' && category.route !== 'data';
}

/**
 * Who may open and act on a case. The Head never sees a case routed to the Chair; DSL-routed
 * cases are open to the section's DSL and deputies and the Head; a filter bypass also to the IT
 * manager. Whoever the case is assigned to may act on it too.
 */
export function canHandle(c: IncidentCase, personId: string | undefined, roster: Roster): boolean {
  if (!personId) return false;
  const head = roster.holder('head')?.id;
  if (c.route === 'chair') return personId !== head && (roster.has(personId, 'chair-of-governors') || c.assignee?.id === personId);
  if (c.assignee?.id === personId) return true;
  switch (c.route) {
    case 'head':
      return roster.has(personId, 'head');
    case 'dpo':
      return roster.has(personId, 'data-protection-lead');
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
  return roster.config.people.map((p) => p.id).filter((id) => canHandle({ ...c, assignee: undefined }, id, roster));
}

/**
 * Who is told when a new case is still unacknowledged after each interval: DSL → deputies →
 * Head for DSL cases; otherwise the owner is reminded, since the chain must not leave the route
 * (a Chair case never reaches the Head). Undefined once the chain is exhausted.
 */
export function escalationTargets(c: IncidentCase, level: number, roster: Roster): string[] | undefined {
  if (c.route === 'dsl' || c.route === 'dsl-and-it') {
    // Deputies already holding the case (the DSL is away) are skipped: the next step is the Head.
    const deputies = (c.section ? roster.section(c.section)?.deputies ?? [] : []).filter((id) => !c.owners.includes(id) && !roster.isAway(id));
    const chain = [deputies, ids(roster.holder('head'))].filter((step) => step.length);
    return chain[level - 1];
  }
  return level <= 2 ? c.owners : undefined;
}

function ids(person: { id: string } | undefined): string[] {
  return person ? [person.id] : [];
}
