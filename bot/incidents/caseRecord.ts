import type { PostedMessage } from '../chat/address';
import type { PreserveStep, Subject } from './categories';
import type { ReceiptTold } from './reporterReceipt';
import type { Urgency } from './settings';

export type CaseStatus = 'new' | 'acknowledged' | 'in-progress' | 'referred' | 'closed';

export type RouteKind = 'dsl' | 'head' | 'chair' | 'dpo' | 'dsl-and-it';

export interface PersonRef {
  id: string;
  name: string;
}

export interface Referral {
  agency: string;
  reference: string;
  at: string;
  by: PersonRef;
}

/** One online-safety incident as stored: the facts from the form, then its handling. */
export interface IncidentCase {
  ref: string;
  category: string;
  subject: Subject;
  section?: string;
  urgency: Urgency;
  policeReferral: boolean;
  immediateDanger: boolean;
  reportedAt: string;
  reporter: PersonRef & { aadObjectId?: string };
  source?: string;
  context?: string;
  facts: {
    occurredOn: string;
    occurredAt?: string;
    place: string;
    device?: string;
    url?: string;
    pupilName?: string;
    pupilYear?: string;
    staffName?: string;
    /** Roster id of the member of staff named, when they are in the roster. */
    staffId?: string;
    description: string;
    childsWords?: string;
    actionTaken?: string;
    preserved?: Partial<Record<PreserveStep, boolean>>;
  };
  route: RouteKind;
  /** Roster ids of the people expected to act first (on-duty DSL, Head, Chair...). */
  owners: string[];
  status: CaseStatus;
  /** When the case first left New (claimed, assigned or moved on): the termly report's time to acknowledge. */
  acknowledgedAt?: string;
  assignee?: PersonRef;
  referrals: Referral[];
  closeReason?: string;
  /** Escalation steps taken while unacknowledged. */
  escalationLevel: number;
  /** Roster ids the unclaimed case was escalated to (deputies, then the Head): its cards name them. */
  escalatedTo?: string[];
  /** Every copy of the case card, so each is updated in place after a change. */
  posts: PostedMessage[];
  /** What the reporter's receipt told them of the delivery; absent on cases sent before it was kept. */
  told?: ReceiptTold;
  urgentAlertAt?: string;
  urgentAlertRef?: string;
  /** A case about the Head that the trust's rule sent to a trust officer (absent: the school's Chair of Governors). */
  chairRole?: 'ceo' | 'chairOfTrustees';
  /** Roster id of the person the report is about, resolved on the server; they never see the case. */
  concerned?: string;
  /** While set, nothing deletes the case or its chronology (bot/retention/legalHold.ts places and lifts it). */
  legalHold?: LegalHold;
}

export interface LegalHold {
  reason: string;
  by: PersonRef;
  at: string;
}
