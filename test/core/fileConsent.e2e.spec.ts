import assert from 'node:assert/strict';
import type { CapabilityModule } from '../../bot/chat/capability';
import { DocumentTable } from '../../bot/storage/documentTable';
import { FileOffers } from '../../bot/teams/fileOffers';
import { PendingFiles, type PendingFile } from '../../bot/teams/pendingFiles';
import type { SentActivity } from '../support/fakeConnector';
import { answerConsent, consentCards, FILE_CONSENT_CARD, FILE_INFO_CARD, UploadServer, type ConsentCard } from '../support/fileConsent';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { fileConsentActivity, personalChat, teamChannel } from '../support/teamsChannel';
import { fakeDate } from '../support/fakeDate';

/** Every byte value, so a text-only or re-encoded upload would show. */
function fileBytes(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + 7) % 256));
}

const fileOf = (size: number) => ({
  name: `export-${size}.xlsx`,
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  contentUrl: `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${fileBytes(size).toString('base64')}`,
});

/** A capability that sends files the way the export capabilities do: plain `files` in an Outbound. */
const fileSender: CapabilityModule = {
  create: (services) => ({
    name: 'file-sender',
    commands: [
      { name: 'send-file', pattern: /^send file (\d+)$/i, run: async (turn, m) => void (await turn.send({ text: 'Here it is.', files: [fileOf(Number(m[1]))] })) },
      {
        name: 'send-file-privately',
        pattern: /^send file privately$/i,
        run: async (turn) => {
          const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId }, { text: 'Your file.', files: [fileOf(2000)] });
          await turn.send(sent ? "I've sent you a private message" : 'No private chat yet.');
        },
      },
    ],
  }),
};

describe('files sent through Teams file consent cards (e2e over HTTP)', () => {
  let h: Harness;
  let uploads: UploadServer;
  const pending = () => new DocumentTable<PendingFile>(h.lantern.services.tables, 'pendingFiles');
  const fileIdOf = (card: ConsentCard) => (card.content.acceptContext as { fileId: string }).fileId;
  const stored = async (card: ConsentCard) => (await new PendingFiles(h.lantern.services.tables).get(fileIdOf(card)))?.value;
  const texts = (sent: SentActivity[]) => sent.map((s) => s.activity.text ?? '');

  before(async () => {
    h = await startHarness({ modules: [fileSender] });
  });
  after(async () => h.stop());
  beforeEach(async () => {
    uploads = await new UploadServer().start();
  });
  afterEach(async () => uploads.stop());

  async function offer(size = 5000): Promise<ConsentCard> {
    const sent = await h.say(people.teacher, `send file ${size}`);
    assert.deepEqual(texts(sent).slice(0, 1), ['Here it is.']);
    const cards = consentCards(sent);
    assert.equal(cards.length, 1, `one consent card: ${JSON.stringify(sent.map((s) => s.activity)).slice(0, 400)}`);
    return cards[0];
  }

  it('offers each file with a consent card, and on Allow uploads the exact bytes and sends the file card', async () => {
    const card = await offer(5000);
    const attachment = card.message.activity.attachments[0];
    assert.equal(attachment.contentType, FILE_CONSENT_CARD);
    assert.equal(attachment.contentUrl, undefined, 'no data: URL reaches Teams');
    assert.equal(card.name, 'export-5000.xlsx');
    assert.equal(card.content.sizeInBytes, 5000);
    assert.match(card.content.description, /export-5000\.xlsx/);
    assert.deepEqual(Object.keys(card.content.acceptContext as object), ['fileId'], 'the card carries only the id');
    assert.deepEqual(card.content.declineContext, card.content.acceptContext);

    const { response, replies, uploadInfo } = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.equal(response.status, 200);
    assert.equal(uploads.uploads.length, 1);
    const [upload] = uploads.uploads;
    assert.ok(upload.body.equals(fileBytes(5000)), 'the bytes uploaded are the bytes the capability sent');
    assert.equal(upload.headers['content-length'], '5000');
    assert.equal(upload.headers['content-range'], 'bytes 0-4999/5000');
    assert.equal(replies.length, 1);
    assert.deepEqual(replies[0].activity.attachments, [
      { contentType: FILE_INFO_CARD, contentUrl: uploadInfo!.contentUrl, name: 'export-5000.xlsx', content: { uniqueId: uploadInfo!.uniqueId, fileType: 'xlsx' } },
    ]);
    const after = await stored(card);
    assert.equal(after?.state, 'sent');
    assert.equal(after?.data, undefined, 'the bytes are deleted once sent');
  });

  it('on Decline deletes the file, says so and uploads nothing', async () => {
    const card = await offer();
    const { response, replies } = await answerConsent(h, people.teacher, card, 'decline');
    assert.equal(response.status, 200);
    assert.deepEqual(texts(replies), ['OK, not sent.']);
    assert.equal((await stored(card))?.data, undefined);
    const late = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.doesNotMatch(texts(late.replies).join(), /already sent/);
    assert.equal(uploads.uploads.length, 0);
  });

  it("refuses someone else's Allow and uploads nothing; the owner can still accept", async () => {
    const card = await offer();
    const { response, replies } = await answerConsent(h, people.teacher2, card, 'accept', uploads);
    assert.equal(response.status, 200);
    assert.deepEqual(texts(replies), ['That file was offered to someone else, so nothing was sent.']);
    assert.equal(uploads.uploads.length, 0);
    assert.equal((await stored(card))?.state, 'offered');
    await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.equal(uploads.uploads.length, 1);
  });

  it('a second Allow (or a redelivered one) sends nothing more', async () => {
    const card = await offer();
    const first = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.ok(first.replies[0].activity.attachments?.some((a: Record<string, unknown>) => a.contentType === FILE_INFO_CARD));
    const second = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.equal(second.response.status, 200);
    assert.deepEqual(texts(second.replies), ['That file was already sent.']);
    assert.equal(uploads.uploads.length, 1);

    const again = await offer();
    const chat = personalChat(people.teacher);
    const invoke = fileConsentActivity(h.connector.url, people.teacher, chat, 'accept', again.content.acceptContext, uploads.uploadInfo(again.name));
    const before = h.connector.messagesIn(chat.id).length;
    assert.equal((await h.post(invoke)).status, 200);
    assert.equal((await h.post(invoke)).status, 200);
    assert.equal(uploads.uploads.length, 2, 'Teams retrying the same invoke uploads once');
    assert.equal(h.connector.messagesIn(chat.id).length - before, 1);
  });

  it('keeps the file when the upload fails, says so, and a later Allow works', async () => {
    const card = await offer();
    uploads.status = 500;
    const failed = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.equal(failed.response.status, 200);
    assert.deepEqual(texts(failed.replies), ['Teams did not accept the file; try the export again.']);
    const kept = await stored(card);
    assert.equal(kept?.state, 'offered');
    assert.ok(kept?.data);
    uploads.status = 201;
    const retried = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.ok(retried.replies[0].activity.attachments?.some((a: Record<string, unknown>) => a.contentType === FILE_INFO_CARD));
    assert.ok(uploads.uploads.at(-1)!.body.equals(fileBytes(5000)));
  });

  it('refuses a file over 300 KB with a message pointing to the npm export scripts, and sends one of exactly 300 KB', async () => {
    const before = (await pending().all()).length;
    const sent = await h.say(people.teacher, `send file ${300 * 1024 + 1}`);
    assert.equal(consentCards(sent).length, 0);
    const [, refusal] = texts(sent);
    assert.match(refusal, /export-307201\.xlsx is 301 KB, and Lantern sends files of up to 300 KB in Teams, so it was not sent/);
    assert.match(refusal, /npm run export:filter-log/);
    assert.equal((await pending().all()).length, before, 'nothing is stored');

    const card = await offer(300 * 1024);
    await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.ok(uploads.uploads[0].body.equals(fileBytes(300 * 1024)));
  });

  it('still delivers after a restart between the offer and the Allow', async () => {
    const card = await offer(20_000);
    await h.restart();
    const { replies } = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.ok(uploads.uploads[0]?.body.equals(fileBytes(20_000)));
    assert.ok(replies[0].activity.attachments?.some((a: Record<string, unknown>) => a.contentType === FILE_INFO_CARD));
  });

  it('forgets the bytes of a file nobody answers within 7 days', async () => {
    const card = await offer();
    const job = await h.lantern.services.scheduler.get(`file-expiry-${fileIdOf(card)}`);
    assert.equal(Date.parse(job!.due) - Date.parse((await stored(card))!.createdAt), 7 * 24 * 60 * 60_000);
    const clock = fakeDate(Date.parse(job!.due) + 1000);
    try {
      await h.lantern.services.scheduler.runDue();
    } finally {
      clock.restore();
    }
    const expired = await stored(card);
    assert.equal(expired?.state, 'expired');
    assert.equal(expired?.data, undefined);
    const late = await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.deepEqual(texts(late.replies), ['I no longer have that file: run the export again.']);
    assert.equal(uploads.uploads.length, 0);
  });

  it('never attaches files outside a 1:1 chat, and offers them in the 1:1 chat when sent there', async () => {
    const channel = teamChannel('General');
    const inChannel = await h.say(people.teacher, 'send file 100', channel);
    assert.deepEqual(texts(inChannel), ['Here it is.', 'Files are only sent in a 1:1 chat with me, so nothing was attached here. Message me directly and ask again.']);
    assert.ok(inChannel.every((s) => !s.activity.attachments));

    await h.say(people.teacher, 'hello');
    assert.deepEqual(texts(await h.say(people.teacher, 'send file privately', channel)), ["I've sent you a private message"]);
    const privately = h.connector.messagesIn(personalChat(people.teacher).id).slice(-2);
    assert.equal(privately[0].activity.text, 'Your file.');
    const [card] = consentCards(privately);
    assert.equal(card?.name, 'export-2000.xlsx');
    await answerConsent(h, people.teacher, card, 'accept', uploads);
    assert.ok(uploads.uploads[0].body.equals(fileBytes(2000)));
  });

  it('uploads only to https when running with a bot registration', async () => {
    const offers = new FileOffers(new PendingFiles(h.lantern.services.tables), { localUploads: false, scheduler: h.lantern.services.scheduler });
    const [activity] = await offers.activities({ files: [fileOf(100)] }, { personal: true, owner: people.teacher.aadObjectId });
    const context = activity.attachments![0].content.acceptContext;
    const reply = await offers.consent({ type: 'fileUpload', action: 'accept', context, uploadInfo: uploads.uploadInfo('export-100.xlsx') }, people.teacher.aadObjectId);
    assert.equal(reply.text, 'Teams did not accept the file; try the export again.');
    assert.equal(uploads.uploads.length, 0);
    assert.equal((await new PendingFiles(h.lantern.services.tables).get(context.fileId))?.value.state, 'offered');
  });
});
