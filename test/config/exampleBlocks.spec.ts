import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { capabilityModules, settingsBlocks } from '../../bot/capabilities';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';

describe('the capability blocks in school.example.yaml', () => {
  const schemas = settingsBlocks();
  const text = readFileSync(EXAMPLE_CONFIG, 'utf8');
  const asGiven = YAML.parse(text) as Record<string, unknown>;
  // Uncomment the optional blocks the example leaves commented (incidents:, filtering:).
  const uncommented = YAML.parse(
    text
      .split('\n')
      .map((line) => line.replace(/^# ?(?=[a-z]+:\s*$|  )/, ''))
      .join('\n'),
  ) as Record<string, unknown>;
  const withoutBlocks = () => {
    const raw = structuredClone(asGiven);
    for (const key of Object.keys(schemas)) delete raw[key];
    return raw;
  };

  it('documents every capability that has settings', () => {
    for (const m of capabilityModules.filter((c) => c.settingsKey)) assert.ok(uncommented[m.settingsKey!], `no ${m.settingsKey}: block, given or commented`);
  });

  it('shows, in each commented block, exactly the values the example school gets without it', () => {
    const commented = Object.keys(schemas).filter((k) => !(k in asGiven));
    assert.deepEqual(commented.sort(), ['acknowledgements', 'filtering', 'incidents', 'report', 'retention']);
    const shown = validateConfig(uncommented, 'uncommented example', schemas).settings;
    const actual = validateConfig(asGiven, 'example', schemas).settings;
    for (const key of commented) {
      for (const field of Object.keys(uncommented[key] as object)) {
        assert.deepEqual((shown[key] as any)[field], (actual[key] as any)[field], `${key}.${field} in the example differs from what Lantern uses`);
      }
    }
  });

  it('injects nothing when the blocks are left out: tutoring is not set up, other defaults follow the sections', () => {
    const raw = withoutBlocks();
    (raw.sections as Array<{ name: string }>).forEach((s, i) => (s.name = ['Infants', 'Juniors', 'Seniors'][i]));
    const { settings, notSetUp } = validateConfig(raw, 'bare', schemas);
    assert.deepEqual(notSetUp, ['tutoring']);
    assert.equal(settings.tutoring, undefined);
    // Online-safety lead dkhan is the DSL of the third section.
    assert.equal((settings.filtering as any).dslSection, 'Seniors');
    assert.deepEqual((settings.calls as any).tellParentsInSections, ['Infants', 'Juniors', 'Seniors']);
    assert.ok((settings.calls as any).rules.every((r: { sections: string[] }) => r.sections.length === 0), 'no default rule names a section');
    const given = (asGiven.calls as any).rules.filter((r: { sections?: string[] }) => !r.sections).map((r: { purpose: string }) => r.purpose);
    assert.deepEqual((settings.calls as any).rules.map((r: { purpose: string }) => r.purpose), given, 'the default rules are the example table without its section-limited rule');
  });

  it('takes the first section for filtering when no online-safety lead is a DSL', () => {
    const raw = withoutBlocks();
    delete (raw.roles as any).onlineSafetyLead;
    assert.equal((validateConfig(raw, 'bare', schemas).settings.filtering as any).dslSection, 'Pre-Prep');
  });

  it('rejects a tutoring block without tutor groups, naming the field', () => {
    const raw = { ...withoutBlocks(), tutoring: { sessionDays: ['Monday'] } };
    assert.throws(() => validateConfig(raw, 'school.yaml', schemas), /tutoring\.tutorGroups: Required/);
  });
});
