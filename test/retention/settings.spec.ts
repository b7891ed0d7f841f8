import assert from 'node:assert/strict';
import YAML from 'yaml';
import { settingsBlocks } from '../../bot/capabilities';
import { ConfigError } from '../../bot/config/configErrors';
import { validateConfig } from '../../bot/config/loadSchoolConfig';
import { retentionModule } from '../../bot/retention';
import { Harness } from '../support/harness';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';

describe('retention settings (school configuration)', () => {
  const schemas = settingsBlocks();
  const withRetention = (retention: unknown) => ({ ...(YAML.parse(exampleText()) as object), retention });
  const problems = (retention: unknown): string[] => {
    try {
      validateConfig(withRetention(retention), 'school.yaml', schemas);
      return [];
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return err.problems;
    }
  };

  it('takes the documented defaults when the block is left out', () => {
    const { settings } = validateConfig(YAML.parse(exampleText()), 'example', schemas);
    assert.deepEqual(settings.retention, {
      casesYearsAfterClosing: 25,
      filterRequestsYearsAfterClosing: 6,
      filterChecksYears: 6,
      tutorLogsYears: 3,
      callsYears: 6,
      callNotesYears: 6,
      questionsMonths: 12,
      auditYears: 6,
      draftsDays: 30,
      sweepAt: '02:30',
    });
  });

  it('keeps what the school gives and defaults the rest', () => {
    const { settings } = validateConfig(withRetention({ casesYearsAfterClosing: 40, callNotesYears: 2 }), 'school.yaml', schemas);
    assert.equal((settings.retention as { casesYearsAfterClosing: number }).casesYearsAfterClosing, 40);
    assert.equal((settings.retention as { callNotesYears: number }).callNotesYears, 2);
    assert.equal((settings.retention as { tutorLogsYears: number }).tutorLogsYears, 3);
  });

  it('names each bad field', () => {
    assert.deepEqual(problems({ casesYearsAfterClosing: 0 }), ['retention.casesYearsAfterClosing: Number must be greater than or equal to 1']);
    assert.deepEqual(problems({ tutorLogsYears: 'three' }), ['retention.tutorLogsYears: Expected number, received string']);
    assert.deepEqual(problems({ questionsMonths: 1.5 }), ['retention.questionsMonths: Expected integer, received float']);
    assert.deepEqual(problems({ sweepAt: '25:00' }), ['retention.sweepAt: a time as HH:MM, e.g. "02:30"']);
    assert.match(problems({ caseYears: 10 })[0], /^retention: Unrecognized key\(s\) in object: 'caseYears'/);
    assert.deepEqual(problems({ callsYears: 3, callNotesYears: 6 }), ['retention.callNotesYears: cannot be longer than callsYears (3): a note is deleted with its call']);
  });

  it('stops start-up on a bad retention block, naming the field', async () => {
    const file = await writeSchoolFile(`${exampleText()}\nretention:\n  auditYears: -1\n`);
    const h = new Harness({ env: { SCHOOL_CONFIG: file }, modules: [retentionModule] });
    try {
      await assert.rejects(h.start(), (err: unknown) => err instanceof ConfigError && /retention\.auditYears: Number must be greater than or equal to 1/.test(err.message));
    } finally {
      await h.stop();
    }
  });
});
