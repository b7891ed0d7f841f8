import assert from 'node:assert/strict';
import YAML from 'yaml';
import { settingsBlocks } from '../../bot/capabilities';
import { validateConfig } from '../../bot/config/loadSchoolConfig';
import { exampleText } from '../support/schoolFiles';

const withBlock = (acknowledgements: unknown) => ({ ...YAML.parse(exampleText()), acknowledgements });
const problems = (acknowledgements: unknown): string => {
  try {
    validateConfig(withBlock(acknowledgements), 'school.yaml', settingsBlocks());
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('the acknowledgements block of the school configuration', () => {
  it('takes defaults when left out', () => {
    const { settings } = validateConfig(YAML.parse(exampleText()), 'school.yaml', settingsBlocks());
    assert.deepEqual(settings.acknowledgements, { reminderEveryDays: 3, defaultDueDays: 14, cardsPerSecond: 20, versionCheckMinutes: 60, staff: [] });
  });

  it('names the bad field', () => {
    assert.match(problems({ staff: [{ person: 'cshaw', lineManager: 'nobody' }] }), /acknowledgements\.staff\[0\]\.lineManager: "nobody" is not listed in people/);
    assert.match(problems({ staff: [{ person: 'cshaw', section: 'Sixth Form' }] }), /acknowledgements\.staff\[0\]\.section: "Sixth Form" is not one of the school's sections/);
    assert.match(problems({ staff: [{ person: 'cshaw' }, { person: 'cshaw' }] }), /acknowledgements\.staff\[1\]\.person: "cshaw" is listed twice/);
    assert.match(problems({ cardsPerSecond: 500 }), /acknowledgements\.cardsPerSecond/);
    assert.match(problems({ reminderEvery: 3 }), /acknowledgements.*reminderEvery/);
  });
});
