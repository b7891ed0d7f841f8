import type { SentActivity } from '../support/fakeConnector';

/** A fact or table row of the card: "Incidents reported" → "6". */
export function figure(card: unknown, label: string): string | undefined {
  let found: string | undefined;
  const walk = (n: unknown) => {
    if (found !== undefined || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, any>;
    if (o.type === 'FactSet') for (const f of o.facts) if (f.title === label && found === undefined) found = f.value;
    Object.values(o).filter((v) => typeof v === 'object').forEach(walk);
  };
  walk((card as any).body.filter((b: any) => !b.items?.some((i: any) => String(i.type).startsWith('Chart.'))));
  return found;
}

/** What the bot said, without the typing indicator a slow turn starts with. */
export const said = (sent: SentActivity[]) => sent.filter((s) => s.activity.type === 'message');
