import type { Command, Services } from '../chat/capability';
import { DESTINATION_KINDS, destinationKey, type DestinationKind } from '../routing/destinations';
import { channelAddress } from '../chat/address';

const KINDS = Object.keys(DESTINATION_KINDS) as DestinationKind[];

/**
 * `register <destination> [section]` in a team channel: records the channel as where one kind of
 * card goes. Admins only; a refusal is audited too, since it may be someone probing.
 */
export function registerCommand(services: Services): Command {
  return {
    name: 'register',
    pattern: /^register\b\s*(\S+)?\s*(.*)$/i,
    async run(turn, match, roster) {
      const actor = { id: turn.actor.personId ?? turn.actor.aadObjectId ?? turn.actor.teamsUserId, name: turn.actor.name };
      if (!turn.actor.roles.includes('admin')) {
        await services.audit.append({ actor, action: 'destination.register-refused', entityType: 'destination', entityId: (match[1] ?? '').toLowerCase() || '(none)', reason: 'not an admin' });
        await turn.send('Only a Lantern admin can register a channel. Nothing was changed. Ask your school\'s Lantern admin to do it.');
        return;
      }
      if (turn.place.kind !== 'channel') {
        await turn.send(`Register works in a team channel: open the channel where these cards should go and type \`@Lantern register dsl ${roster.sections()[0].name}\` there.`);
        return;
      }
      const kind = (match[1] ?? '').toLowerCase() as DestinationKind;
      const list = KINDS.map((k) => `**${k}**${k === 'dsl' ? ' <section>' : ''} (${DESTINATION_KINDS[k]})`).join('; ');
      if (!KINDS.includes(kind)) {
        await turn.send(`Tell me what this channel is for: ${list}. For example \`register dsl ${roster.sections()[0].name}\` or \`register it\`.`);
        return;
      }
      const sectionText = (match[2] ?? '').trim();
      let sectionName: string | undefined;
      if (kind === 'dsl') {
        const section = roster.section(sectionText);
        if (!section) {
          const names = roster.sections().map((s) => s.name).join(', ');
          await turn.send(sectionText ? `"${sectionText}" is not one of the school's sections (${names}). Nothing was changed.` : `Which section's safeguarding cases should come here? Type \`register dsl <section>\` with one of: ${names}.`);
          return;
        }
        sectionName = section.name;
      } else if (sectionText) {
        await turn.send(`\`register ${kind}\` does not take a section. Nothing was changed.`);
        return;
      }
      const label = [turn.place.teamName, turn.place.channelName].filter(Boolean).join(' › ') || 'this channel';
      await services.destinations.register(
        {
          key: destinationKey(kind, sectionName),
          kind,
          section: sectionName,
          address: channelAddress(turn.place.address),
          label,
          registeredBy: actor,
          registeredAt: services.now().toISOString(),
        },
        `registered in ${label}`,
      );
      await turn.send(`Done: ${DESTINATION_KINDS[kind]}${sectionName ? ` (${sectionName})` : ''} will now be posted in ${label}.`);
    },
  };
}
