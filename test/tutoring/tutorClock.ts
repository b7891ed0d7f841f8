import sinon from 'sinon';

/** Fakes Date only, so HTTP and Azurite timers keep running while the school clock is set by hand. */
export function schoolClock(iso: string): sinon.SinonFakeTimers {
  return sinon.useFakeTimers({ now: Date.parse(iso), toFake: ['Date'] });
}
