import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AuditLog } from '../storage/auditLog';
import { DocumentTable } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import { ConfigError } from './configErrors';
import { summariseChanges } from './configChanges';
import { EXAMPLE_CONFIG, isPlainObject, readConfigFile, validateConfig, type SettingsSchemas, type ValidatedConfig } from './loadSchoolConfig';
import { Roster, type TrustOfficers } from './roster';
import { schoolConfigSchema } from './schoolConfigSchema';
import { isOwnKey, own } from '../core/ownLookup';

interface StoredConfig {
  raw: unknown;
  source: string;
  hash: string;
  storedAt: string;
}

interface AwayFlag {
  away: boolean;
  by: string;
  at: string;
}

export interface LoadOptions {
  /**
   * Whether the example school may be used when no SCHOOL_CONFIG is set and nothing is stored.
   * A bot registered with Teams (BOT_ID set) must be given its school, never a fictional one.
   */
  exampleAllowed?: boolean;
  /** False for scripts that read the configuration: only the bot's start-up stores a new file. */
  store?: boolean;
  /** One school's block of a trust file, already read: used in place of a file (bot/trust). */
  given?: { raw: unknown; source: string };
  /** The trust's officers, whom every school's roster recognises (bot/trust). */
  trust?: TrustOfficers;
}

/** Where the configuration in use came from, and what start-up would do with it. */
export interface ConfigResolution {
  raw: unknown;
  /** The file read, or undefined when the stored copy is used. */
  file?: string;
  validated: ValidatedConfig;
  stored?: StoredConfig;
  /** The file differs from the stored copy (or nothing is stored yet). */
  changed: boolean;
  /** Top-level blocks that differ from the stored copy. */
  changes: string[];
  /** Top-level keys Lantern does not know (a typo, or a block of a capability not in this build). */
  unknown: string[];
  /** The stored copy's ETag when it was read: how a running instance notices another one stored a new file. */
  storedEtag?: string;
}

const SYSTEM = { id: 'lantern', name: 'Lantern' };
export const STORED_COPY = 'stored copy';

const hashOf = (raw: unknown) => createHash('sha256').update(JSON.stringify(raw)).digest('hex');
const isExample = (file: string) => path.resolve(file) === EXAMPLE_CONFIG;

/** The file read, or the stored copy with the time it was stored. */
export function sourceOf(r: ConfigResolution, readAt: string): { source: string; at: string } {
  return r.file ? { source: r.file, at: readAt } : { source: STORED_COPY, at: r.stored!.storedAt };
}

/**
 * The school configuration lives in Tables, so every instance sees the same roster. The file in
 * use is read at every start and wins when it differs from the stored copy; without a file (App
 * Service where only the stored copy exists) the stored copy is used.
 */
export class ConfigStore {
  private readonly table: DocumentTable<StoredConfig>;
  private readonly awayTable: DocumentTable<AwayFlag>;
  private resolution?: ConfigResolution;
  private loadedAt?: string;
  private roster?: Roster;
  private awayReadAt = 0;
  private storedEtag?: string;
  private refreshing?: Promise<void>;
  private trust?: TrustOfficers;

  constructor(tables: TableProvisioner, private readonly audit: AuditLog, readonly schemas: SettingsSchemas, private readonly awayRefreshMs = 30_000) {
    this.table = new DocumentTable(tables, 'config');
    this.awayTable = new DocumentTable(tables, 'presence');
  }

  /**
   * Works out what start-up would use, writing nothing: the SCHOOL_CONFIG file; else the example
   * if nothing is stored or the stored copy came from it; else the stored copy. Throws ConfigError
   * naming the bad field.
   */
  async resolve(file: string | undefined, options: LoadOptions = {}): Promise<ConfigResolution> {
    const row = await this.table.get('school', 'current');
    const stored = row?.value;
    const storedEtag = row?.etag;
    const chosen = options.given?.source ?? file ?? (!stored || isExample(stored.source) ? EXAMPLE_CONFIG : undefined);
    if (!file && !options.given && !stored && options.exampleAllowed === false) {
      throw new ConfigError('environment', [
        `SCHOOL_CONFIG: required: no school configuration is stored yet, and a bot registered with Teams (BOT_ID set) does not start as the example school. Copy bot/config/school.example.yaml, fill in your school and point SCHOOL_CONFIG at it.`,
      ]);
    }
    if (!chosen) {
      const validated = validateConfig(stored!.raw, `stored configuration (from ${stored!.source})`, this.schemas);
      return { raw: stored!.raw, validated, stored, changed: false, changes: [], unknown: this.unknownKeys(stored!.raw), storedEtag };
    }
    const raw = options.given ? options.given.raw : await readConfigFile(chosen);
    const validated = validateConfig(raw, chosen, this.schemas);
    const changed = stored?.hash !== hashOf(raw);
    return { raw, file: chosen, validated, stored, changed, changes: changed && stored ? summariseChanges(stored.raw, raw) : [], unknown: this.unknownKeys(raw), storedEtag };
  }

  private unknownKeys(raw: unknown): string[] {
    const known = Object.keys(schoolConfigSchema.shape);
    return Object.keys(isPlainObject(raw) ? raw : {}).filter((k) => !known.includes(k) && !isOwnKey(this.schemas, k));
  }

  /** Loads at start-up and stores a changed file (audited). Returns the one line start-up logs. */
  async load(file: string | undefined, options: LoadOptions = {}): Promise<string> {
    const r = await this.resolve(file, options);
    const at = new Date().toISOString();
    let line: string;
    let storedEtag = r.storedEtag;
    if (!r.file) line = `${STORED_COPY} (from ${r.stored!.source}, stored ${r.stored!.storedAt}); no SCHOOL_CONFIG file`;
    else if (!r.changed) line = `${r.file} (same as the stored copy)`;
    else if (options.store === false) line = `${r.file} (differs from the stored copy; the bot stores it at its next start)`;
    else if (!(storedEtag = await this.storeFile(r.raw, r.file, at))) line = `${r.file} (same as the stored copy, stored just now by another instance)`;
    else {
      const summary = r.stored ? `changed since the stored copy: ${r.changes.join('; ')}` : 'nothing was stored yet';
      await this.audit.append({ actor: SYSTEM, action: 'config.stored', entityType: 'config', entityId: 'school', reason: `loaded from ${r.file}: ${summary}`, detail: { hash: hashOf(r.raw), changes: r.changes, previous: r.stored?.hash ?? null } });
      line = `${r.file} (${summary}; validated and stored)`;
    }
    if (r.unknown.length) line += `; not known to Lantern, ignored: ${r.unknown.join(', ')}`;
    this.resolution = r;
    this.loadedAt = at;
    this.trust = options.trust;
    this.roster = new Roster(r.validated.school, new Map(), this.trust);
    this.storedEtag = storedEtag;
    await this.refreshAway(true);
    return line;
  }

  /**
   * Stores the file's configuration with the ETag of the copy it replaces. False when the stored
   * copy is this file already: instances starting together all read "changed", and only the one
   * whose write lands stores (and audits) it; that one gets the new copy's ETag for the cache.
   */
  private async storeFile(raw: unknown, file: string, at: string): Promise<string | undefined> {
    const row: StoredConfig = { raw, source: path.resolve(file), hash: hashOf(raw), storedAt: at };
    for (;;) {
      const current = await this.table.get('school', 'current');
      if (current?.value.hash === row.hash) return undefined;
      try {
        const written = current ? await this.table.replace('school', 'current', row, current.etag) : await this.table.create('school', 'current', row);
        return written.etag;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** Where the configuration in use came from (a file path or "stored copy") and when it was loaded. */
  describeSource(): { source: string; at: string } {
    if (!this.resolution) throw new Error('configuration is not loaded');
    return sourceOf(this.resolution, this.loadedAt!);
  }

  /** Whether the example school's own file is in use (its example policies go with it). */
  usesExample(): boolean {
    return !!this.resolution?.file && isExample(this.resolution.file);
  }

  /** What was loaded at start, for `config check`. */
  loaded(): ConfigResolution {
    if (!this.resolution) throw new Error('configuration is not loaded');
    return this.resolution;
  }

  settings<T>(key: string): T {
    if (!this.resolution) throw new Error('configuration is not loaded');
    return own(this.resolution.validated.settings, key) as T;
  }

  /** The roster with current away flags; cheap to call on every turn. */
  async current(): Promise<Roster> {
    await this.refreshAway(false);
    if (!this.roster) throw new Error('configuration is not loaded');
    return this.roster;
  }

  /**
   * The roster with away flags read now, for deciding who gets a case: `current()` may hold flags
   * up to `awayRefreshMs` old, and another instance may have marked a DSL away a moment ago.
   */
  async currentWithAwayNow(): Promise<Roster> {
    await this.refreshAway(true);
    if (!this.roster) throw new Error('configuration is not loaded');
    return this.roster;
  }

  /** The away flag as stored now (not the roster's copy, which another instance may have changed since). */
  async awayNow(personId: string): Promise<boolean> {
    const stored = await this.awayTable.get('away', personId);
    return stored ? stored.value.away : (this.roster?.config.people.find((p) => p.id === personId)?.away ?? false);
  }

  async setAway(personId: string, away: boolean, by: { id: string; name: string }, reason?: string): Promise<void> {
    const previous = await this.awayTable.get('away', personId);
    await this.awayTable.upsert('away', personId, { away, by: by.id, at: new Date().toISOString() });
    await this.audit.append({ actor: by, action: 'person.away-changed', entityType: 'person', entityId: personId, reason, changes: { away: { from: previous?.value.away ?? false, to: away } } });
    await this.refreshAway(true);
  }

  /**
   * Away flags and the stored configuration are cached for `awayRefreshMs` rather than read each
   * turn. A time-to-live rather than a check per turn, because Tables has no conditional read: a
   * check would cost the read it saves. The configuration row is compared by ETag, so it is
   * parsed and validated again only when another instance stored a new file (its capability
   * settings still apply from this instance's start). Concurrent turns share one refresh.
   */
  private async refreshAway(force: boolean): Promise<void> {
    if (!this.roster) return;
    if (!force && (this.refreshing || Date.now() - this.awayReadAt < this.awayRefreshMs)) return this.refreshing;
    // A forced refresh follows a write: it must not be overtaken by a read started before it.
    if (this.refreshing) await this.refreshing.catch(() => undefined);
    const refresh = (async () => {
      const [rows, school] = await Promise.all([this.awayTable.list('away'), force ? undefined : this.table.get('school', 'current')]);
      let roster = this.roster!;
      if (school && school.etag !== this.storedEtag) {
        this.storedEtag = school.etag;
        // A copy this build cannot validate (stored by a newer version) leaves the roster as it is.
        try {
          roster = new Roster(validateConfig(school.value.raw, `stored configuration (from ${school.value.source})`, this.schemas).school, new Map(), this.trust);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
        }
      }
      this.roster = roster.withAway(new Map(rows.map((r) => [r.rowKey, r.value.away])));
      this.awayReadAt = Date.now();
    })().finally(() => {
      if (this.refreshing === refresh) this.refreshing = undefined;
    });
    this.refreshing = refresh;
    await refresh;
  }
}
