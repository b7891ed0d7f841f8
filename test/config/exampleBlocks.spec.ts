import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { capabilityModules } from '../../bot/capabilities';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';

describe('the commented capability blocks in school.example.yaml', () => {
  const modules = capabilityModules.filter((m) => m.settingsKey && m.settingsSchema);
  const schemas = Object.fromEntries(modules.map((m) => [m.settingsKey!, m.settingsSchema!]));
  // Uncomment the optional `incidents:`, `filtering:`, `tutoring:` and `calls:` blocks.
  const uncommented = readFileSync(EXAMPLE_CONFIG, 'utf8')
    .split('\n')
    .map((line) => line.replace(/^# ?(?=[a-z]+:\s*$|  )/, ''))
    .join('\n');
  const raw = YAML.parse(uncommented) as Record<string, unknown>;

  it('documents every capability that has settings', () => {
    for (const m of modules) assert.ok(raw[m.settingsKey!], `no commented ${m.settingsKey}: block`);
  });

  it('validates when uncommented, and says exactly what the defaults are', () => {
    const { settings } = validateConfig(raw, 'uncommented example', schemas);
    const defaults = validateConfig(YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')), 'example', schemas).settings;
    for (const m of modules) {
      const shown = settings[m.settingsKey!] as Record<string, unknown>;
      const actual = defaults[m.settingsKey!] as Record<string, unknown>;
      for (const key of Object.keys(raw[m.settingsKey!] as object)) assert.deepEqual(shown[key], actual[key], `${m.settingsKey}.${key} in the example differs from the default`);
    }
  });
});
