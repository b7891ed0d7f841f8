import type { Address } from '../chat/address';
import type { AuditLog, AuditActor } from '../storage/auditLog';
import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';

/** The channel kinds an admin can register; `dsl` needs a section. */
export const DESTINATION_KINDS = {
  dsl: 'safeguarding cases for one section',
  it: 'web-filter change requests for IT',
  pastoral: 'tutor records and call permissions for the deputy head (pastoral)',
  'online-safety': 'policy questions Lantern could not answer',
  dpo: 'data breaches for the data-protection lead',
} as const;

export type DestinationKind = keyof typeof DESTINATION_KINDS;

export interface Destination {
  key: string;
  kind: DestinationKind;
  section?: string;
  address: Address;
  label: string;
  registeredBy: AuditActor;
  registeredAt: string;
}

export function destinationKey(kind: DestinationKind, section?: string): string {
  return section ? `${kind}:${section.toLowerCase()}` : kind;
}

/** Where each kind of card goes: channel conversation references recorded by `register`. */
export class Destinations {
  private readonly table: DocumentTable<Destination>;

  constructor(tables: TableProvisioner, private readonly audit: AuditLog) {
    this.table = new DocumentTable(tables, 'destinations');
  }

  async get(kind: DestinationKind, section?: string): Promise<Destination | undefined> {
    return (await this.table.get('dest', destinationKey(kind, section)))?.value;
  }

  async all(): Promise<Destination[]> {
    return (await this.table.list('dest')).map((r) => r.value);
  }

  async register(dest: Destination, reason: string): Promise<void> {
    const previous = await this.table.get('dest', dest.key);
    await this.table.upsert('dest', dest.key, dest);
    await this.audit.append({
      actor: dest.registeredBy,
      action: 'destination.registered',
      entityType: 'destination',
      entityId: dest.key,
      reason,
      changes: { channel: { from: previous?.value.label, to: dest.label } },
    });
  }
}
