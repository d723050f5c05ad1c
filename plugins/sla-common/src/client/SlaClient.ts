import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  DiscoveryLike,
  FetchLike,
  TypedResponse,
} from '../generated/DefaultApiClient';
import type { BlastRadiusItem, ViabilityReport } from '../viabilityTypes';
import type {
  Agreement,
  AgreementHistoryEntry,
  AgreementInput,
  AgreementKind,
  AgreementStatus,
  AttainmentPoint,
  Breach,
  EntityAccess,
  IngestResult,
  Measurement,
  OpenSloDraft,
  OpenSloSource,
  TargetAttainment,
  TransitionRequest,
} from '../types';
import type {
  TicketIngestResult,
  TicketList,
  TicketStateChangeInput,
} from '../ticketTypes';
import type {
  ComplaintResponseInput,
  ComplaintState,
  Feedback,
  FeedbackInput,
  FeedbackKind,
  Satisfaction,
  SurveyCampaign,
  SurveyCampaignInput,
  Watermelon,
} from '../satisfactionTypes';
import type {
  Portfolio,
  PortfolioSort,
  PortfolioStatus,
} from '../portfolioTypes';
import type {
  PublishedReport,
  PublishedReportSummary,
  ReportPeriodQuery,
  ServiceReport,
} from '../reportTypes';
import type {
  AgreementComment,
  AgreementNegotiation,
  AgreementParty,
  SignatureRequest,
} from '../negotiationTypes';
import type {
  Improvement,
  ImprovementInput,
  ImprovementPlan,
  Review,
  ReviewInput,
  ReviewSchedule,
  ReviewStatus,
  ReviewUpdate,
} from '../reviewTypes';
import type { PrometheusTemplates, Series } from '../seriesTypes';

/** The SLA plugin's API, as the frontend and other plugins use it. @public */
export interface SlaApi {
  /**
   * The list methods page through the whole list when neither `limit` nor
   * `cursor` is given (a page of 500 at a time), so their callers get every
   * item; with either, they answer one page and its `nextCursor`.
   */
  listAgreements(
    query?: {
      entityRef?: string;
      kind?: AgreementKind;
      status?: AgreementStatus;
    } & PageQuery,
  ): Promise<{ items: Agreement[]; nextCursor?: string }>;
  getAgreement(id: string): Promise<Agreement>;
  createAgreement(input: AgreementInput): Promise<Agreement>;
  updateAgreement(id: string, input: AgreementInput): Promise<Agreement>;
  transitionAgreement(
    id: string,
    request: TransitionRequest,
  ): Promise<Agreement>;
  getAgreementHistory(
    id: string,
    page?: PageQuery,
  ): Promise<{ items: AgreementHistoryEntry[]; nextCursor?: string }>;
  /** The parties, who may sign for each, the signatures awaited and the open comments. */
  getAgreementNegotiation(id: string): Promise<AgreementNegotiation>;
  /** Signs the current terms for a party; the second party's signature agrees it. */
  signAgreement(
    id: string,
    request: SignatureRequest & { comment?: string },
  ): Promise<Agreement>;
  /** Comments and change requests, newest first. */
  listAgreementComments(
    id: string,
    query?: { open?: boolean } & PageQuery,
  ): Promise<{ items: AgreementComment[]; nextCursor?: string }>;
  commentAgreement(
    id: string,
    input: { text: string; party?: AgreementParty },
  ): Promise<AgreementComment>;
  /** Requests changes to a proposal: recorded, and the agreement goes back to draft. */
  requestAgreementChanges(
    id: string,
    input: { text: string; party?: AgreementParty },
  ): Promise<Agreement>;
  getAccess(entityRef: string): Promise<EntityAccess>;
  /** The entity's measured series by metric name (the editor's metric suggestions). */
  listSeries(
    query: { entityRef: string } & PageQuery,
  ): Promise<{ items: Series[]; nextCursor?: string }>;
  /**
   * The Prometheus module's query templates; undefined where the module is
   * not installed (the route is the module's, not the plugin's contract).
   */
  getPrometheusTemplates(): Promise<PrometheusTemplates | undefined>;
  ingestMeasurements(items: Measurement[]): Promise<IngestResult>;
  /** Records ticket state changes (idempotent, any order). */
  recordTicketChanges(
    items: TicketStateChangeInput[],
  ): Promise<TicketIngestResult>;
  /** An entity's tickets (open by default) with their clocks per ticket target. */
  listTickets(
    query: {
      entityRef: string;
      state?: 'open' | 'all';
      at?: string;
    } & PageQuery,
  ): Promise<TicketList>;
  getAttainment(query: {
    entityRef: string;
    at?: string;
  }): Promise<{ items: TargetAttainment[] }>;
  getAttainmentTimeline(query: {
    agreementId: string;
    targetId: string;
    at?: string;
    points?: number;
  }): Promise<{ items: AttainmentPoint[] }>;
  listBreaches(
    query: {
      entityRef: string;
      from?: string;
      to?: string;
    } & PageQuery,
  ): Promise<{ items: Breach[]; nextCursor?: string }>;
  /** What the entity's dependencies support; `objective` asks "what if". */
  getViability(query: {
    entityRef: string;
    agreementId?: string;
    targetId?: string;
    objective?: number;
  }): Promise<ViabilityReport>;
  /** Dependents' targets at risk; with `objective`, those that lose viability if it is lowered to it. */
  getBlastRadius(query: {
    entityRef: string;
    objective?: number;
  }): Promise<{ items: BlastRadiusItem[] }>;
  /** Reviews of an entity or agreement, newest first, with each agreement's review schedule. */
  listReviews(
    query: {
      entityRef?: string;
      agreementId?: string;
      status?: ReviewStatus;
    } & PageQuery,
  ): Promise<{
    items: Review[];
    schedules: ReviewSchedule[];
    nextCursor?: string;
  }>;
  /** Records a held review (default) or opens one; owners only. */
  createReview(input: ReviewInput): Promise<Review>;
  updateReview(id: string, update: ReviewUpdate): Promise<Review>;
  /** The improvement initiatives of an entity and its service improvement plan. */
  listImprovements(
    query: {
      entityRef: string;
      status?: Improvement['status'];
    } & PageQuery,
  ): Promise<{
    items: Improvement[];
    plan: ImprovementPlan;
    nextCursor?: string;
  }>;
  createImprovement(input: ImprovementInput): Promise<Improvement>;
  /** Replaces an initiative (its `entityRef` cannot change) with the version it was read at. */
  updateImprovement(
    id: string,
    input: Omit<ImprovementInput, 'entityRef'> & { version: number },
  ): Promise<Improvement>;
  giveFeedback(input: FeedbackInput): Promise<Feedback>;
  listFeedback(
    query: {
      entityRef: string;
      kind?: FeedbackKind;
      state?: ComplaintState;
    } & PageQuery,
  ): Promise<{ items: Feedback[]; nextCursor?: string }>;
  respondToComplaint(
    id: string,
    response: ComplaintResponseInput,
  ): Promise<Feedback>;
  listCampaigns(entityRef: string): Promise<{ items: SurveyCampaign[] }>;
  openCampaign(input: SurveyCampaignInput): Promise<SurveyCampaign>;
  closeCampaign(id: string, version: number): Promise<SurveyCampaign>;
  getSatisfaction(query: {
    entityRef: string;
    at?: string;
    window?: string;
  }): Promise<Satisfaction>;
  getWatermelon(query: {
    entityRef: string;
    at?: string;
    window?: string;
  }): Promise<Watermelon>;
  /**
   * Every service with agreements and the practice's KPIs over `period`
   * (ISO 8601 duration, default P30D) ending at `at` (default now).
   */
  getPortfolio(query?: PortfolioQuery & PageQuery): Promise<Portfolio>;
  /**
   * Every service matching the query as CSV (the same filters, search and
   * order as getPortfolio), fetched with the user's credentials.
   */
  downloadPortfolio(query?: PortfolioQuery): Promise<ReportDownload>;
  /** The live service report of an entity for a period (default: last full month). */
  getServiceReport(
    query: ReportPeriodQuery & { entityRef: string; at?: string },
  ): Promise<ServiceReport>;
  /** The live report as a file (CSV or JSON), fetched with the user's credentials. */
  downloadServiceReport(
    query: ReportPeriodQuery & { entityRef: string; at?: string },
    format: ReportFormat,
  ): Promise<ReportDownload>;
  listPublishedReports(
    entityRef: string,
  ): Promise<{ items: PublishedReportSummary[] }>;
  /** Freezes the report of a period (owners); 409 when published already. */
  publishReport(
    input: ReportPeriodQuery & { entityRef: string },
  ): Promise<PublishedReport>;
  getPublishedReport(id: string): Promise<PublishedReport>;
  downloadPublishedReport(
    id: string,
    format: ReportFormat,
  ): Promise<ReportDownload>;
  /** The agreement as OpenSLO v1 YAML, as a file. */
  downloadAgreementOpenSlo(id: string): Promise<ReportDownload>;
  /** What pasted OpenSLO YAML would become for the entity (nothing is stored). */
  previewOpenSlo(input: {
    entityRef: string;
    yaml: string;
  }): Promise<OpenSloDraft>;
  /** The state of the entity's OpenSLO files (sla/openslo annotation). */
  listOpenSloSources(entityRef: string): Promise<{ items: OpenSloSource[] }>;
}

/**
 * Paging of a list route: `limit` items (1–500, default 50) after `cursor`
 * (the previous page's `nextCursor`). @public
 */
export type PageQuery = { limit?: number; cursor?: string };

/** The largest page a list route gives. */
const MAX_PAGE = 500;

/**
 * One page when the caller asked for one (`limit` or `cursor`), else every
 * page in turn, joined: the rest of the answer (KPIs, schedules, plan)
 * comes from the first page, where it covers the whole list.
 */
async function pages<T extends { items: unknown[]; nextCursor?: string }>(
  query: PageQuery | undefined,
  fetchPage: (page: PageQuery) => Promise<T>,
): Promise<T> {
  if (query?.limit !== undefined || query?.cursor !== undefined) {
    return fetchPage({ limit: query.limit, cursor: query.cursor });
  }
  const first = await fetchPage({ limit: MAX_PAGE });
  const items = [...first.items];
  let next = first.nextCursor;
  while (next) {
    const page = await fetchPage({ limit: MAX_PAGE, cursor: next });
    items.push(...page.items);
    next = page.nextCursor;
  }
  const { nextCursor: _last, ...rest } = first;
  return { ...rest, items } as T;
}

const withoutUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * What GET /portfolio is asked for: the period, the filters (which narrow
 * the KPIs too) and the order of the services (default entity-ref order;
 * `sort: 'status'` is worst first). @public
 */
export type PortfolioQuery = {
  at?: string;
  period?: string;
  owner?: string;
  kind?: AgreementKind;
  status?: PortfolioStatus;
  search?: string;
  sort?: PortfolioSort;
  order?: 'asc' | 'desc';
  /**
   * true: only services with an agreement awaiting a signature; false:
   * only services without one.
   */
  awaitingSignature?: boolean;
};

/** GET /portfolio's query string values of a PortfolioQuery. */
function portfolioQueryString<T extends PortfolioQuery>(query: T) {
  const { awaitingSignature, ...rest } = query;
  return {
    ...rest,
    awaitingSignature:
      awaitingSignature === undefined
        ? undefined
        : (String(awaitingSignature) as 'true' | 'false'),
  };
}

/** The file formats of a service report. @public */
export type ReportFormat = 'csv' | 'json';

/** A downloaded report: its content and the file name the backend gave it. @public */
export type ReportDownload = { blob: Blob; fileName?: string };

async function download(
  response: TypedResponse<unknown>,
): Promise<ReportDownload> {
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as Response);
  }
  // Readable only when the backend exposes it (same origin or CORS).
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  return {
    blob: await response.blob(),
    ...(match ? { fileName: match[1] } : {}),
  };
}

async function parse<T>(response: TypedResponse<unknown>): Promise<T> {
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as Response);
  }
  return (await response.json()) as T;
}

/**
 * SlaApi over HTTP: wraps the client generated from the OpenAPI spec and
 * turns error answers into ResponseError (with the backend's message and
 * status code).
 * @public
 */
export class SlaClient implements SlaApi {
  private readonly client: DefaultApiClient;
  private readonly discoveryApi: DiscoveryLike;
  private readonly fetchApi: FetchLike;

  constructor(options: { discoveryApi: DiscoveryLike; fetchApi?: FetchLike }) {
    this.client = new DefaultApiClient(options);
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  async listAgreements(query: Parameters<SlaApi['listAgreements']>[0] = {}) {
    return pages(query, async page =>
      parse<{ items: Agreement[]; nextCursor?: string }>(
        await this.client.listAgreements({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async getAgreement(id: string) {
    return parse<Agreement>(await this.client.getAgreement({ path: { id } }));
  }

  async createAgreement(input: AgreementInput) {
    return parse<Agreement>(
      await this.client.createAgreement({ body: input as any }),
    );
  }

  async updateAgreement(id: string, input: AgreementInput) {
    return parse<Agreement>(
      await this.client.updateAgreement({ path: { id }, body: input as any }),
    );
  }

  async transitionAgreement(id: string, request: TransitionRequest) {
    return parse<Agreement>(
      await this.client.transitionAgreement({ path: { id }, body: request }),
    );
  }

  async getAgreementHistory(id: string, query?: PageQuery) {
    return pages(query, async page =>
      parse<{ items: AgreementHistoryEntry[]; nextCursor?: string }>(
        await this.client.getAgreementHistory({
          path: { id },
          query: withoutUndefined(page),
        }),
      ),
    );
  }

  async getAgreementNegotiation(id: string) {
    return parse<AgreementNegotiation>(
      await this.client.getAgreementNegotiation({ path: { id } }),
    );
  }

  async signAgreement(
    id: string,
    request: SignatureRequest & { comment?: string },
  ) {
    return parse<Agreement>(
      await this.client.signAgreement({ path: { id }, body: request }),
    );
  }

  async listAgreementComments(
    id: string,
    query: { open?: boolean } & PageQuery = {},
  ) {
    return pages(query, async page =>
      parse<{ items: AgreementComment[]; nextCursor?: string }>(
        await this.client.listAgreementComments({
          path: { id },
          query: withoutUndefined({ open: query.open, ...page }),
        }),
      ),
    );
  }

  async commentAgreement(
    id: string,
    input: { text: string; party?: AgreementParty },
  ) {
    return parse<AgreementComment>(
      await this.client.commentAgreement({ path: { id }, body: input }),
    );
  }

  async requestAgreementChanges(
    id: string,
    input: { text: string; party?: AgreementParty },
  ) {
    return parse<Agreement>(
      await this.client.requestAgreementChanges({ path: { id }, body: input }),
    );
  }

  async getAccess(entityRef: string) {
    return parse<EntityAccess>(
      await this.client.getAccess({ query: { entityRef } }),
    );
  }

  async listSeries(query: Parameters<SlaApi['listSeries']>[0]) {
    return pages(query, async page =>
      parse<{ items: Series[]; nextCursor?: string }>(
        await this.client.listSeries({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async getPrometheusTemplates() {
    const baseUrl = await this.discoveryApi.getBaseUrl('sla');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/prometheus/templates`,
    );
    if (response.status === 404) return undefined;
    return parse<PrometheusTemplates>(response as TypedResponse<unknown>);
  }

  async ingestMeasurements(items: Measurement[]) {
    return parse<IngestResult>(
      await this.client.ingestMeasurements({ body: { items: items as any } }),
    );
  }

  async recordTicketChanges(items: TicketStateChangeInput[]) {
    return parse<TicketIngestResult>(
      await this.client.recordTicketChanges({ body: { items: items as any } }),
    );
  }

  async listTickets(query: Parameters<SlaApi['listTickets']>[0]) {
    return pages(query, async page =>
      parse<TicketList>(
        await this.client.listTickets({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async getAttainment(query: Parameters<SlaApi['getAttainment']>[0]) {
    return parse<{ items: TargetAttainment[] }>(
      await this.client.getAttainment({ query }),
    );
  }

  async getAttainmentTimeline(
    query: Parameters<SlaApi['getAttainmentTimeline']>[0],
  ) {
    return parse<{ items: AttainmentPoint[] }>(
      await this.client.getAttainmentTimeline({ query }),
    );
  }

  async listBreaches(query: Parameters<SlaApi['listBreaches']>[0]) {
    return pages(query, async page =>
      parse<{ items: Breach[]; nextCursor?: string }>(
        await this.client.listBreaches({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async getViability(query: Parameters<SlaApi['getViability']>[0]) {
    return parse<ViabilityReport>(await this.client.getViability({ query }));
  }

  async getBlastRadius(query: Parameters<SlaApi['getBlastRadius']>[0]) {
    return parse<{ items: BlastRadiusItem[] }>(
      await this.client.getBlastRadius({ query }),
    );
  }

  async listReviews(query: Parameters<SlaApi['listReviews']>[0]) {
    return pages(query, async page =>
      parse<{
        items: Review[];
        schedules: ReviewSchedule[];
        nextCursor?: string;
      }>(
        await this.client.listReviews({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async createReview(input: ReviewInput) {
    return parse<Review>(
      await this.client.createReview({ body: input as any }),
    );
  }

  async updateReview(id: string, update: ReviewUpdate) {
    return parse<Review>(
      await this.client.updateReview({ path: { id }, body: update as any }),
    );
  }

  async listImprovements(query: Parameters<SlaApi['listImprovements']>[0]) {
    return pages(query, async page =>
      parse<{
        items: Improvement[];
        plan: ImprovementPlan;
        nextCursor?: string;
      }>(
        await this.client.listImprovements({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async createImprovement(input: ImprovementInput) {
    return parse<Improvement>(
      await this.client.createImprovement({ body: input as any }),
    );
  }

  async updateImprovement(
    id: string,
    input: Parameters<SlaApi['updateImprovement']>[1],
  ) {
    return parse<Improvement>(
      await this.client.updateImprovement({ path: { id }, body: input as any }),
    );
  }
  async giveFeedback(input: FeedbackInput) {
    return parse<Feedback>(
      await this.client.giveFeedback({ body: input as any }),
    );
  }

  async listFeedback(query: Parameters<SlaApi['listFeedback']>[0]) {
    return pages(query, async page =>
      parse<{ items: Feedback[]; nextCursor?: string }>(
        await this.client.listFeedback({
          query: withoutUndefined({ ...query, ...page }),
        }),
      ),
    );
  }

  async respondToComplaint(id: string, response: ComplaintResponseInput) {
    return parse<Feedback>(
      await this.client.respondToComplaint({ path: { id }, body: response }),
    );
  }

  async listCampaigns(entityRef: string) {
    return parse<{ items: SurveyCampaign[] }>(
      await this.client.listCampaigns({ query: { entityRef } }),
    );
  }

  async openCampaign(input: SurveyCampaignInput) {
    return parse<SurveyCampaign>(
      await this.client.openCampaign({ body: input as any }),
    );
  }

  async closeCampaign(id: string, version: number) {
    return parse<SurveyCampaign>(
      await this.client.closeCampaign({ path: { id }, body: { version } }),
    );
  }

  async getSatisfaction(query: Parameters<SlaApi['getSatisfaction']>[0]) {
    return parse<Satisfaction>(await this.client.getSatisfaction({ query }));
  }

  async getWatermelon(query: Parameters<SlaApi['getWatermelon']>[0]) {
    return parse<Watermelon>(await this.client.getWatermelon({ query }));
  }

  async getPortfolio(query: Parameters<SlaApi['getPortfolio']>[0] = {}) {
    return pages(query, async page =>
      parse<Portfolio>(
        await this.client.getPortfolio({
          query: withoutUndefined({ ...portfolioQueryString(query), ...page }),
        }),
      ),
    );
  }

  async downloadPortfolio(query: PortfolioQuery = {}) {
    return download(
      await this.client.getPortfolio({
        query: withoutUndefined({
          ...portfolioQueryString(query),
          format: 'csv' as const,
        }),
      }),
    );
  }

  async getServiceReport(query: Parameters<SlaApi['getServiceReport']>[0]) {
    return parse<ServiceReport>(await this.client.getServiceReport({ query }));
  }

  async downloadServiceReport(
    query: Parameters<SlaApi['getServiceReport']>[0],
    format: ReportFormat,
  ) {
    return download(
      await this.client.getServiceReport({ query: { ...query, format } }),
    );
  }

  async downloadAgreementOpenSlo(id: string) {
    return download(await this.client.exportAgreementOpenSlo({ path: { id } }));
  }

  async previewOpenSlo(input: { entityRef: string; yaml: string }) {
    return parse<OpenSloDraft>(
      await this.client.previewOpenSlo({ body: input }),
    );
  }

  async listOpenSloSources(entityRef: string) {
    return parse<{ items: OpenSloSource[] }>(
      await this.client.listOpenSloSources({ query: { entityRef } }),
    );
  }

  async listPublishedReports(entityRef: string) {
    return parse<{ items: PublishedReportSummary[] }>(
      await this.client.listPublishedReports({ query: { entityRef } }),
    );
  }

  async publishReport(input: Parameters<SlaApi['publishReport']>[0]) {
    return parse<PublishedReport>(
      await this.client.publishReport({ body: input }),
    );
  }

  async getPublishedReport(id: string) {
    return parse<PublishedReport>(
      await this.client.getPublishedReport({ path: { id } }),
    );
  }

  async downloadPublishedReport(id: string, format: ReportFormat) {
    return download(
      await this.client.getPublishedReport({
        path: { id },
        query: { format },
      }),
    );
  }
}
