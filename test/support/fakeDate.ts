import sinon from 'sinon';

/**
 * Fakes Date only, so HTTP, Azurite and the bot's own timers keep running while the test sets the
 * school's clock by hand (then drives due jobs with `scheduler.runDue()`).
 */
export function fakeDate(at: string | number | Date): sinon.SinonFakeTimers {
  return sinon.useFakeTimers({ now: new Date(at), toFake: ['Date'] });
}

/** A Date-only clock a test moves by hand, step after step; `restore()` in afterEach. */
export class HandClock {
  private fake?: sinon.SinonFakeTimers;

  at(when: string | number | Date): void {
    this.fake?.restore();
    this.fake = fakeDate(when);
  }

  restore(): void {
    this.fake?.restore();
    this.fake = undefined;
  }
}
