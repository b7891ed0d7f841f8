import assert from 'node:assert/strict';
import type { TurnContext } from 'botbuilder';
import { MemberEmails } from '../../bot/teams/memberEmails';

/** Only what MemberEmails reads of a turn. */
const turnOf = (aadObjectId: string) => ({ activity: { serviceUrl: 'https://smba.example/', from: { id: `29:${aadObjectId}`, aadObjectId } } }) as unknown as TurnContext;

describe('MemberEmails: what Teams said of a sender, believed for a while', () => {
  let clock: number;
  let asked: string[];
  let answer: (id: string) => Promise<string | undefined>;
  const emails = () => new MemberEmails((context) => (asked.push(context.activity.from.aadObjectId!), answer(context.activity.from.aadObjectId!)), 120_000, () => clock);

  beforeEach(() => {
    clock = 0;
    asked = [];
  });

  it('asks once for concurrent and later turns of one person, the refusal too, and again after the lifetime', async () => {
    answer = async () => undefined;
    const cache = emails();
    assert.deepEqual(await Promise.all([cache.of(turnOf('a')), cache.of(turnOf('a'))]), [undefined, undefined]);
    clock = 119_000;
    await cache.of(turnOf('a'));
    assert.deepEqual(asked, ['a']);
    clock = 121_000;
    await cache.of(turnOf('a'));
    assert.deepEqual(asked, ['a', 'a']);
  });

  it('keeps each person apart', async () => {
    answer = async (id) => `${id}@school.example`;
    const cache = emails();
    assert.equal(await cache.of(turnOf('a')), 'a@school.example');
    assert.equal(await cache.of(turnOf('b')), 'b@school.example');
    assert.deepEqual(asked, ['a', 'b']);
  });

  it('does not believe a Teams that could not answer (throttled, down): the next turn asks again', async () => {
    answer = async () => {
      throw Object.assign(new Error('Too Many Requests'), { statusCode: 429 });
    };
    const cache = emails();
    assert.equal(await cache.of(turnOf('a')), undefined, 'this turn goes on as ordinary staff');
    answer = async () => 'dsl@school.example';
    assert.equal(await cache.of(turnOf('a')), 'dsl@school.example');
    assert.deepEqual(asked, ['a', 'a']);
  });
});
