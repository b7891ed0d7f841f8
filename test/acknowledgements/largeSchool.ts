import YAML from 'yaml';
import { cardOf, cardText } from '../support/cards';
import type { FakeConnector, Member } from '../support/fakeConnector';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';

/** People the example school lists (a campaign to "all staff" reaches them as well as the added staff). */
export const ROSTER_EXAMPLE_PEOPLE = (YAML.parse(exampleText()) as { people: unknown[] }).people.length;

/** `n` generated members of staff, as Teams lists them in the staff team. */
export function staffMembers(n: number): Member[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `staff${String(i + 1).padStart(4, '0')}`;
    return { id: `29:${id}`, name: `Staff Member ${i + 1}`, aadObjectId: `55555555-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`, email: `${id}@hollinspark.example.org` };
  });
}

/** The example school with `staff` added to its people and the given acknowledgements block. */
export async function schoolWithStaff(staff: Member[], acknowledgements: Record<string, unknown>): Promise<string> {
  const raw = YAML.parse(exampleText());
  raw.people.push(...staff.map((m) => ({ id: m.id.slice(3), name: m.name, email: m.email, aadObjectId: m.aadObjectId })));
  raw.acknowledgements = acknowledgements;
  return writeSchoolFile(YAML.stringify(raw));
}

/** Acknowledgement cards per conversation, counted as they arrive at the fake connector. */
export function cardCounter(connector: FakeConnector): { count(): number; perConversation: Map<string, number> } {
  const perConversation = new Map<string, number>();
  let seen = 0;
  return {
    perConversation,
    count() {
      for (; seen < connector.sent.length; seen++) {
        const s = connector.sent[seen];
        if (/^Please read and acknowledge/.test(cardText(cardOf(s)))) perConversation.set(s.conversationId, (perConversation.get(s.conversationId) ?? 0) + 1);
      }
      return [...perConversation.values()].reduce((a, b) => a + b, 0);
    },
  };
}
