/**
 * AppContext: the one place that builds everything from typed config. The server, the CLI and the
 * tests all get their services from here; `overrides` swap parts (e.g. a clock in tests).
 */
import { AppealService } from "./appeals/appeals.ts";
import { KeyService } from "./auth/keys.ts";
import { UserService } from "./auth/users.ts";
import { CaseService } from "./cases/cases.ts";
import { DetectionService } from "./cases/detection.ts";
import { CaseEnforcer } from "./cases/enforce.ts";
import { ReportService } from "./cases/reports.ts";
import type { VigilConfig } from "./config/config.ts";
import { type OpenStoreOptions, openStore, type Store } from "./db/store.ts";
import { IngestService } from "./ingest/ingest.ts";
import { ActionService } from "./ledger/actions.ts";
import { CheckpointService, loadSigningKey } from "./ledger/checkpoints.ts";
import { ExpiryDaemon } from "./ledger/expiry.ts";
import { ChangeFeed } from "./ledger/feed.ts";
import { Ledger } from "./ledger/ledger.ts";
import { AttachmentService } from "./legal/attachments.ts";
import { DeadlineWatcher } from "./legal/deadlines.ts";
import { OrderDecider } from "./legal/decisions.ts";
import { OrderMeasures } from "./legal/measures.ts";
import { OrderService } from "./legal/orders.ts";
import { ProtectedRegistry } from "./legal/protected.ts";
import { ComplianceResponses } from "./legal/response.ts";
import { OrderTimeline } from "./legal/timeline.ts";
import { createLogger, type Logger } from "./logger.ts";
import { WebhookDispatcher, WebhookService } from "./outbox/webhooks.ts";
import { JetStreamIngestConsumer } from "./stream/ingest-consumer.ts";
import { JetStreamRelayService } from "./stream/relay.ts";
import { ExportService } from "./transparency/exports.ts";
import { TransparencyService } from "./transparency/report.ts";
import { TrendsService } from "./trends/service.ts";
import { GeoIp } from "./visibility/geo.ts";
import { ResolverService } from "./visibility/service.ts";

export interface ContextOverrides {
  logger?: Logger;
  now?: () => Date;
  store?: Store;
  storeOptions?: OpenStoreOptions;
}

export interface AppContext {
  config: VigilConfig;
  logger: Logger;
  store: Store;
  ledger: Ledger;
  actions: ActionService;
  ingest: IngestService;
  keys: KeyService;
  /** Console users and sessions. */
  users: UserService;
  expiry: ExpiryDaemon;
  feed: ChangeFeed;
  /** The server's read-path resolver (call `visibility.start()` before serving decisions). */
  visibility: ResolverService;
  geo: GeoIp;
  /** Trends and search suggestions (call `start()` to build them from the store). */
  trends: TrendsService;
  orders: OrderService;
  decisions: OrderDecider;
  protectedRegistry: ProtectedRegistry;
  timeline: OrderTimeline;
  /** Emergency confirmation and restoration of an order's measures. */
  measures: OrderMeasures;
  attachments: AttachmentService;
  responses: ComplianceResponses;
  deadlines: DeadlineWatcher;
  appeals: AppealService;
  cases: CaseService;
  reports: ReportService;
  /** Bulk enforcement from review cases. */
  enforcer: CaseEnforcer;
  /** Detectors feeding review cases, trends and triage (call `start()` to replay the store and follow ingest). */
  detection: DetectionService;
  webhooks: WebhookService;
  /** Signed ledger checkpoints (call `start()` to sign every N entries and hourly). */
  checkpoints: CheckpointService;
  /** Transparency and compliance reports, computed from the stored records. */
  transparency: TransparencyService;
  /** DSA statements, Lumen notices and the consistency audit's cases, read from the store. */
  exports: ExportService;
  /** Delivers outbox events to webhooks (call `start()`). */
  dispatcher: WebhookDispatcher;
  /** Relays the ledger to NATS JetStream when NATS_URL is set (call `start()`), else null. */
  jetstream: JetStreamRelayService | null;
  /** Consumes platform events from NATS JetStream when NATS_URL is set (call `start()`), else null. */
  ingestConsumer: JetStreamIngestConsumer | null;
  now: () => Date;
  close(): Promise<void>;
}

export async function createContext(
  config: VigilConfig,
  overrides: ContextOverrides = {},
): Promise<AppContext> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const now = overrides.now ?? (() => new Date());
  const store = overrides.store ?? (await openStore(config.store, overrides.storeOptions));
  const ledger = new Ledger(store.db);
  const expiry = new ExpiryDaemon(store.db, ledger, logger, now);
  const feed = new ChangeFeed(store, ledger);
  const visibility = new ResolverService(
    store.db,
    feed,
    logger,
    { unknownCountry: config.unknownCountry },
    now,
  );
  const geo = await GeoIp.open();
  const decisions = new OrderDecider(store.db, ledger, now);
  const protectedRegistry = new ProtectedRegistry(store.db, now);
  const ingest = new IngestService(store.db, now);
  const trends = new TrendsService(store.db, ingest, visibility, logger, {
    holdNewTags: config.trendsHoldNewTags,
  });
  const orderService = new OrderService(store.db, visibility, decisions, protectedRegistry, now);
  const cases = new CaseService(store.db, now);
  const enforcer = new CaseEnforcer(store.db, ledger, cases, protectedRegistry, now);
  const detection = new DetectionService(
    store.db,
    ingest,
    cases,
    enforcer,
    protectedRegistry,
    logger,
    config.detection,
    now,
  );
  trends.setCoordination((id) => detection.coordinationOf(id));
  orderService.setTriage((id) => {
    const r = detection.accountReport(id);
    return r
      ? {
          botLikelihood: r.score,
          signals: r.signals,
          campaignCase: detection.campaignCaseOf(id, r.campaignId),
          coordination: r.coordination,
        }
      : null;
  });
  const checkpoints = new CheckpointService(
    store.db,
    ledger,
    loadSigningKey(config.dataDir, config.checkpoints.signingKey),
    logger,
    config.checkpoints,
    now,
  );
  const dispatcher = new WebhookDispatcher(store.db, logger, now);
  const deadlines = new DeadlineWatcher(store.db, logger, now);
  const ingestConsumer = config.natsUrl ? new JetStreamIngestConsumer(config.natsUrl, ingest, logger) : null;
  const jetstream = config.natsUrl ? new JetStreamRelayService(config.natsUrl, store.db, feed, logger) : null;
  return {
    config,
    logger,
    store,
    ledger,
    actions: new ActionService(ledger, now),
    ingest,
    keys: new KeyService(store.db, config.adminKey, now),
    users: new UserService(store.db, now),
    expiry,
    feed,
    visibility,
    geo,
    trends,
    orders: orderService,
    decisions,
    protectedRegistry,
    timeline: new OrderTimeline(store.db, now),
    measures: new OrderMeasures(store.db, ledger, decisions, now),
    attachments: new AttachmentService(store.db, now),
    responses: new ComplianceResponses(store.db, orderService, now),
    deadlines,
    appeals: new AppealService(store.db, ledger, cases, now),
    cases,
    reports: new ReportService(store.db, cases, now),
    enforcer,
    detection,
    webhooks: new WebhookService(store.db, now),
    dispatcher,
    checkpoints,
    transparency: new TransparencyService(store.db, checkpoints, now),
    exports: new ExportService(store.db, orderService, {
      platformName: config.platformName,
      host: config.platformHost,
    }),
    jetstream,
    ingestConsumer,
    now,
    async close() {
      await detection.stop();
      await checkpoints.stop();
      await dispatcher.stop();
      await deadlines.stop();
      await visibility.stop();
      trends.stop();
      await ingestConsumer?.stop();
      await jetstream?.stop();
      await expiry.stop();
      await feed.close();
      if (!overrides.store) await store.close();
    },
  };
}
