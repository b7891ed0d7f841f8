import { randomBytes } from 'node:crypto';
import { DocumentTable } from './documentTable';
import { timeKey } from './keys';
import type { TableProvisioner } from './tableService';

export interface AuditActor {
  id: string;
  name: string;
}

export interface AuditEvent {
  at: string;
  actor: AuditActor;
  /** Verb in the past tense, e.g. "case.claimed", "register.refused". */
  action: string;
  entityType: string;
  entityId: string;
  reason?: string;
  /** What changed, field by field, as the user would describe it. */
  changes?: Record<string, { from?: unknown; to?: unknown }>;
  detail?: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'at'> & { at?: Date };

/**
 * The append-only audit trail. There is deliberately no update or delete here: rows are only
 * ever inserted, each under a fresh key, so history cannot be rewritten through this API.
 */
export class AuditLog {
  private readonly table: DocumentTable<AuditEvent>;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable<AuditEvent>(tables, 'audit');
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const at = event.at ?? this.now();
    const stored: AuditEvent = { ...event, at: at.toISOString() };
    const rk = `${timeKey(at)}-${randomBytes(4).toString('hex')}`;
    await this.table.create(partition(event.entityType, event.entityId), rk, stored, { action: event.action, actor: event.actor.id });
    return stored;
  }

  /** The chronology of one entity, oldest first. */
  async history(entityType: string, entityId: string): Promise<AuditEvent[]> {
    const rows = await this.table.list(partition(entityType, entityId));
    return rows.map((r) => r.value);
  }
}

function partition(entityType: string, entityId: string): string {
  return `${entityType}:${entityId}`;
}
