import Mocha from 'mocha';

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

/**
 * mocha's spec output, plus one plain closing line ("N passed, N failed, N skipped") that CI
 * tooling reads regardless of the test runner. A failed hook stops mocha running the tests it
 * guards without reporting them; those tests count as failed here, so the three numbers always
 * add up to the number of tests defined and a hidden test can never look like a pass.
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const passed = new Set<Mocha.Runnable>();
    const failed = new Set<Mocha.Runnable>();
    const pending = new Set<Mocha.Runnable>();
    let hookFailures = 0;
    runner.on(EVENT_TEST_PASS, (test) => passed.add(test));
    runner.on(EVENT_TEST_PENDING, (test) => pending.add(test));
    runner.on(EVENT_TEST_FAIL, (runnable) => {
      if ((runnable as { type?: string }).type === 'hook') hookFailures += 1;
      else failed.add(runnable);
    });
    runner.once(EVENT_RUN_END, () => {
      for (const test of failed) passed.delete(test);
      const defined = runner.total;
      const notRun = Math.max(0, defined - passed.size - failed.size - pending.size);
      const failedAll = failed.size + notRun;
      let note = '';
      if (notRun > 0) note = ` (${notRun} did not run: ${hookFailures === 1 ? 'a hook' : `${hookFailures} hooks`} failed)`;
      else if (hookFailures > 0) note = ` (${hookFailures === 1 ? 'a hook' : `${hookFailures} hooks`} failed)`;
      process.stdout.write(`\ntests: ${passed.size} passed, ${failedAll} failed, ${pending.size} skipped${note}\n`);
      if (notRun > 0 || hookFailures > 0) process.exitCode = 1;
    });
  }
}

export = SummaryReporter;
