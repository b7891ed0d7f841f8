import assert from 'node:assert/strict';
import { actionsOf, cardOf, cardText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import type { Member } from '../support/fakeConnector';

/** The help card's groups as a person sees them: each heading with its buttons. */
function groupsOf(card: Record<string, any> | undefined): Array<[string, string[]]> {
  return (card?.body ?? [])
    .filter((b: any) => b.type === 'Container' && b.isVisible !== false)
    .map((c: any) => [c.items[0].text, c.items.slice(1).flatMap((i: any) => i.actions.map((a: any) => a.title))]);
}

describe('the help card: grouped by what staff want to do (e2e)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());
  const help = async (m: Member) => cardOf((await h.say(m, 'help'))[0]);

  it('shows a teacher what any member of staff can do, each button naming its action', async () => {
    const card = await help(people.teacher);
    assert.deepEqual(groupsOf(card), [
      ['Worried about a child or something online', ['Report a concern']],
      ['A question about a school policy', ['Ask a policy question']],
      ['Website filtering', ['Request a filter change']],
      ['Sessions and calls with pupils', ['Log a tutor session', 'See my tutor logs', 'Plan a 1-1 call', 'Log a call']],
    ]);
    const titles = actionsOf(card).map((a) => a.title);
    assert.ok(!titles.includes('Start'), 'no button just says Start');
    assert.doesNotMatch(cardText(card), /For your role|Setting up Lantern|Mark me away|See the filter log/);
  });

  it('adds the role groups only for the people who hold the roles (from the roster, not the card)', async () => {
    const dsl = groupsOf(await help(people.seniorDsl));
    const role = dsl.find(([heading]) => heading === 'For your role');
    assert.ok(role, JSON.stringify(dsl));
    assert.ok(['Mark me away', 'Export a case', 'See the filter log', 'Record a filter check'].every((t) => role[1].includes(t)), role[1].join(', '));
    const admin = groupsOf(await help(people.dpo));
    assert.deepEqual(admin.find(([heading]) => heading === 'Setting up Lantern')?.[1], ['Register a channel', 'Check the configuration', 'Check the setup']);

    // A command from someone else's card is refused on the server.
    const res = await h.click(people.teacher, 'core.run', { command: 'filter log' });
    assert.match(String(res.body?.value), /not available to you/);
  });

  it('is short on a phone: a heading per group with a button per line (never squeezed side by side), the descriptions one tap away', async () => {
    const card = await help(people.dpo);
    const visibleBlocks = (card!.body as any[]).filter((b) => b.isVisible !== false);
    for (const group of visibleBlocks.filter((b) => b.type === 'Container')) for (const row of group.items.slice(1)) assert.equal(row.actions.length, 1, 'one button per line');
    assert.ok(visibleBlocks.length <= 12, `${visibleBlocks.length} visible blocks`);
    const details = (card!.body as any[]).find((b) => b.id === 'help-details');
    assert.equal(details.isVisible, false);
    assert.match(cardText(details), /\*\*Report a concern\*\*: Something worrying online/);
    const toggle = (card!.body as any[]).flatMap((b) => b.actions ?? []).find((a: any) => a.type === 'Action.ToggleVisibility');
    assert.deepEqual(toggle?.targetElements, ['help-details']);
  });
});
