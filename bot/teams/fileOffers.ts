import { MessageFactory, type Activity, type Attachment } from 'botbuilder';
import type { FileAttachment, Outbound } from '../chat/turn';
import type { Scheduler } from '../scheduler/scheduler';
import { ConflictError } from '../storage/errors';
import { MAX_FILE_BYTES, PendingFiles, type PendingFile } from './pendingFiles';
import { toActivity } from './teamsMessenger';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

export const NOT_IN_PERSONAL_CHAT = 'Files are only sent in a 1:1 chat with me, so nothing was attached here. Message me directly and ask again.';
export const ALREADY_SENT = 'That file was already sent.';
export const DECLINED = 'OK, not sent.';
export const BEING_SENT = 'That file is being sent just now.';
export const UPLOAD_FAILED = 'Teams did not accept the file; try the export again.';
export const NOT_YOURS = 'That file was offered to someone else, so nothing was sent.';
export const GONE = 'I no longer have that file: run the export again.';
export const NOT_UNDERSTOOD = 'Teams sent an answer to a file offer that I did not understand, so nothing was sent.';

export function tooLarge(name: string, bytes: number): string {
  return (
    `${name} is ${Math.ceil(bytes / 1024)} KB, and Lantern sends files of up to ${MAX_FILE_BYTES / 1024} KB in Teams, so it was not sent. ` +
    'Ask whoever runs Lantern to use the npm export script instead (`npm run export:filter-log` or `npm run export:tutor-log`; see the README).'
  );
}

/** Long enough for a 300 KB PUT, short enough that the person hears back while Teams still waits. */
const UPLOAD_TIMEOUT_MS = 15_000;
/** An upload claimed longer ago than this was cut short (a restart), so it may be tried again. */
const CLAIM_MS = 60_000;
/** Exports hold pupil details: a file nobody accepts is not kept beyond this. */
const KEEP_MS = 7 * 24 * 60 * 60_000;

export const FILE_EXPIRY_JOB = 'teams.file-expiry';

export interface FileOfferOptions {
  /** Local mode (no BOT_ID): tests stand in for OneDrive with an http://127.0.0.1 server. */
  localUploads: boolean;
  scheduler: Pick<Scheduler, 'schedule'>;
  now?: () => Date;
  log?: (message: string) => void;
}

/** Who a message goes to, for deciding whether its files can be offered there. */
export interface Recipient {
  personal: boolean;
  /** Entra object id of the person in the 1:1 chat, when known. */
  owner?: string;
}

/**
 * Files leave Lantern the way Teams allows a bot to send them: a consent card per file; on Allow,
 * Teams hands over a OneDrive upload URL, the bytes go there and a file card follows. Capabilities
 * keep putting plain `files` in their Outbound and never see any of this.
 */
export class FileOffers {
  private readonly now: () => Date;
  private readonly log: (message: string) => void;

  constructor(private readonly store: PendingFiles, private readonly options: FileOfferOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
  }

  /** The activities that carry `message`: its text and card first, then one per file. */
  async activities(message: string | Outbound, to: Recipient): Promise<Array<Partial<Activity>>> {
    const { files = [], ...rest } = typeof message === 'string' ? ({ text: message } as Outbound) : message;
    const out: Array<Partial<Activity>> = [];
    if (rest.text || rest.card || !files.length) out.push(toActivity(rest));
    if (!files.length) return out;
    if (!to.personal || !to.owner) return [...out, toActivity(NOT_IN_PERSONAL_CHAT)];
    for (const file of files) out.push(await this.offer(file, to.owner));
    return out;
  }

  private async offer(file: FileAttachment, owner: string): Promise<Partial<Activity>> {
    const bytes = bytesOf(file);
    if (bytes.length > MAX_FILE_BYTES) return toActivity(tooLarge(file.name, bytes.length));
    const { id, createdAt } = await this.store.add(owner, { name: file.name, contentType: file.contentType, bytes });
    await this.options.scheduler.schedule(FILE_EXPIRY_JOB, new Date(createdAt.getTime() + KEEP_MS), { fileId: id }, `file-expiry-${id}`);
    // Only the id travels in the card: everything else is re-read from storage when Teams answers.
    const context = { fileId: id };
    const card: Attachment = {
      contentType: FILE_CONSENT_CARD,
      name: file.name,
      content: { description: `${file.name}, from Lantern. Allow saves it to your OneDrive.`, sizeInBytes: bytes.length, acceptContext: context, declineContext: context },
    };
    return MessageFactory.attachment(card);
  }

  /**
   * Answers a `fileConsent/invoke` from `clicker` (their Entra object id) with the message to send:
   * the file card once uploaded, or a plain sentence.
   */
  async consent(value: unknown, clicker: string | undefined, attempt = 0): Promise<Partial<Activity>> {
    const answer = readConsent(value);
    if (!answer) return toActivity(NOT_UNDERSTOOD);
    const stored = await this.store.get(answer.fileId);
    if (!stored) return toActivity(GONE);
    const file = stored.value;
    if (!clicker || clicker.toLowerCase() !== file.owner.toLowerCase()) return toActivity(NOT_YOURS);
    if (file.state === 'sent') return toActivity(ALREADY_SENT);
    if (file.state === 'declined') return toActivity(answer.action === 'decline' ? DECLINED : GONE);
    if (file.state === 'expired') return toActivity(GONE);
    if (file.state === 'uploading' && this.now().getTime() - Date.parse(file.claimedAt ?? '') < CLAIM_MS) return toActivity(BEING_SENT);
    try {
      if (answer.action === 'decline') {
        await this.store.replace(answer.fileId, outcome(file, 'declined'), stored.etag);
        return toActivity(DECLINED);
      }
      const target = uploadTarget(answer.uploadInfo.uploadUrl, this.options.localUploads);
      if (!target || !file.data) {
        this.log(`file upload refused: unusable upload URL for ${answer.fileId}`);
        return toActivity(UPLOAD_FAILED);
      }
      const claimed = await this.store.replace(answer.fileId, { ...file, state: 'uploading', claimedAt: this.now().toISOString() }, stored.etag);
      if (!(await this.upload(target, Buffer.from(file.data, 'base64'), file.contentType))) {
        await this.store.replace(answer.fileId, { ...file, state: 'offered', claimedAt: undefined }, claimed.etag).catch(() => undefined);
        return toActivity(UPLOAD_FAILED);
      }
      await this.store.replace(answer.fileId, outcome(file, 'sent'), claimed.etag);
      return MessageFactory.attachment(fileInfoCard(file, answer.uploadInfo));
    } catch (err) {
      // Two answers for one file at once: the loser re-reads and sees what the winner did.
      if (err instanceof ConflictError && attempt < 2) return this.consent(value, clicker, attempt + 1);
      throw err;
    }
  }

  /** The expiry job: drops the bytes of a file still waiting for an answer. */
  async expire(fileId: string, attempt = 0): Promise<void> {
    const stored = await this.store.get(fileId);
    if (!stored || (stored.value.state !== 'offered' && stored.value.state !== 'uploading')) return;
    // Throwing makes the scheduler try again after its lease, once the upload has finished.
    if (stored.value.state === 'uploading' && this.now().getTime() - Date.parse(stored.value.claimedAt ?? '') < CLAIM_MS) throw new Error(`file ${fileId} is being uploaded`);
    try {
      await this.store.replace(fileId, outcome(stored.value, 'expired'), stored.etag);
    } catch (err) {
      if (err instanceof ConflictError && attempt < 2) return this.expire(fileId, attempt + 1);
      throw err;
    }
  }

  private async upload(url: URL, bytes: Buffer, contentType: string): Promise<boolean> {
    try {
      const res = await fetch(url, {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: { 'Content-Type': contentType, 'Content-Length': String(bytes.length), 'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
        // A redirect would take the bytes somewhere the URL check never saw.
        redirect: 'error',
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.log(`file upload failed: HTTP ${res.status} from ${url.host}`);
      return res.ok;
    } catch (err) {
      this.log(`file upload failed: ${(err as Error)?.message ?? String(err)}`);
      return false;
    }
  }
}

interface UploadInfo {
  name?: string;
  uploadUrl?: string;
  contentUrl?: string;
  uniqueId?: string;
  fileType?: string;
}

function readConsent(value: unknown): { action: 'accept' | 'decline'; fileId: string; uploadInfo: UploadInfo } | undefined {
  const v = value as { type?: unknown; action?: unknown; context?: { fileId?: unknown }; uploadInfo?: unknown } | undefined;
  if (!v || v.type !== 'fileUpload' || (v.action !== 'accept' && v.action !== 'decline')) return undefined;
  const fileId = v.context?.fileId;
  if (typeof fileId !== 'string' || !/^[0-9a-f-]{36}$/.test(fileId)) return undefined;
  const uploadInfo = v.uploadInfo && typeof v.uploadInfo === 'object' ? (v.uploadInfo as UploadInfo) : {};
  return { action: v.action, fileId, uploadInfo };
}

/** OneDrive upload sessions are https; plain http only to this machine, and only in local mode. */
function uploadTarget(raw: unknown, localUploads: boolean): URL | undefined {
  if (typeof raw !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:') return url;
  return localUploads && url.protocol === 'http:' && url.hostname === '127.0.0.1' ? url : undefined;
}

function outcome(file: PendingFile, state: 'sent' | 'declined' | 'expired'): PendingFile {
  return { ...file, state, claimedAt: undefined, data: undefined };
}

function fileInfoCard(file: PendingFile, info: UploadInfo): Attachment {
  const name = typeof info.name === 'string' ? info.name : file.name;
  return {
    contentType: FILE_INFO_CARD,
    contentUrl: typeof info.contentUrl === 'string' ? info.contentUrl : undefined,
    name,
    content: { uniqueId: typeof info.uniqueId === 'string' ? info.uniqueId : undefined, fileType: typeof info.fileType === 'string' ? info.fileType : name.split('.').pop() },
  };
}

function bytesOf(file: FileAttachment): Buffer {
  const m = /^data:[^,]*?(;base64)?,(.*)$/s.exec(file.contentUrl);
  if (!m) throw new TypeError(`${file.name}: files are handed to the Teams layer as data: URLs`);
  return m[1] ? Buffer.from(m[2], 'base64') : Buffer.from(decodeURIComponent(m[2]), 'utf8');
}
