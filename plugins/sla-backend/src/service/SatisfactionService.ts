import { DEFAULT_PAGE_SIZE, Page, PageRequest, pageOfRows } from './pagination';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ComplaintState,
  Feedback,
  FeedbackInput,
  FeedbackKind,
  FieldError,
  Satisfaction,
  SurveyCampaign,
  SurveyCampaignInput,
  Watermelon,
  formatFieldErrors,
  isScoreOnScale,
  parsePositiveDuration,
  slaAgreementReadPermission,
  slaCampaignManagePermission,
  slaComplaintRespondPermission,
  slaFeedbackCreatePermission,
  validateCampaignInput,
  validateComplaintResponse,
  validateFeedbackInput,
} from '@opensla/backstage-plugin-sla-common';
import type { SeedFeedback } from '@opensla/backstage-plugin-sla-node';
import { v4 as uuid } from 'uuid';
import {
  anonymize,
  countedAnswers,
  detectWatermelon,
  isComplaintMoveAllowed,
  satisfactionTrend,
  summarizeScores,
} from '../domain/satisfaction';
import { agreementsInForceAt } from './agreementsInForce';
import { AgreementStore } from '../store/AgreementStore';
import { FeedbackStore, StoredFeedback } from '../store/FeedbackStore';
import { Clock } from './AgreementService';
import { AttainmentService } from './AttainmentService';
import { EntityAccessGuard } from './EntityAccessGuard';

const DEFAULT_WINDOW = 'P30D';
const MAX_WINDOW_MS = 400 * 86_400_000;
const LATEST = 10;

/** Who acts: the user's entity ref, else the service's subject. @internal */
export function principalRef(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
    type: string;
  };
  return p.userEntityRef ?? p.subject ?? p.type;
}

function check(errors: FieldError[]) {
  if (errors.length) throw new InputError(formatFieldErrors(errors));
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * Satisfaction use cases: feedback, survey campaigns, complaints, the
 * satisfaction summary and the watermelon check. Route handlers call one
 * method each; the math is in domain/satisfaction.
 * @internal
 */
export class SatisfactionService {
  constructor(
    private readonly options: {
      feedback: FeedbackStore;
      agreements: AgreementStore;
      attainment: AttainmentService;
      guard: EntityAccessGuard;
      permissions: PermissionsService;
      clock: Clock;
      /**
       * Called after scored feedback is stored (and its entity enqueued for
       * evaluation), with the first instant whose windows hold it (windows
       * end before `at`), e.g. to start the evaluation at once. Must not
       * throw: the feedback is stored.
       */
      onScored?: (entityRef: string, at: number) => Promise<void>;
    },
  ) {}

  private now() {
    return this.options.clock().getTime();
  }

  private async entityFor(entityRef: string) {
    const entity = await this.options.guard.getEntity(entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${entityRef} is not an entity in the catalog`,
      );
    }
    return { entity, ref: stringifyEntityRef(entity) };
  }

  private async assertReadable(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      entityRef,
      undefined,
    );
  }

  /** Any signed-in user may give feedback: the policy decides, ownership does not. */
  async give(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<Feedback> {
    check(validateFeedbackInput(body));
    const input = body as FeedbackInput;
    const { ref } = await this.entityFor(input.entityRef);
    const [decision] = await this.options.permissions.authorize(
      [{ permission: slaFeedbackCreatePermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not give feedback on ${ref}`);
    }
    if (input.agreementId !== undefined) {
      const agreement = await this.options.agreements.get(input.agreementId);
      if (!agreement || agreement.entityRef !== ref) {
        throw new InputError(
          `agreementId ${input.agreementId} is not an agreement of ${ref}`,
        );
      }
      if (
        input.targetId !== undefined &&
        !agreement.targets.some(t => t.id === input.targetId)
      ) {
        throw new InputError(
          `targetId ${input.targetId} is not a target of agreement ${agreement.id}`,
        );
      }
    }
    const now = this.now();
    let score = input.score;
    let scale = input.scale ?? 'csat';
    if (input.campaignId !== undefined) {
      ({ score, scale } = await this.scoreCampaignAnswer(input, ref, now));
    }
    const feedback: StoredFeedback = {
      id: uuid(),
      entityRef: ref,
      kind: input.kind,
      ...(score !== undefined ? { score, scale } : {}),
      ...(input.comment !== undefined ? { comment: input.comment } : {}),
      ...(input.agreementId ? { agreementId: input.agreementId } : {}),
      ...(input.targetId ? { targetId: input.targetId } : {}),
      ...(input.campaignId ? { campaignId: input.campaignId } : {}),
      ...(input.answers ? { answers: input.answers } : {}),
      anonymous: input.anonymous ?? false,
      givenBy: principalRef(credentials),
      givenAt: iso(now),
      version: 1,
      ...(input.kind === 'complaint'
        ? { state: 'open' as ComplaintState, responses: [] }
        : {}),
    };
    // Scored feedback measures XLA targets: the entity is evaluated again
    // (enqueued with the feedback, in its transaction).
    const stored = await this.options.feedback.give(
      feedback,
      score !== undefined ? { entityRef: ref, from: now + 1 } : undefined,
    );
    if (score !== undefined) await this.options.onScored?.(ref, now + 1);
    return anonymize(stored);
  }

  /** Checks a campaign answer; its score is the answer to the first question. */
  private async scoreCampaignAnswer(
    input: FeedbackInput,
    ref: string,
    now: number,
  ) {
    const campaign = await this.options.feedback.getCampaign(input.campaignId!);
    if (!campaign || campaign.entityRef !== ref) {
      throw new InputError(
        `campaignId ${input.campaignId} is not a campaign of ${ref}`,
      );
    }
    if (
      campaign.status !== 'open' ||
      now < Date.parse(campaign.start) ||
      now >= Date.parse(campaign.end)
    ) {
      throw new ConflictError(
        `Campaign ${campaign.title} is not open (${campaign.status}, ${campaign.start} to ${campaign.end})`,
      );
    }
    const errors: FieldError[] = [];
    const answers = input.answers ?? [];
    const seen = new Set<string>();
    answers.forEach((a, i) => {
      const q = campaign.questions.find(x => x.id === a.questionId);
      if (!q) {
        errors.push({
          field: `answers[${i}].questionId`,
          message: `is not a question of the campaign (${campaign.questions
            .map(x => x.id)
            .join(', ')})`,
        });
      } else if (seen.has(q.id)) {
        errors.push({
          field: `answers[${i}].questionId`,
          message: 'answers a question twice',
        });
      } else if (!isScoreOnScale(q.scale, a.score)) {
        errors.push({
          field: `answers[${i}].score`,
          message: `must be a whole number from ${
            q.scale === 'nps' ? '0 to 10' : '1 to 5'
          } (${q.scale})`,
        });
      }
      if (q) seen.add(q.id);
    });
    const headline = campaign.questions[0];
    const first = answers.find(a => a.questionId === headline.id);
    if (!first) {
      errors.push({
        field: 'answers',
        message: `must answer the first question (${headline.id})`,
      });
    }
    check(errors);
    return { score: first!.score, scale: headline.scale };
  }

  async list(
    credentials: BackstageCredentials,
    query: {
      entityRef: string;
      kind?: FeedbackKind;
      state?: ComplaintState;
    },
    page: PageRequest = { limit: DEFAULT_PAGE_SIZE },
  ): Promise<Page<Feedback>> {
    await this.assertReadable(credentials, query.entityRef);
    const rows = await this.options.feedback.list({
      ...query,
      after: page.after as [string, string] | undefined,
      limit: page.limit + 1,
    });
    const { items, nextCursor } = pageOfRows(
      'feedback',
      rows,
      f => [f.givenAt, f.id],
      page.limit,
    );
    return {
      items: items.map(anonymize),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  /** An owner's response to a complaint; a stale version is a 409. */
  async respond(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<Feedback> {
    check(validateComplaintResponse(body));
    const input = body as {
      message: string;
      state?: ComplaintState;
      version: number;
    };
    const complaint = await this.options.feedback.get(id);
    if (!complaint) throw new NotFoundError(`No feedback with id ${id}`);
    const { entity, ref } = await this.entityFor(complaint.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaComplaintRespondPermission,
      ref,
      entity,
    );
    if (complaint.kind !== 'complaint') {
      throw new ConflictError(
        `Only complaints take responses; this is a ${complaint.kind}`,
      );
    }
    if (input.version !== complaint.version) {
      throw new ConflictError(
        `version ${input.version} is stale: the complaint is at version ${complaint.version}; reload it and respond again`,
      );
    }
    const from = complaint.state ?? 'open';
    const to = input.state ?? from;
    if (!isComplaintMoveAllowed(from, to)) {
      throw new ConflictError(
        from === 'resolved'
          ? 'The complaint is resolved'
          : `Cannot move a complaint from ${from} to ${to}`,
      );
    }
    const updated: StoredFeedback = {
      ...complaint,
      state: to,
      version: complaint.version + 1,
      responses: [
        ...(complaint.responses ?? []),
        {
          by: principalRef(credentials),
          at: iso(this.now()),
          message: input.message,
          state: to,
        },
      ],
    };
    if (!(await this.options.feedback.update(updated, complaint.version))) {
      throw new ConflictError(
        `version ${input.version} is stale: the complaint changed meanwhile; reload it and respond again`,
      );
    }
    return anonymize(updated);
  }

  async openCampaign(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<SurveyCampaign> {
    const now = this.now();
    check(validateCampaignInput(body, now));
    const input = body as SurveyCampaignInput;
    const { entity, ref } = await this.entityFor(input.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaCampaignManagePermission,
      ref,
      entity,
    );
    const ids = new Set<string>();
    const questions = input.questions.map((q, i) => {
      let id = q.id ?? `q${i + 1}`;
      while (ids.has(id)) id = `${id}-${i + 1}`;
      ids.add(id);
      return { id, text: q.text, scale: q.scale };
    });
    const campaign: SurveyCampaign = {
      id: uuid(),
      entityRef: ref,
      title: input.title.trim(),
      ...(input.description ? { description: input.description } : {}),
      questions,
      start: input.start ? iso(Date.parse(input.start)) : iso(now),
      end: iso(Date.parse(input.end)),
      status: 'open',
      version: 1,
      createdAt: iso(now),
      createdBy: principalRef(credentials),
    };
    await this.options.feedback.insertCampaign(campaign);
    return campaign;
  }

  async closeCampaign(
    credentials: BackstageCredentials,
    id: string,
    version: number,
  ): Promise<SurveyCampaign> {
    const campaign = await this.options.feedback.getCampaign(id);
    if (!campaign) throw new NotFoundError(`No campaign with id ${id}`);
    const { entity, ref } = await this.entityFor(campaign.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaCampaignManagePermission,
      ref,
      entity,
    );
    if (campaign.status === 'closed') {
      throw new ConflictError(`Campaign ${campaign.title} is already closed`);
    }
    if (version !== campaign.version) {
      throw new ConflictError(
        `version ${version} is stale: the campaign is at version ${campaign.version}`,
      );
    }
    const closed: SurveyCampaign = {
      ...campaign,
      status: 'closed',
      version: campaign.version + 1,
      closedAt: iso(this.now()),
      closedBy: principalRef(credentials),
    };
    if (!(await this.options.feedback.updateCampaign(closed, version))) {
      throw new ConflictError('The campaign changed meanwhile; reload it');
    }
    return closed;
  }

  async listCampaigns(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<SurveyCampaign[]> {
    await this.assertReadable(credentials, entityRef);
    return this.options.feedback.listCampaigns(entityRef);
  }

  private window(at?: string, window?: string) {
    const end = at ? Date.parse(at) : this.now();
    const duration = parsePositiveDuration(window ?? DEFAULT_WINDOW);
    const ms = duration?.toMillis() ?? 0;
    if (!duration || ms > MAX_WINDOW_MS) {
      throw new InputError(
        'window must be a positive ISO 8601 duration of at most 400 days, e.g. P30D',
      );
    }
    return { start: end - ms, end };
  }

  async satisfaction(
    credentials: BackstageCredentials,
    query: { entityRef: string; at?: string; window?: string },
  ): Promise<Satisfaction> {
    const { ref, window, answers, summary } = await this.scores(
      credentials,
      query,
    );
    const counts = await this.options.feedback.counts(
      ref,
      iso(window.start),
      iso(window.end),
    );
    const complaints = { total: 0, open: 0, acknowledged: 0, resolved: 0 };
    let compliments = 0;
    for (const c of counts) {
      if (c.kind === 'compliment') compliments += c.n;
      else {
        complaints.total += c.n;
        const state = (c.state ?? 'open') as ComplaintState;
        complaints[state] += c.n;
      }
    }
    const latest = await this.options.feedback.list({
      entityRef: ref,
      from: iso(window.start),
      to: iso(window.end),
      limit: LATEST,
    });
    return {
      entityRef: ref,
      window: { start: iso(window.start), end: iso(window.end) },
      ...summary,
      trend: satisfactionTrend(answers, window).map(p => ({
        ...p,
        start: iso(p.start),
        end: iso(p.end),
      })),
      complaints,
      compliments,
      latest: latest.map(anonymize),
      watermelon: await this.evaluateWatermelon(ref, window, summary),
    };
  }

  async watermelon(
    credentials: BackstageCredentials,
    query: { entityRef: string; at?: string; window?: string },
  ): Promise<Watermelon> {
    const { ref, window, summary } = await this.scores(credentials, query);
    return this.evaluateWatermelon(ref, window, summary);
  }

  /** The window, after the read check, with its scored answers and figures. */
  private async scores(
    credentials: BackstageCredentials,
    query: { entityRef: string; at?: string; window?: string },
  ) {
    const window = this.window(query.at, query.window);
    await this.assertReadable(credentials, query.entityRef);
    const { ref } = await this.entityFor(query.entityRef);
    const answers = await this.options.feedback.scoredAnswers(
      ref,
      iso(window.start),
      iso(window.end),
    );
    const summary = summarizeScores(countedAnswers(answers, window));
    return { ref, window, answers, summary };
  }

  private async evaluateWatermelon(
    ref: string,
    window: { start: number; end: number },
    summary: { csat: number | null; csatResponses: number },
  ): Promise<Watermelon> {
    // The agreements in force at the window's end, as they were then.
    const agreements = await agreementsInForceAt(
      this.options.agreements,
      ref,
      window.end,
      this.now(),
    );
    const attainment = await this.options.attainment.forAgreements(
      agreements,
      window.end,
    );
    const aspects = new Map(
      agreements.flatMap(a =>
        a.targets.map(t => [`${a.id}/${t.id}`, t.aspect] as const),
      ),
    );
    const evidence = detectWatermelon({
      targets: attainment.map(t => ({
        agreementId: t.agreementId,
        targetId: t.targetId,
        name: t.name,
        aspect: aspects.get(`${t.agreementId}/${t.targetId}`) ?? 'unknown',
        status: t.status,
        attainment: t.attainment,
        objective: t.objective,
      })),
      csat: { csat: summary.csat, responses: summary.csatResponses },
    });
    return { entityRef: ref, ...evidence };
  }

  /**
   * Stores seeded feedback whose id does not exist yet (demo data, imported
   * survey results); invalid items are skipped with a warning. Returns how
   * many were stored.
   */
  async seed(
    seeds: SeedFeedback[],
    warn: (message: string) => void,
  ): Promise<number> {
    let stored = 0;
    for (const seed of seeds) {
      const { campaignId: _c, answers: _a, ...input } = seed.feedback;
      const errors = validateFeedbackInput(input);
      if (errors.length || !Number.isFinite(Date.parse(seed.givenAt))) {
        warn(
          `Skipping seed feedback ${seed.id}: ${
            errors.length
              ? formatFieldErrors(errors)
              : 'givenAt is not an instant'
          }`,
        );
        continue;
      }
      const feedback: StoredFeedback = {
        ...input,
        ...(input.score !== undefined ? { scale: input.scale ?? 'csat' } : {}),
        id: seed.id,
        anonymous: input.anonymous ?? false,
        givenBy: seed.givenBy,
        givenAt: iso(Date.parse(seed.givenAt)),
        version: 1,
        ...(input.kind === 'complaint'
          ? { state: seed.state ?? 'open', responses: seed.responses ?? [] }
          : {}),
      };
      if (await this.options.feedback.insertIfAbsent(feedback)) stored++;
    }
    return stored;
  }
}
