import assert from 'node:assert/strict';
import { alternateDecider, deciderName } from '../../bot/calls/permissionDecider';
import { smallRoster } from '../rules/school';

describe('who gives a 1-1 call permission its planner holds', () => {
  const school = (roles: Record<string, string> = {}) =>
    smallRoster({ people: ['head', 'dhp', 'dha', 'dsl', 'dep', 'teacher'], sections: [{ name: 'Senior', dsl: 'dsl', deputies: ['dep'], years: ['Year 9'] }], roles });

  it('asks no one else when the planner does not hold the role', () => {
    assert.equal(alternateDecider('deputy-head-pastoral', 'teacher', 'Senior', school()), undefined);
    assert.equal(alternateDecider('deputy-head-pastoral', undefined, 'Senior', school()), undefined);
  });

  it('asks the Head when the planner holds the role', () => {
    assert.deepEqual(alternateDecider('deputy-head-pastoral', 'dhp', 'Senior', school()), { personId: 'head', name: 'Person head', title: 'the Head' });
    assert.deepEqual(alternateDecider('deputy-head-academic', 'dha', 'Senior', school()), { personId: 'head', name: 'Person head', title: 'the Head' });
  });

  it("asks the section's DSL when the Head is the planner, and no one when no one else is left", () => {
    assert.deepEqual(alternateDecider('deputy-head-pastoral', 'head', 'Senior', school({ deputyHeadPastoral: 'head' })), { personId: 'dsl', name: 'Person dsl', title: "the Senior section's DSL" });
    assert.deepEqual(alternateDecider('deputy-head-pastoral', 'dsl', 'Senior', school({ head: 'dsl', deputyHeadPastoral: 'dsl' })), { personId: 'dep', name: 'Person dep', title: "the Senior section's DSL" });
    const alone = smallRoster({ people: ['solo'], sections: [{ name: 'Senior', dsl: 'solo', years: ['Year 9'] }], roles: { head: 'solo', deputyHeadPastoral: 'solo' } });
    assert.equal(alternateDecider('deputy-head-pastoral', 'solo', 'Senior', alone), 'none');
  });

  it('names whoever decides on every card', () => {
    assert.equal(deciderName({ role: 'deputy-head-pastoral' }), 'the deputy head (pastoral)');
    assert.equal(deciderName({ role: 'deputy-head-pastoral', alternate: { personId: 'head', name: 'Helen Brook', title: 'the Head' } }), "Helen Brook, the Head, as the call's planner holds this permission");
    assert.match(deciderName({ role: 'deputy-head-pastoral', alternate: 'none' }), /no one else/);
  });
});
