import { randomBytes } from 'node:crypto';
import { DocumentTable } from '../storage/documentTable';
import { timeKey } from '../storage/keys';
import type { TableProvisioner } from '../storage/tableService';
import { isCalendarDate } from './dates';
import type { PersonRef } from './filterRequest';
import { own } from '../core/ownLookup';

/** A recorded test of the filter, for the governors' annual filtering and monitoring review. */
export interface FilterCheck {
  date: string;
  by: PersonRef;
  tested: string;
  devices: string;
  userGroups: string;
  result: CheckResult;
  followUp: string;
  recordedAt: string;
}

export const CHECK_RESULTS = ['passed', 'partly', 'failed'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];
export const RESULT_TEXT: Record<CheckResult, string> = { passed: 'Passed: blocked as expected', partly: 'Partly: some gaps found', failed: 'Failed: content got through' };

export const CHECK_LIMITS = { tested: 500, devices: 200, userGroups: 200, followUp: 500 } as const;

export interface CheckValues {
  date: string;
  tested: string;
  devices: string;
  userGroups: string;
  result: string;
  followUp: string;
}

export type CheckErrors = Partial<Record<keyof CheckValues, string>>;

export function readCheckValues(data: Record<string, unknown>): CheckValues {
  const s = (k: string) => {
    const v = own(data, k);
    return typeof v === 'string' ? v.slice(0, 4000) : '';
  };
  return { date: s('date'), tested: s('tested'), devices: s('devices'), userGroups: s('userGroups'), result: s('result'), followUp: s('followUp') };
}

export function validateCheck(values: CheckValues, today: string): { ok: true; check: Omit<FilterCheck, 'by' | 'recordedAt'> } | { ok: false; errors: CheckErrors } {
  const errors: CheckErrors = {};
  const date = values.date.trim();
  if (!isCalendarDate(date)) errors.date = 'Enter the date of the check as YYYY-MM-DD.';
  else if (date > today) errors.date = 'The check date cannot be in the future.';
  for (const field of ['tested', 'devices', 'userGroups'] as const) {
    const text = values[field].trim();
    const limit = CHECK_LIMITS[field];
    if (!text) errors[field] = field === 'tested' ? 'Say what was tested, for example "searched for gambling and VPN sites".' : field === 'devices' ? 'Say which devices, for example "library PCs, staff laptops".' : 'Say which user groups, for example "Year 9 pupils".';
    else if (text.length > limit) errors[field] = `This is ${text.length} characters; the limit is ${limit}.`;
  }
  if (!(CHECK_RESULTS as readonly string[]).includes(values.result)) errors.result = 'Choose the result.';
  const followUp = values.followUp.trim();
  if (followUp.length > CHECK_LIMITS.followUp) errors.followUp = `This is ${followUp.length} characters; the limit is ${CHECK_LIMITS.followUp}.`;
  else if (values.result && values.result !== 'passed' && !followUp) errors.followUp = 'A check that found gaps needs the follow-up actions.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, check: { date, tested: values.tested.trim(), devices: values.devices.trim(), userGroups: values.userGroups.trim(), result: values.result as CheckResult, followUp } };
}

export class CheckStore {
  private readonly table: DocumentTable<FilterCheck>;

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'filterchecks');
  }

  async add(check: FilterCheck, at: Date): Promise<string> {
    const id = `${timeKey(at)}-${randomBytes(3).toString('hex')}`;
    await this.table.create('check', id, check);
    return id;
  }

  /** Oldest first, as a log reads. */
  async all(): Promise<FilterCheck[]> {
    return (await this.table.list('check')).map((r) => r.value);
  }
}
