import type { PostedMessage } from '../chat/address';
import { DocumentTable, type Stored } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import type { Audience } from './audience';
import type { AckDocument } from './documents';

/** One document staff must acknowledge, across its versions (each version is a round). */
export interface Campaign {
  id: string;
  document: AckDocument;
  audience: Audience;
  startedBy: { id: string; name: string };
  startedAt: string;
  rounds: string[];
  currentRound: string;
  /** A newer version seen in the policy set, waiting for the lead to confirm a new round. */
  proposal?: { version: string; at: string; card?: PostedMessage };
}

/** One version of the document, asked of everyone in the audience once. */
export interface Round {
  id: string;
  campaignId: string;
  number: number;
  document: AckDocument;
  version: string;
  headings: string[];
  note: string;
  /** School date (YYYY-MM-DD) by which it should be done. */
  due: string;
  openedAt: string;
  openedBy: { id: string; name: string };
  state: 'open' | 'superseded';
  /** Progress cards posted to the lead, updated in place as answers come in. */
  progressCards: PostedMessage[];
  remindersSent: number;
  overdueSentAt?: string;
}

/** What a person's acknowledgement records: who, which version, when, and on which card. */
export interface Acknowledgement {
  round: string;
  campaign: string;
  person: string;
  name: string;
  version: string;
  at: string;
  card: { conversationId: string; activityId?: string };
}

/**
 * Ids as campaignIdOf and roundIdOf make them. Ids come back from buttons, so anything else names
 * no campaign and is not read: a table key over 1 KiB would fail the turn instead of answering.
 */
const CAMPAIGN_ID = /^c-[0-9a-f]{12}$/;
const ROUND_ID = /^c-[0-9a-f]{12}-r\d{1,6}$/;

/** Campaigns, rounds and acknowledgements, in one table. Acknowledgements are only ever created. */
export class CampaignStore {
  private readonly campaigns: DocumentTable<Campaign>;
  private readonly rounds: DocumentTable<Round>;
  private readonly acks: DocumentTable<Acknowledgement>;

  constructor(tables: TableProvisioner) {
    this.campaigns = new DocumentTable(tables, 'acks');
    this.rounds = new DocumentTable(tables, 'acks');
    this.acks = new DocumentTable(tables, 'acks');
  }

  campaign(id: string): Promise<Stored<Campaign> | undefined> {
    return CAMPAIGN_ID.test(id) ? this.campaigns.get('campaign', id) : Promise.resolve(undefined);
  }

  async allCampaigns(): Promise<Campaign[]> {
    return (await this.campaigns.list('campaign')).map((r) => r.value);
  }

  createCampaign(c: Campaign): Promise<Stored<Campaign>> {
    return this.campaigns.create('campaign', c.id, c);
  }

  replaceCampaign(c: Campaign, etag: string): Promise<Stored<Campaign>> {
    return this.campaigns.replace('campaign', c.id, c, etag);
  }

  round(id: string): Promise<Stored<Round> | undefined> {
    return ROUND_ID.test(id) ? this.rounds.get('round', id) : Promise.resolve(undefined);
  }

  /** Every round, open or superseded (for the termly report's coverage figures). */
  async allRounds(): Promise<Round[]> {
    return (await this.rounds.list('round')).map((r) => r.value);
  }

  async openRounds(): Promise<Round[]> {
    return (await this.rounds.where('state', 'open')).map((r) => r.value);
  }

  createRound(r: Round): Promise<Stored<Round>> {
    return this.rounds.create('round', r.id, r, { state: r.state });
  }

  replaceRound(r: Round, etag: string): Promise<Stored<Round>> {
    return this.rounds.replace('round', r.id, r, etag, { state: r.state });
  }

  /** Applies `change` to the latest copy, again if someone else wrote in between. */
  async updateRound(id: string, change: (r: Round) => Round | undefined): Promise<Round | undefined> {
    for (;;) {
      const stored = await this.round(id);
      if (!stored) return undefined;
      const next = change(stored.value);
      if (!next) return stored.value;
      try {
        return (await this.replaceRound(next, stored.etag)).value;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  async acknowledgement(round: string, person: string): Promise<Acknowledgement | undefined> {
    return (await this.acks.get(`ack:${round}`, person))?.value;
  }

  /** ConflictError when this person already acknowledged this round. */
  async recordAcknowledgement(a: Acknowledgement): Promise<Acknowledgement> {
    return (await this.acks.create(`ack:${a.round}`, a.person, a)).value;
  }

  async acknowledgements(round: string): Promise<Acknowledgement[]> {
    return (await this.acks.list(`ack:${round}`)).map((r) => r.value);
  }
}
