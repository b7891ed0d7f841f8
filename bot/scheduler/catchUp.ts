/**
 * After downtime a repeating job is found overdue by several periods. Sending one run per missed
 * period (a burst of stale reminders, a summary weeks late) helps nobody: only the latest period
 * still matters, and the ones before it are dropped, each named so its owner can audit the gap.
 */
export interface CatchUp {
  /** When the run that still matters was due: the job's own due time when it is not behind. */
  run: Date;
  /** Due times of the missed runs before it, oldest first. */
  dropped: Date[];
}

/**
 * `next(d)` is the repeat rule (the occurrence strictly after `d`). The latest occurrence at or
 * before `now` is the one to run; a bound stops a bad rule that never advances from looping.
 */
export function catchUp(due: Date, now: Date, next: (after: Date) => Date): CatchUp {
  const dropped: Date[] = [];
  let run = due;
  for (let i = 0; i < 1000; i++) {
    const following = next(run);
    if (following.getTime() > now.getTime() || following.getTime() <= run.getTime()) break;
    dropped.push(run);
    run = following;
  }
  return { run, dropped };
}
