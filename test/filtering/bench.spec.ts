import { filteringModule } from '../../bot/filtering';
import { scenario } from '../bench/scenarios/filtering';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

describe('filtering bench scenario', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ modules: [filteringModule] });
  });
  after(async () => h.stop());

  it('drives two full request-to-confirmation cycles for two users without a wrong answer', async () => {
    const users = [people.teacher, people.teacher2];
    await scenario.setup?.(h, users);
    for (let i = 0; i < 28; i++) await scenario.turn(h, users[i % 2], i);
  });
});
