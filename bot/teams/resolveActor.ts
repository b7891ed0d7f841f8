import type { TurnContext } from 'botbuilder';
import type { Actor } from '../chat/turn';
import type { Roster } from '../config/roster';
import type { PeopleDirectory } from '../routing/peopleDirectory';
import type { Address } from '../chat/address';

/**
 * Who is acting, decided on the server: the Teams sender's Entra object id (or, for people the
 * school configured by email only, the email Teams reports for them) looked up in the roster.
 * Nothing a card carries is used. `lookUpEmail` asks Teams (see MemberEmails: once per person per
 * two minutes, so someone Teams will not name costs no request on every turn).
 */
export async function resolveActor(context: TurnContext, roster: Roster, directory: PeopleDirectory, address: Address, lookUpEmail: () => Promise<string | undefined>): Promise<Actor> {
  const from = context.activity.from;
  const aadObjectId = from.aadObjectId;
  let person = roster.find({ aadObjectId });
  let email: string | undefined;
  const known = aadObjectId ? await directory.get(aadObjectId) : undefined;
  email = known?.email;
  if (!person && email) person = roster.find({ email });
  if (!person && !email && aadObjectId) {
    email = await lookUpEmail();
    if (email) person = roster.find({ email });
  }
  if (aadObjectId) {
    await directory.remember({
      aadObjectId,
      teamsUserId: from.id,
      name: from.name ?? person?.name ?? 'Unknown',
      email: email ?? person?.email,
      serviceUrl: address.serviceUrl,
      tenantId: address.tenantId,
      personal: address.conversationType === 'personal' ? address : undefined,
      updatedAt: new Date().toISOString(),
    });
  }
  return {
    personId: person?.id,
    aadObjectId,
    teamsUserId: from.id,
    name: person?.name ?? from.name ?? 'Unknown',
    email: email ?? person?.email,
    roles: roster.rolesOf(person?.id),
  };
}
