import {
  AuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  UrlReaderService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { AgreementStore } from '../store/AgreementStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { MeasurementRetention } from '../store/measurements/MeasurementRetention';
import { RetentionService } from './RetentionService';
import { readRetentionConfig } from './retentionConfig';
import { FeedbackStore } from '../store/FeedbackStore';
import { ReviewStore } from '../store/ReviewStore';
import { ImprovementStore } from '../store/ImprovementStore';
import { PortfolioStore } from '../store/PortfolioStore';
import { ExpiryStore } from '../store/ExpiryStore';
import { TargetStatusStore } from '../store/TargetStatusStore';
import { BreachStore } from '../store/BreachStore';
import { TargetStateStore } from '../store/TargetStateStore';
import { ReportStore } from '../store/ReportStore';
import { OpenSloSourceStore } from '../store/OpenSloSourceStore';
import { CatalogGraphStore } from '../store/CatalogGraphStore';
import { TicketStore } from '../store/TicketStore';
import { AgreementService } from './AgreementService';
import { SeriesService } from './SeriesService';
import { SeriesStore } from '../store/SeriesStore';
import { AgreementParties } from './AgreementParties';
import { NegotiationService } from './NegotiationService';
import { NegotiationStore } from '../store/NegotiationStore';
import { AttainmentService } from './AttainmentService';
import { BreachService } from './BreachService';
import { EntityAccessGuard } from './EntityAccessGuard';
import { MeasurementService } from './MeasurementService';
import { ReadService } from './ReadService';
import { ExperienceEvaluator } from './ExperienceEvaluator';
import { SatisfactionService } from './SatisfactionService';
import { SlaNotifier } from './SlaNotifier';
import { CatalogGraphIndex } from './CatalogGraphIndex';
import { CatalogGraphSync } from './CatalogGraphSync';
import { ViabilityService } from './ViabilityService';
import { ReviewService } from './ReviewService';
import { ImprovementService } from './ImprovementService';
import { PortfolioService } from './PortfolioService';
import { ExpiryService } from './ExpiryService';
import { readExpiryConfig } from './expiryConfig';
import { ReportService } from './ReportService';
import { OpenSloService } from './OpenSloService';
import { OpenSloSyncService } from './OpenSloSyncService';
import { MetricSourceRunner } from './MetricSourceRunner';
import {
  enqueueEvaluation,
  EvaluationQueueStore,
} from '../store/EvaluationQueueStore';
import { EvaluationWorker, EVALUATION_DEFAULTS } from './EvaluationWorker';
import { TicketService } from './TicketService';

/** What the plugin's services need from Backstage. @internal */
export type SlaServiceDeps = {
  config: RootConfigService;
  logger: LoggerService;
  db: Knex;
  auth: AuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  catalog: CatalogService;
  notifications: NotificationService;
  urlReader: UrlReaderService;
  /** Ids of the metric sources registered by modules. */
  metricSourceIds: () => string[];
  clock: () => Date;
};

/**
 * Builds every store and service of the plugin, in one place, from config.
 * Routes, tasks, actions and start-up seeding receive what they need from
 * the result; nothing here registers anything with Backstage.
 * @internal
 */
export function createSlaServices(deps: SlaServiceDeps) {
  const { config, logger, db, clock } = deps;
  const agreementStore = new AgreementStore(db);
  const measurementStore = new MeasurementStore(db, {
    rangeSumCapacity: config.getOptionalNumber(
      'sla.measurements.rangeSumCacheSize',
    ),
  });
  const guard = new EntityAccessGuard({
    catalog: deps.catalog,
    auth: deps.auth,
    permissions: deps.permissions,
    userInfo: deps.userInfo,
    requireOwnership:
      config.getOptionalBoolean('sla.permissions.requireOwnership') ?? true,
  });
  const feedbackStore = new FeedbackStore(db);
  const ticketStore = new TicketStore(db);
  const attainment = new AttainmentService(
    measurementStore,
    new ExperienceEvaluator(feedbackStore),
    { tickets: ticketStore },
  );
  // The breach evaluator and the portfolio evaluate every service in turn:
  // they use the sums page reads keep but add none.
  const bulkAttainment = new AttainmentService(
    measurementStore,
    new ExperienceEvaluator(feedbackStore),
    { keepSums: false, tickets: ticketStore },
  );
  // The catalog's dependency graph, for breach causes and viability: kept
  // in the database by one replica (sla-catalog-graph-sync), each replica
  // reading the rows changed since the sequence it holds.
  const graphStore = new CatalogGraphStore(db);
  const graph = new CatalogGraphIndex({
    catalog: deps.catalog,
    feed: graphStore,
    auth: deps.auth,
    logger,
    maxAgeMs:
      (config.getOptionalNumber('sla.dependencyGraph.refreshSeconds') ?? 10) *
      1000,
    clock,
  });
  const notifier = new SlaNotifier({
    notifications: deps.notifications,
    logger,
  });
  const late: {
    reviews?: ReviewService;
    reports?: ReportService;
    evaluation?: EvaluationWorker;
    negotiation?: NegotiationService;
  } = {};
  const targetStates = new TargetStateStore(db);
  const breaches = new BreachService({
    breachStore: new BreachStore(db),
    states: targetStates,
    agreements: agreementStore,
    attainment: bulkAttainment,
    graph,
    logger,
    notifier,
    // An event-based review opens with each breach (set up below).
    onOpened: async breach => {
      try {
        await late.reviews?.openForBreach(breach);
      } catch (error) {
        logger.warn(`Opening a review for a breach failed: ${error}`);
      }
      // The entities depending on this one may have breaches whose cause
      // this opening corrects: they are evaluated again.
      try {
        const dependents = (await graph.get())
          .dependents(breach.entityRef)
          .map(d => d.entityRef);
        if (dependents.length) {
          await enqueueEvaluation(db, dependents, breach.at);
          late.evaluation?.wake();
        }
      } catch (error) {
        logger.warn(`Enqueueing the dependents of a breach failed: ${error}`);
      }
    },
  });
  const portfolio = new PortfolioService({
    agreements: agreementStore,
    store: new PortfolioStore(db),
    attainment: bulkAttainment,
    statuses: new TargetStatusStore(db),
    guard,
    catalog: graph,
    clock,
    maxStatusAgeMs:
      (config.getOptionalNumber('sla.portfolio.maxStatusAgeSeconds') ?? 600) *
      1000,
    reports: () => late.reports,
    negotiation: () => late.negotiation,
  });
  // Evaluation off the request path: ingest and feedback enqueue the
  // entities they change in their write transaction; this replica starts
  // evaluating them at once, and every replica claims what is left.
  const queue = new EvaluationQueueStore(db);
  const evaluation = new EvaluationWorker({
    queue,
    evaluate: (ref, at) => breaches.evaluateEntity(ref, at),
    evaluateMany: (refs, at, stopped) =>
      breaches.evaluateEntities(refs, at, stopped),
    // Late data changes the statuses kept for later instants.
    beforeEvaluate: (ref, from) => portfolio.dropSnapshotsAfter([ref], from),
    beforeEvaluateMany: list => portfolio.dropSnapshotsAfterEach(list),
    roundEntities: async (at, full) => {
      if (!full) return targetStates.dueEntityRefs(at);
      const inForce = await agreementStore.list({ status: 'agreed' });
      return [...new Set(inForce.map(a => a.entityRef))];
    },
    clock,
    logger,
    leaseMs:
      (config.getOptionalNumber('sla.evaluation.leaseSeconds') ??
        EVALUATION_DEFAULTS.leaseMs / 1000) * 1000,
    batchSize: config.getOptionalNumber('sla.evaluation.batchSize'),
  });
  late.evaluation = evaluation;
  const onIngested = async () => evaluation.wake();
  const viability = new ViabilityService({
    db,
    agreements: agreementStore,
    guard,
    graph,
  });
  // Who signs for the provider and the customer (issue 16).
  const parties = new AgreementParties({
    guard,
    permissions: deps.permissions,
    userInfo: deps.userInfo,
    signOnBehalf:
      config.getOptionalBoolean('sla.permissions.signOnBehalf') ?? false,
  });
  const agreements = new AgreementService({
    store: agreementStore,
    guard,
    logger,
    clock,
    viability,
    parties,
  });
  const negotiation = new NegotiationService({
    agreements,
    agreementStore,
    store: new NegotiationStore(db),
    parties,
    notifier,
    clock,
  });
  late.negotiation = negotiation;
  const measurements = new MeasurementService({
    store: measurementStore,
    guard,
    onIngested,
  });
  const tickets = new TicketService({
    store: ticketStore,
    agreements: agreementStore,
    guard,
    auth: deps.auth,
    notifier,
    logger,
    clock,
    onIngested,
  });
  const reads = new ReadService({
    agreements: agreementStore,
    attainment,
    breaches,
    guard,
    clock,
  });
  const satisfaction = new SatisfactionService({
    feedback: feedbackStore,
    agreements: agreementStore,
    attainment,
    guard,
    permissions: deps.permissions,
    clock,
    // XLA targets are measured from feedback: evaluate them at once.
    onScored: async () => evaluation.wake(),
  });
  const reviews = new ReviewService({
    reviews: new ReviewStore(db),
    agreementStore,
    agreements,
    attainment,
    satisfaction,
    guard,
    clock,
    signing: negotiation,
  });
  late.reviews = reviews;
  const improvements = new ImprovementService({
    improvements: new ImprovementStore(db),
    agreements: agreementStore,
    guard,
    clock,
  });
  const reports = new ReportService({
    agreements: agreementStore,
    attainment,
    breaches,
    satisfaction,
    reviews,
    improvements,
    reports: new ReportStore(db),
    guard,
    clock,
    graceDays: config.getOptionalNumber('sla.reports.graceDays'),
  });
  late.reports = reports;
  // SLOs as code: the sources the plugin reads are the registered modules.
  const sourceTypes = () =>
    deps.metricSourceIds().map(id => id.toLocaleLowerCase('en-US'));
  const openSloSources = new OpenSloSourceStore(db);
  const openslo = new OpenSloService({
    agreements,
    guard,
    sources: openSloSources,
    sourceTypes,
  });
  const openSloSync = new OpenSloSyncService({
    catalog: deps.catalog,
    auth: deps.auth,
    reader: deps.urlReader,
    agreements: agreementStore,
    sources: openSloSources,
    logger,
    sourceTypes,
    viability,
  });
  // Entities the catalog changed (a new etag: the annotation or anything
  // else in the entity, e.g. after a refresh that re-read its catalog
  // file): their OpenSLO files are read again at once, not only on the
  // schedule.
  const graphSync = new CatalogGraphSync({
    catalog: deps.catalog,
    auth: deps.auth,
    store: graphStore,
    logger,
    onEntityChanged: async entities => {
      await openSloSync.syncChanged(entities, clock().getTime());
    },
  });
  const expiryConfig = readExpiryConfig(config);
  const expiry = new ExpiryService({
    store: new ExpiryStore(db),
    agreements,
    breaches,
    notifier,
    logger,
    noticeDays: expiryConfig.noticeDays,
  });
  const metricSourceRunner = new MetricSourceRunner({
    db,
    agreements: agreementStore,
    measurements: measurementStore,
    guard,
    logger,
    maxBackfillMs: 35 * 86_400_000,
    onIngested,
  });
  const retentionConfig = readRetentionConfig(config);
  const retention = retentionConfig.enabled
    ? new RetentionService({
        agreements: agreementStore,
        store: new MeasurementRetention(db),
        policy: retentionConfig.policy,
        chunkSize: retentionConfig.chunkSize,
        logger,
      })
    : undefined;
  return {
    agreements,
    series: new SeriesService({ store: new SeriesStore(db), guard }),
    negotiation,
    measurements,
    retention,
    reads,
    viability,
    satisfaction,
    reviews,
    improvements,
    portfolio,
    reports,
    openslo,
    openSloSync,
    graphSync,
    breaches,
    expiry,
    expirySchedule: expiryConfig.schedule,
    metricSourceRunner,
    evaluation,
    tickets,
  };
}

/** @internal */
export type SlaServices = ReturnType<typeof createSlaServices>;
