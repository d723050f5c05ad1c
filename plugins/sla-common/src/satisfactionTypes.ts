/**
 * Types of satisfaction and experience (issue 5): feedback, survey
 * campaigns, complaints, the satisfaction summary and the watermelon check.
 * Instants are ISO 8601 strings.
 */

/** @public */
export type FeedbackKind = 'survey' | 'impromptu' | 'complaint' | 'compliment';

/** CSAT: 1–5; NPS: 0–10. @public */
export type FeedbackScale = 'csat' | 'nps';

/** @public */
export type ComplaintState = 'open' | 'acknowledged' | 'resolved';

/** What a user sends to give feedback (POST /feedback). @public */
export type FeedbackInput = {
  entityRef: string;
  kind: FeedbackKind;
  /** Required for surveys outside campaigns; 1–5 (csat) or 0–10 (nps). */
  score?: number;
  /** Default `csat`. */
  scale?: FeedbackScale;
  comment?: string;
  /** The agreement (and target) the feedback is about. */
  agreementId?: string;
  targetId?: string;
  /** The survey campaign answered (kind `survey`). */
  campaignId?: string;
  /** One answer per campaign question; the first question's is the score. */
  answers?: Array<{ questionId: string; score: number }>;
  /** Hide the name from readers; the answer still counts once per user. */
  anonymous?: boolean;
};

/** An owner's response to a complaint. @public */
export type ComplaintResponse = {
  by: string;
  at: string;
  message: string;
  /** The complaint's state after this response. */
  state: ComplaintState;
};

/** @public */
export type Feedback = FeedbackInput & {
  id: string;
  /** Left out when the feedback is anonymous. */
  givenBy?: string;
  givenAt: string;
  version: number;
  /** Complaints only. */
  state?: ComplaintState;
  responses?: ComplaintResponse[];
};

/** An owner's response (POST /feedback/{id}/responses). @public */
export type ComplaintResponseInput = {
  message: string;
  /** Move the complaint; default: stay. */
  state?: ComplaintState;
  /** The complaint's version the response was written against. */
  version: number;
};

/** @public */
export type SurveyQuestion = { id: string; text: string; scale: FeedbackScale };

/** @public */
export type SurveyCampaignInput = {
  entityRef: string;
  title: string;
  description?: string;
  questions: Array<Omit<SurveyQuestion, 'id'> & { id?: string }>;
  /** Default: now. */
  start?: string;
  end: string;
};

/** @public */
export type SurveyCampaign = Omit<SurveyCampaignInput, 'questions'> & {
  id: string;
  questions: SurveyQuestion[];
  start: string;
  status: 'open' | 'closed';
  version: number;
  createdAt: string;
  createdBy: string;
  closedAt?: string;
  closedBy?: string;
};

/** The watermelon check and its evidence. @public */
export type Watermelon = {
  entityRef: string;
  watermelon: boolean;
  reason: string;
  green: Array<{
    agreementId: string;
    targetId: string;
    name?: string;
    aspect: string;
    status: string;
    attainment: number | null;
    objective: number;
  }>;
  red: Array<{
    source: 'xla' | 'csat';
    agreementId?: string;
    targetId?: string;
    name: string;
    value: number | null;
    objective: number;
    responses?: number;
  }>;
};

/** GET /satisfaction. @public */
export type Satisfaction = {
  entityRef: string;
  window: { start: string; end: string };
  csat: number | null;
  meanScore: number | null;
  nps: number | null;
  responses: number;
  csatResponses: number;
  npsResponses: number;
  distribution: { csat: number[]; nps: number[] };
  trend: Array<{
    start: string;
    end: string;
    responses: number;
    csat: number | null;
    meanScore: number | null;
    nps: number | null;
  }>;
  complaints: {
    total: number;
    open: number;
    acknowledged: number;
    resolved: number;
  };
  compliments: number;
  latest: Feedback[];
  watermelon: Watermelon;
};
