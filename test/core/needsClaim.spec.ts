import assert from 'node:assert/strict';
import type { Capability } from '../../bot/chat/capability';
import { Dispatcher } from '../../bot/chat/dispatcher';
import { Roster } from '../../bot/config/roster';

describe('Dispatcher.needsClaim: which messages are claimed against Teams redelivery before they run', () => {
  const commands: Capability = {
    name: 'commands',
    commands: [
      { name: 'help', pattern: /^help$/i, run: async () => undefined, repeatable: true },
      { name: 'report', pattern: /^report (an )?incident$/i, run: async () => undefined },
      { name: 'hold', pattern: /^hold (\S+) (.+)$/i, run: async () => undefined, usage: { prefix: /^hold \S+$/i, text: 'hold REF reason' } },
    ],
  };
  const policy = (runsOnce: boolean): Capability => ({ name: 'policy', fallback: async () => undefined, fallbackRunsOnce: runsOnce });
  const dispatcher = (...caps: Capability[]) => new Dispatcher(caps, async () => ({}) as Roster);

  it('claims every command that writes, as the dispatcher matches it (case, spacing, trailing punctuation)', () => {
    const d = dispatcher(commands, policy(true));
    for (const text of ['report an incident', 'Report   incident.', 'hold HP-1 the police asked']) assert.equal(d.needsClaim(text), true, text);
  });

  it('leaves a repeatable command unclaimed (it only replies), and goes by the first command that matches, as the dispatcher does', () => {
    assert.equal(dispatcher(commands, policy(false)).needsClaim('  Help! '), false);
    const shadowed: Capability = { name: 'shadow', commands: [{ name: 'help twice', pattern: /^help$/i, run: async () => undefined }] };
    assert.equal(dispatcher(shadowed, commands).needsClaim('help'), true, 'the first match writes, so it is claimed');
  });

  it('leaves unclaimed what no command matches: a policy question (its row tells a redelivery), a usage line, a suggestion, nothing at all', () => {
    const d = dispatcher(commands, policy(true));
    for (const text of ['can I use my phone in class?', 'hold HP-1', 'hlep', '', 'x'.repeat(3000)]) assert.equal(d.needsClaim(text), false, text.slice(0, 40));
  });

  it('claims everything when the fallback does not tell a redelivery by itself, or there is none', () => {
    for (const d of [dispatcher(commands, policy(false)), dispatcher(commands)]) {
      assert.equal(d.needsClaim('can I use my phone in class?'), true);
      assert.equal(d.needsClaim('hold HP-1'), true);
    }
  });
});
