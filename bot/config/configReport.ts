import { isOwnKey, own } from '../core/ownLookup';
import { schoolConfigSchema } from './schoolConfigSchema';
import { blockOf, isPlainObject, type SettingsSchemas } from './loadSchoolConfig';
import type { ConfigResolution } from './configStore';

/** Where a value in effect came from. */
export type ValueSource = 'file' | 'stored' | 'default' | 'default for this school';

export interface ReportValue {
  path: string;
  value: string;
  source: ValueSource;
}

export interface ConfigReport {
  /** A file path or "stored copy", and when it was loaded or stored. */
  source: { source: string; at: string };
  /** How the file relates to the stored copy. */
  storedState: string;
  values: ReportValue[];
  /** Blocks left out, with how to set each up. */
  notSetUp: string[];
  /** Top-level keys Lantern does not know (a typo, or a block of a capability not in this build). */
  ignored: string[];
}

const has = (raw: unknown, path: string[]): boolean => {
  let at = raw;
  for (const part of path) {
    if (!isPlainObject(at) || !isOwnKey(at, part)) return false;
    at = own(at, part);
  }
  return true;
};

function show(value: unknown): string {
  if (Array.isArray(value)) {
    if (!value.length) return '(none)';
    return value.map((v) => (isPlainObject(v) ? Object.entries(v).map(([k, x]) => `${k} ${show(x)}`).join(', ') : show(v))).join(value.some(isPlainObject) ? '; ' : ', ');
  }
  if (isPlainObject(value)) return Object.keys(value).length ? Object.entries(value).map(([k, v]) => `${k} ${show(v)}`).join(', ') : '(none)';
  return String(value);
}

/**
 * The configuration in effect, value by value with its source, for `config check` in chat and
 * `npm run config:check`. People are counted, not listed: the roles show who matters.
 */
export function configReport(r: ConfigResolution, schemas: SettingsSchemas, source: { source: string; at: string }): ConfigReport {
  const given: ValueSource = r.file ? 'file' : 'stored';
  const values: ReportValue[] = [];
  const walk = (value: unknown, path: string[], sourceOf: (path: string[]) => ValueSource) => {
    if (isPlainObject(value) && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], sourceOf);
      return;
    }
    // A list of records (call rules, tutor groups) reads best one record a line.
    if (Array.isArray(value) && value.length && value.every(isPlainObject)) {
      value.forEach((item, i) => values.push({ path: `${path.join('.')}[${i}]`, value: show(item), source: sourceOf(path) }));
      return;
    }
    values.push({ path: path.join('.'), value: show(value), source: sourceOf(path) });
  };
  const school = r.validated.school as Record<string, unknown>;
  const known = Object.keys(schoolConfigSchema.shape);
  for (const key of known) {
    if (own(school, key) === undefined) continue;
    if (key === 'people') values.push({ path: 'people', value: `${(school.people as unknown[]).length} listed`, source: given });
    else if (key === 'sections') {
      for (const s of r.validated.school.sections) values.push({ path: `sections.${s.name}`, value: `DSL ${s.dsl}; deputies ${show(s.deputies)}; years ${show(s.years)}`, source: given });
    } else walk(own(school, key), [key], (p) => (has(r.raw, p) ? given : 'default'));
  }
  for (const [key, spec] of Object.entries(schemas)) {
    const settings = own(r.validated.settings, key);
    if (settings === undefined) continue;
    const forSchool = Object.keys(blockOf(spec).schoolDefaults?.(r.validated.school) ?? {});
    walk(settings, [key], (p) => (has(r.raw, p) ? given : forSchool.includes(p[1]) ? 'default for this school' : 'default'));
  }
  const storedState = !r.file
    ? `no file: the stored copy (from ${r.stored?.source}) is in use`
    : !r.stored
      ? 'nothing is stored yet: the bot stores this file at its next start'
      : r.changed
        ? `differs from the stored copy (${r.changes.join('; ')})`
        : 'same as the stored copy';
  const notSetUp = r.validated.notSetUp.map((key) => `${key}: not set up (add a ${key} block to the school configuration file to set it up; see bot/config/school.example.yaml)`);
  return { source, storedState, values, notSetUp, ignored: r.unknown };
}

/** The report as plain lines, the same in chat and in a terminal. */
export function reportLines(report: ConfigReport): string[] {
  return [
    `Configuration in use: ${report.source.source} (loaded ${report.source.at}); ${report.storedState}.`,
    ...report.values.map((v) => `${v.path}: ${v.value} [${v.source}]`),
    ...report.notSetUp,
    ...report.ignored.map((k) => `${k}: not a setting Lantern knows; ignored`),
  ];
}
