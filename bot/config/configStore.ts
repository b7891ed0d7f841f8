import { createHash } from 'node:crypto';
import type { AuditLog } from '../storage/auditLog';
import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import { EXAMPLE_CONFIG, readConfigFile, validateConfig, type SettingsSchemas, type ValidatedConfig } from './loadSchoolConfig';
import { Roster } from './roster';
import { own } from '../core/ownLookup';

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

const SYSTEM = { id: 'lantern', name: 'Lantern' };

/**
 * The school configuration lives in Tables: seeded from SCHOOL_CONFIG (or the example when
 * nothing is stored yet), so every instance and every restart sees the same roster.
 */
export class ConfigStore {
  private readonly table: DocumentTable<StoredConfig>;
  private readonly awayTable: DocumentTable<AwayFlag>;
  private validated?: ValidatedConfig;
  private roster?: Roster;
  private awayReadAt = 0;

  constructor(tables: TableProvisioner, private readonly audit: AuditLog, private readonly schemas: SettingsSchemas, private readonly awayRefreshMs = 30_000) {
    this.table = new DocumentTable(tables, 'config');
    this.awayTable = new DocumentTable(tables, 'presence');
  }

  /** Loads at start-up; throws ConfigError naming the bad field. Returns where the config came from. */
  async load(file: string | undefined): Promise<string> {
    const stored = await this.table.get('school', 'current');
    let raw: unknown;
    let source: string;
    if (file) {
      raw = await readConfigFile(file);
      source = file;
    } else if (stored) {
      raw = stored.value.raw;
      source = `stored configuration (from ${stored.value.source})`;
    } else {
      raw = await readConfigFile(EXAMPLE_CONFIG);
      source = EXAMPLE_CONFIG;
    }
    this.validated = validateConfig(raw, source, this.schemas);
    const hash = createHash('sha256').update(JSON.stringify(raw)).digest('hex');
    if (stored?.value.hash !== hash) {
      await this.table.upsert('school', 'current', { raw, source, hash, storedAt: new Date().toISOString() });
      await this.audit.append({ actor: SYSTEM, action: 'config.stored', entityType: 'config', entityId: 'school', reason: `loaded from ${source}`, detail: { hash } });
    }
    this.roster = new Roster(this.validated.school);
    await this.refreshAway(true);
    return source;
  }

  settings<T>(key: string): T {
    if (!this.validated) throw new Error('configuration is not loaded');
    return own(this.validated.settings, key) as T;
  }

  /** The roster with current away flags; cheap to call on every turn. */
  async current(): Promise<Roster> {
    await this.refreshAway(false);
    if (!this.roster) throw new Error('configuration is not loaded');
    return this.roster;
  }

  async setAway(personId: string, away: boolean, by: { id: string; name: string }, reason?: string): Promise<void> {
    const previous = await this.awayTable.get('away', personId);
    await this.awayTable.upsert('away', personId, { away, by: by.id, at: new Date().toISOString() });
    await this.audit.append({ actor: by, action: 'person.away-changed', entityType: 'person', entityId: personId, reason, changes: { away: { from: previous?.value.away ?? false, to: away } } });
    await this.refreshAway(true);
  }

  private async refreshAway(force: boolean): Promise<void> {
    if (!this.roster) return;
    if (!force && Date.now() - this.awayReadAt < this.awayRefreshMs) return;
    const rows = await this.awayTable.list('away');
    this.roster = this.roster.withAway(new Map(rows.map((r) => [r.rowKey, r.value.away])));
    this.awayReadAt = Date.now();
  }
}
