import type { AddressInfo } from 'node:net';
import { MemoryStorage, type Storage } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import * as restify from 'restify';
import type { TableProvisioner } from '../../bot/storage/tableService';
import { TableStateStorage } from '../../bot/storage/tableStateStorage';
import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { messageActivity, personalChat } from '../support/teamsChannel';
import type { BenchScenario } from './scenario';

export interface EchoBot {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The floor Lantern's turns are measured against: the teams-ai echo sample on the same packages
 * (botbuilder, teams-ai, restify, local mode with no authentication), counting turns in
 * conversation state as the sample does. So each turn reads conversation and user state and
 * writes the count back: on Tables (the same table service as Lantern), or in memory.
 */
export async function startEchoBot(storage: Storage): Promise<EchoBot> {
  const adapter = new TeamsAdapter({});
  const app = new Application<TurnState>({ adapter, storage, startTypingTimer: false, longRunningMessages: false });
  app.message(/.*/, async (context, state) => {
    const conversation = state.conversation as Record<string, unknown>;
    const count = Number(conversation.count ?? 0) + 1;
    conversation.count = count;
    await context.sendActivity(`[${count}] you said: ${context.activity.text}`);
  });
  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, async (context) => void (await app.run(context)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const echoOnTables = (tables: TableProvisioner) => startEchoBot(new TableStateStorage(tables, 'echostate'));
export const echoInMemory = () => startEchoBot(new MemoryStorage());

/** One echo turn over HTTP, its reply checked at the harness's fake Teams connector. */
export function echoScenario(name: string, bot: EchoBot): BenchScenario {
  return {
    name,
    async turn(h: Harness, user: Member, i: number) {
      const conversation = { ...personalChat(user), id: `echo-${name}-${user.id}` };
      const text = `turn ${i}`;
      const before = h.connector.sent.length;
      const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(h.connector.url, user, conversation, text)) });
      if (res.status >= 300) throw new Error(`echo bot answered HTTP ${res.status}`);
      await res.text();
      const replies = h.connector.sent.slice(before).filter((s) => s.conversationId === conversation.id);
      if (!replies.some((r) => String(r.activity.text).endsWith(`you said: ${text}`))) throw new Error(`no echo of "${text}"`);
    },
  };
}
