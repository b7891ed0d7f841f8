import type { Person, SchoolConfig, Section } from './schoolConfigSchema';

export type Role =
  | 'staff'
  | 'admin'
  | 'head'
  | 'chair-of-governors'
  | 'dsl'
  | 'deputy-dsl'
  | 'it-manager'
  | 'it-technician'
  | 'deputy-head-pastoral'
  | 'deputy-head-academic'
  | 'head-of-department'
  | 'data-protection-lead'
  | 'online-safety-lead'
  | 'trust-safeguarding-lead'
  | 'trust-it-manager'
  | 'trust-ceo'
  | 'chair-of-trustees';

/** The trust roles (trust.roles in a trust file) and the role each grants in every school's roster. */
export const TRUST_ROLES = { safeguardingLead: 'trust-safeguarding-lead', itManager: 'trust-it-manager', ceo: 'trust-ceo', chairOfTrustees: 'chair-of-trustees' } as const satisfies Record<string, Role>;
export type TrustRoleKey = keyof typeof TRUST_ROLES;

/**
 * The people above the schools, as every school of a trust sees them: they are in no school's
 * `people`, yet each school's roster recognises them and answers for their trust roles, so every
 * check stays a roster check on the server.
 */
export interface TrustOfficers {
  name: string;
  people: Person[];
  roles: Partial<Record<TrustRoleKey, string>>;
  headteacherAllegations: 'ceo' | 'chairOfTrustees' | 'schoolChair';
}

/** How a Teams user is told apart: Entra object id first, email as the fallback. */
export interface Identity {
  aadObjectId?: string;
  email?: string;
}

// Mail domains of a configuration's people, worked out once per configuration: a roster is made again at
// every away-flag refresh, and the domain is asked on every turn of staff no roster lists.
const domainsByConfig = new WeakMap<SchoolConfig, ReadonlySet<string>>();

/**
 * Who holds which role, from the school configuration. Pure data: every card action asks this,
 * on the server, rather than trusting anything a card carries.
 */
export class Roster {
  private readonly byKey = new Map<string, Person>();
  private readonly byId = new Map<string, Person>();
  private readonly roles = new Map<string, Set<Role>>();
  /** Trust people this school does not list itself (someone a school lists is that school's person). */
  private readonly trustOnly: Person[] = [];
  /** Each trust role's holder as this roster knows them: the school's own id for someone it lists. */
  private readonly trustIds = new Map<TrustRoleKey, string>();

  constructor(readonly config: SchoolConfig, private readonly awayOverrides: ReadonlyMap<string, boolean> = new Map(), readonly trust?: TrustOfficers) {
    const index = (p: Person) => {
      this.byId.set(p.id, p);
      if (p.aadObjectId) this.byKey.set(p.aadObjectId.toLowerCase(), p);
      if (p.email) this.byKey.set(p.email.toLowerCase(), p);
    };
    config.people.forEach(index);
    const asHere = new Map<string, string>();
    for (const p of trust?.people ?? []) {
      const listed = this.find(p);
      if (listed) asHere.set(p.id, listed.id);
      else if (!this.byId.has(p.id)) {
        index(p);
        this.trustOnly.push(p);
        asHere.set(p.id, p.id);
      }
    }
    const r = config.roles;
    const grant = (id: string | undefined, role: Role) => {
      if (!id) return;
      if (!this.roles.has(id)) this.roles.set(id, new Set());
      this.roles.get(id)!.add(role);
    };
    grant(r.head, 'head');
    grant(r.chairOfGovernors, 'chair-of-governors');
    grant(r.itManager, 'it-manager');
    r.itTechnicians.forEach((id) => grant(id, 'it-technician'));
    grant(r.deputyHeadPastoral, 'deputy-head-pastoral');
    grant(r.deputyHeadAcademic, 'deputy-head-academic');
    grant(r.dataProtectionLead, 'data-protection-lead');
    grant(r.onlineSafetyLead, 'online-safety-lead');
    r.admins.forEach((id) => grant(id, 'admin'));
    Object.values(r.headsOfDepartment).forEach((id) => grant(id, 'head-of-department'));
    for (const s of config.sections) {
      grant(s.dsl, 'dsl');
      s.deputies.forEach((id) => grant(id, 'deputy-dsl'));
    }
    for (const [key, role] of Object.entries(TRUST_ROLES) as Array<[TrustRoleKey, Role]>) {
      const id = trust?.roles[key] ? asHere.get(trust.roles[key]!) : undefined;
      if (!id) continue;
      this.trustIds.set(key, id);
      grant(id, role);
    }
  }

  /** The school's people and the trust's people it does not list: everyone who may act here. */
  everyone(): Person[] {
    return this.trustOnly.length ? [...this.config.people, ...this.trustOnly] : this.config.people;
  }

  /** The holder of a trust role, in this school's terms; undefined for a single school. */
  trustHolder(role: TrustRoleKey): Person | undefined {
    const id = this.trustIds.get(role);
    return id ? this.byId.get(id) : undefined;
  }

  /** Whether this person holds any trust role (and so may work in every school of the trust). */
  isTrustOfficer(personId: string | undefined): boolean {
    return !!personId && [...this.trustIds.values()].includes(personId);
  }

  /** A copy with some people's away flag switched (the flag can change in chat). */
  withAway(overrides: ReadonlyMap<string, boolean>): Roster {
    return new Roster(this.config, overrides, this.trust);
  }

  /** As the roster would be if one more person's flag were switched: who would cover, before anything changes. */
  withAwayFlag(personId: string, away: boolean): Roster {
    return new Roster(this.config, new Map([...this.awayOverrides, [personId, away]]), this.trust);
  }

  get schoolName(): string {
    return this.config.school.name;
  }

  find(identity: Identity): Person | undefined {
    const keys = [identity.aadObjectId, identity.email].filter((k): k is string => !!k).map((k) => k.toLowerCase());
    for (const key of keys) {
      const person = this.byKey.get(key);
      if (person) return person;
    }
    return undefined;
  }

  /** The mail domains (lower case) of the people listed, e.g. "ashgrove.example.org". */
  mailDomains(): ReadonlySet<string> {
    let domains = domainsByConfig.get(this.config);
    if (!domains) {
      domains = new Set(this.config.people.map((p) => p.email?.split('@')[1]?.toLowerCase()).filter((d): d is string => !!d));
      domainsByConfig.set(this.config, domains);
    }
    return domains;
  }

  person(id: string): Person | undefined {
    return this.byId.get(id);
  }

  rolesOf(personId: string | undefined): Role[] {
    const held = personId ? this.roles.get(personId) : undefined;
    return ['staff', ...(held ? [...held] : [])];
  }

  has(personId: string | undefined, ...roles: Role[]): boolean {
    const held = this.rolesOf(personId);
    return roles.some((r) => held.includes(r));
  }

  withRole(role: Role): Person[] {
    return this.everyone().filter((p) => this.roles.get(p.id)?.has(role));
  }

  isAway(personId: string): boolean {
    return this.awayOverrides.get(personId) ?? this.byId.get(personId)?.away ?? false;
  }

  sections(): Section[] {
    return this.config.sections;
  }

  /** Case-insensitive match of a typed section name, e.g. "senior" → "Senior". */
  section(name: string): Section | undefined {
    const wanted = name.trim().toLowerCase();
    return this.config.sections.find((s) => s.name.toLowerCase() === wanted);
  }

  /** The section whose year groups include `year` ("Year 9", "9", "Reception"). */
  sectionForYear(year: string): Section | undefined {
    const norm = (y: string) => y.trim().toLowerCase().replace(/^year\s*/, '');
    const wanted = norm(year);
    return this.config.sections.find((s) => s.years.some((y) => norm(y) === wanted));
  }

  /** Sections where this person is DSL or deputy. */
  safeguardingSections(personId: string): Section[] {
    return this.config.sections.filter((s) => s.dsl === personId || s.deputies.includes(personId));
  }

  /** Who should act for a section now: the DSL unless away, else the deputies who are not away. */
  onDutyFor(sectionName: string): Person[] {
    const s = this.section(sectionName);
    if (!s) return [];
    const dsl = this.byId.get(s.dsl);
    if (dsl && !this.isAway(dsl.id)) return [dsl];
    const deputies = s.deputies.filter((id) => !this.isAway(id)).map((id) => this.byId.get(id)!);
    return deputies.length ? deputies : dsl ? [dsl] : [];
  }

  dslAndDeputies(sectionName: string): Person[] {
    const s = this.section(sectionName);
    if (!s) return [];
    return [s.dsl, ...s.deputies].map((id) => this.byId.get(id)!).filter(Boolean);
  }

  /** The single holder of a one-person role. */
  holder(role: 'head' | 'chairOfGovernors' | 'itManager' | 'deputyHeadPastoral' | 'deputyHeadAcademic' | 'dataProtectionLead' | 'onlineSafetyLead'): Person | undefined {
    const id = this.config.roles[role];
    return id ? this.byId.get(id) : undefined;
  }
}
