import assert from 'node:assert/strict';
import { EXAMPLE_CONFIG, readConfigFile, validateConfig } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';
import { PeopleDirectory } from '../../bot/routing/peopleDirectory';
import { syncTeamRoster, type TeamMember } from '../../bot/routing/rosterSync';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

const TEAM = { teamId: '19:team-staff@thread.tacv2', name: 'Staff', serviceUrl: 'https://smba.example/uk/', tenantId: 'tenant-1' };

describe('team roster sync on Azurite', () => {
  let directory: PeopleDirectory;
  let roster: Roster;
  beforeEach(async () => {
    const azurite = await sharedAzurite();
    directory = new PeopleDirectory(new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', uniquePrefix())));
    const raw = (await readConfigFile(EXAMPLE_CONFIG)) as { people: Array<{ id: string; aadObjectId?: string }> };
    // The Senior DSL is configured by email only, as many schools will do.
    delete raw.people.find((p) => p.id === 'dkhan')!.aadObjectId;
    roster = new Roster(validateConfig(raw, 'test', {}).school);
  });

  it('matches by Entra object id, then by email or UPN in any case, and keeps only roster people', async () => {
    const members: TeamMember[] = [
      { teamsUserId: '29:dkhan', aadObjectId: 'AAAA0000-0000-4000-8000-000000000099', name: 'D Khan', userPrincipalName: 'D.Khan@HollinsPark.example.org' },
      { teamsUserId: '29:lmorris', aadObjectId: '00000000-0000-4000-8000-000000000004', name: 'Laura M' },
      { teamsUserId: '29:stranger', aadObjectId: '99999999-0000-4000-8000-000000000000', name: 'Not Staff', email: 'x@elsewhere.example' },
    ];
    const result = await syncTeamRoster(TEAM, members, roster, directory);
    assert.deepEqual({ members: result.members, rosterPeople: result.rosterPeople }, { members: 3, rosterPeople: 2 });
    const dsl = await directory.byEmail('d.khan@hollinspark.example.org');
    assert.equal(dsl?.aadObjectId, 'aaaa0000-0000-4000-8000-000000000099');
    assert.equal(dsl?.teamsUserId, '29:dkhan');
    assert.deepEqual(dsl?.teamIds, [TEAM.teamId]);
    assert.equal((await directory.get('00000000-0000-4000-8000-000000000004'))?.name, 'Laura Morris');
    assert.equal(await directory.get('99999999-0000-4000-8000-000000000000'), undefined);
  });

  it('marks people the team no longer lists as gone, but not when Lantern itself was removed', async () => {
    const laura = { teamsUserId: '29:lmorris', aadObjectId: '00000000-0000-4000-8000-000000000004' };
    const tom = { teamsUserId: '29:tjones', aadObjectId: '00000000-0000-4000-8000-000000000006' };
    await syncTeamRoster(TEAM, [laura, tom], roster, directory);
    const after = await syncTeamRoster(TEAM, [laura, tom], roster, directory, { removed: ['29:tjones'] });
    assert.deepEqual(after.left, ['Tom Jones']);
    assert.ok((await directory.get(tom.aadObjectId))?.goneAt);
    await syncTeamRoster(TEAM, [], roster, directory, { uninstalled: true });
    const lauraNow = await directory.get(laura.aadObjectId);
    assert.deepEqual(lauraNow?.teamIds, []);
    assert.equal(lauraNow?.goneAt, undefined);
    assert.ok((await directory.team(TEAM.teamId))?.removedAt);
  });
});
