import type { Member } from './fakeConnector';

/** Teams identities for the people in bot/config/school.example.yaml, plus staff not in it. */
function member(handle: string, n: number, name: string): Member {
  const aadObjectId = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return { id: `29:${handle}`, name, aadObjectId, email: `${name.split(' ')[0][0].toLowerCase()}.${name.split(' ')[1].toLowerCase()}@hollinspark.example.org` };
}

export const people = {
  head: member('hbrook', 1, 'Helen Brook'),
  chair: member('rowen', 2, 'Rachel Owen'),
  seniorDsl: member('dkhan', 3, 'Daniel Khan'),
  seniorDeputy: member('lmorris', 4, 'Laura Morris'),
  prepDsl: member('pgreen', 5, 'Priya Green'),
  prePrepDsl: member('tjones', 6, 'Tom Jones'),
  itManager: member('mcole', 7, 'Mark Cole'),
  technician: member('swu', 8, 'Sarah Wu'),
  technician2: member('jboateng', 9, 'James Boateng'),
  pastoralHead: member('efisher', 10, 'Emma Fisher'),
  academicHead: member('ngrant', 11, 'Nick Grant'),
  dpo: member('adavies', 12, 'Anna Davies'),
  hodMaths: member('cshaw', 13, 'Chris Shaw'),
  prepDeputy: member('kpatel', 14, 'Kiran Patel'),
  /** Ordinary staff: not in the school configuration. */
  teacher: { id: '29:teacher1', name: 'Olivia Teacher', aadObjectId: '11111111-1111-4111-8111-111111111111', email: 'o.teacher@hollinspark.example.org' },
  teacher2: { id: '29:teacher2', name: 'Sam Tutor', aadObjectId: '22222222-2222-4222-8222-222222222222', email: 's.tutor@hollinspark.example.org' },
} satisfies Record<string, Member>;

export type PersonKey = keyof typeof people;
