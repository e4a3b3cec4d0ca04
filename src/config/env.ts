/**
 * The only file that reads `process.env`. Everything is optional here; `config.ts` checks values and
 * fills defaults, so the rest of the code sees typed config only.
 */
export interface VigilEnv {
  dataDir?: string;
  databaseUrl?: string;
  natsUrl?: string;
  adminKey?: string;
  host?: string;
  port?: string;
  logLevel?: string;
  expiryIntervalMs?: string;
  outboxIntervalMs?: string;
  deadlineIntervalMs?: string;
  ledgerSigningKey?: string;
  checkpointEvery?: string;
  checkpointIntervalMs?: string;
  platformName?: string;
  secureCookies?: string;
  detectScanIntervalMs?: string;
  detectReplayScanMinutes?: string;
  platformHost?: string;
  nodeEnv?: string;
  unknownCountry?: string;
  trendsHoldNewTags?: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): VigilEnv {
  const v = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  return {
    dataDir: v("VIGIL_DATA_DIR"),
    databaseUrl: v("DATABASE_URL"),
    natsUrl: v("NATS_URL"),
    adminKey: v("VIGIL_ADMIN_KEY"),
    host: v("VIGIL_HOST") ?? v("HOST"),
    port: v("VIGIL_PORT") ?? v("PORT"),
    logLevel: v("LOG_LEVEL"),
    expiryIntervalMs: v("VIGIL_EXPIRY_INTERVAL_MS"),
    outboxIntervalMs: v("VIGIL_OUTBOX_INTERVAL_MS"),
    deadlineIntervalMs: v("VIGIL_DEADLINE_INTERVAL_MS"),
    ledgerSigningKey: v("VIGIL_LEDGER_SIGNING_KEY"),
    checkpointEvery: v("VIGIL_CHECKPOINT_EVERY"),
    checkpointIntervalMs: v("VIGIL_CHECKPOINT_INTERVAL_MS"),
    platformName: v("VIGIL_PLATFORM_NAME"),
    secureCookies: v("VIGIL_SECURE_COOKIES"),
    detectScanIntervalMs: v("VIGIL_DETECT_SCAN_INTERVAL_MS"),
    detectReplayScanMinutes: v("VIGIL_DETECT_REPLAY_SCAN_MINUTES"),
    platformHost: v("VIGIL_PLATFORM_HOST"),
    nodeEnv: v("NODE_ENV"),
    unknownCountry: v("VIGIL_UNKNOWN_COUNTRY"),
    trendsHoldNewTags: v("VIGIL_TRENDS_HOLD_NEW_TAGS"),
  };
}
