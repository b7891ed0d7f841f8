import type { Harness } from '../support/harness';
import type { Member } from '../support/fakeConnector';

/**
 * One kind of turn the benchmark drives over HTTP. `turn` is called many times, concurrently
 * for different conversations; it must send exactly one activity (message or card press) per
 * call so latency figures compare like with like, and throw if the bot's answer is wrong.
 */
export interface BenchScenario {
  name: string;
  /** Once per run, before timing: e.g. register channels, open a form for each user. */
  setup?(h: Harness, users: Member[]): Promise<void>;
  /** One timed turn for `user` (the i-th call overall). */
  turn(h: Harness, user: Member, i: number): Promise<void>;
}
