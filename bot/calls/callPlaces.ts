import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import { RecordCards, type CardPlace } from '../cards/recordCards';
import { permissionCard, recordedCard, teacherCallCard, teacherHeadline } from './callCards';
import type { CallRecord } from './callRecord';
import type { CallStore } from './callStore';

/** The teacher's own 1:1 chat: their card of the call lives there. */
export const teacherPlace = (record: CallRecord): CardPlace => ({ person: { id: record.teacher.key, aadObjectId: record.teacher.aadObjectId, email: record.teacher.email } });

/**
 * The cards of a 1-1 call: the teacher's (pupil by name, in their own chat) and the permission
 * request (initials only, the reason only 1:1). Each is redrawn from the stored call, so an
 * approved call no longer asks for permission and a held one shows it is logged. Note notices
 * are left as sent: they say only that a note exists.
 */
export function callCardPlaces(services: Services, store: CallStore): RecordCards {
  return new RecordCards(services, 'call', async (id) => {
    const record = (await store.get(id))?.value;
    if (!record) return undefined;
    const hasNote = record.state === 'held' && !!(await store.note(id));
    return (card) => {
      if (card.view === 'teacher') return record.state === 'held' ? recordedCard(record, hasNote) : teacherCallCard(record, teacherHeadline(record));
      if (card.view === 'permission' && record.permission) return permissionCard(record, card.posted.address.conversationType === 'personal');
      return undefined;
    };
    // Calls planned before the posted-cards table kept their permission cards in `requestCards`.
  }, async (id) => (((await store.get(id))?.value as { requestCards?: PostedMessage[] } | undefined)?.requestCards ?? []).map((posted) => ({ posted, view: 'permission' })));
}
