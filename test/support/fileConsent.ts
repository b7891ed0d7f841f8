import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { startLocalServer, type LocalServer } from './localServer';
import type { Member, SentActivity } from './fakeConnector';
import type { Harness, InvokeResult } from './harness';
import { fileConsentActivity, personalChat } from './teamsChannel';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

export interface Upload {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Plays OneDrive's upload session: records every PUT and answers with `status`. */
export class UploadServer {
  readonly uploads: Upload[] = [];
  status = 201;
  url = '';
  private server?: LocalServer;
  private next = 1;

  async start(): Promise<this> {
    this.server = await startLocalServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.method === 'PUT') this.uploads.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.method === 'PUT' ? this.status : 405, { 'content-type': 'application/json' });
      res.end('{}');
    });
    this.url = `${this.server.url}/`;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** What Teams puts in `uploadInfo` when someone allows `name`. */
  uploadInfo(name: string): Record<string, string> {
    const n = this.next++;
    return {
      name,
      uploadUrl: `${this.url}upload/${n}`,
      contentUrl: `https://hollinspark-my.sharepoint.com/personal/me/Documents/Applications/Lantern/${encodeURIComponent(name)}`,
      uniqueId: randomUUID(),
      fileType: name.split('.').pop() ?? '',
    };
  }
}

export interface ConsentCard {
  message: SentActivity;
  name: string;
  content: { description: string; sizeInBytes: number; acceptContext: unknown; declineContext: unknown };
}

/** The file consent cards among sent messages, in order. */
export function consentCards(sent: SentActivity[]): ConsentCard[] {
  return sent.flatMap((message) =>
    ((message.activity.attachments ?? []) as Array<Record<string, any>>).filter((a) => a.contentType === FILE_CONSENT_CARD).map((a) => ({ message, name: a.name, content: a.content })),
  );
}

/**
 * Presses Allow or Decline on `card` as `user`, in their 1:1 chat; Allow points Teams' upload URL
 * at `uploads`. Returns the invoke response and what the bot then said in that chat.
 */
export async function answerConsent(h: Harness, user: Member, card: ConsentCard, action: 'accept' | 'decline', uploads?: UploadServer): Promise<{ response: InvokeResult; replies: SentActivity[]; uploadInfo?: Record<string, string> }> {
  const chat = personalChat(user);
  const before = h.connector.messagesIn(chat.id).length;
  const context = action === 'accept' ? card.content.acceptContext : card.content.declineContext;
  const uploadInfo = action === 'accept' ? uploads?.uploadInfo(card.name) : undefined;
  const response = await h.post(fileConsentActivity(h.connector.url, user, chat, action, context, uploadInfo));
  return { response, replies: h.connector.messagesIn(chat.id).slice(before), uploadInfo };
}

export interface ReceivedFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * Allows every file offered in `sent`, as the person would, and returns what reached "OneDrive":
 * each upload must be whole and be followed by the file card for it.
 */
export async function receiveFiles(h: Harness, user: Member, sent: SentActivity[]): Promise<ReceivedFile[]> {
  const cards = consentCards(sent);
  assert.ok(cards.length, `no file offered in: ${JSON.stringify(sent.map((s) => s.activity)).slice(0, 300)}`);
  const uploads = await new UploadServer().start();
  try {
    const out: ReceivedFile[] = [];
    for (const card of cards) {
      const { response, replies, uploadInfo } = await answerConsent(h, user, card, 'accept', uploads);
      assert.equal(response.status, 200);
      const upload = uploads.uploads.find((u) => `${uploads.url}${u.path.slice(1)}` === uploadInfo!.uploadUrl);
      assert.ok(upload, `${card.name} was not uploaded; the bot said: ${replies.map((r) => r.activity.text).join(' / ')}`);
      assert.equal(upload.body.length, card.content.sizeInBytes, `${card.name}: the consent card states the size uploaded`);
      assert.equal(upload.headers['content-range'], `bytes 0-${upload.body.length - 1}/${upload.body.length}`);
      const info = replies.flatMap((r) => r.activity.attachments ?? []).find((a: Record<string, any>) => a.contentType === FILE_INFO_CARD);
      assert.ok(info, `no file card after uploading ${card.name}`);
      assert.equal(info.contentUrl, uploadInfo!.contentUrl);
      out.push({ name: card.name, contentType: String(upload.headers['content-type']), bytes: upload.body });
    }
    return out;
  } finally {
    await uploads.stop();
  }
}
