import path from "node:path";
import type { VigilEnv } from "./env.ts";

export type StoreConfig = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

/** Typed, checked configuration. Disabled integrations are `null`. */
export interface VigilConfig {
  store: StoreConfig;
  /** Where the embedded database, demo files and the lock live. */
  dataDir: string;
  http: {
    host: string;
    port: number;
    jsonBodyLimit: number;
    ingestBodyLimit: number;
    secureCookies: boolean;
  };
  adminKey: string | null;
  natsUrl: string | null;
  logLevel: string;
  /** How often the expiry daemon looks for actions whose time is up. */
  expiryIntervalMs: number;
  /** How often the webhook dispatcher delivers what the outbox holds. */
  outboxIntervalMs: number;
  /** How often order deadlines are checked (due soon, overdue, emergency review). */
  deadlineIntervalMs: number;
  /** Detectors: how often campaigns are re-clustered while serving, and every how much event time while replaying the store at start. */
  detection: { scanIntervalMs: number; replayScanMs: number };
  /** The platform Vigil serves, as named in exports (Lumen recipient) and URLs built from targets. */
  platformName: string;
  platformHost: string;
  /** Ledger checkpoints: the Ed25519 key (PKCS#8 PEM; null: a key file in the data folder), and when to sign. */
  checkpoints: { signingKey: string | null; every: number; intervalMs: number };
  /** Read path: a viewer whose country is unknown is treated as in every country (`strictest`) or in none. */
  unknownCountry: "strictest" | "none";
  /** Trends: tags never seen before that enter the top are held for review instead of shown. */
  trendsHoldNewTags: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
};

function unknownCountry(raw: string | undefined): "strictest" | "none" {
  if (raw === undefined || raw === "strictest" || raw === "none") return raw ?? "strictest";
  throw new ConfigError(`VIGIL_UNKNOWN_COUNTRY must be 'strictest' or 'none', got '${raw}'`);
}

export interface ConfigOverrides {
  dataDir?: string;
  /** Used when LOG_LEVEL is not set (the CLI keeps its own output clean with `warn`). */
  defaultLogLevel?: string;
  port?: number;
  host?: string;
  databaseUrl?: string | null;
}

/** Turns the raw environment (plus command-line overrides) into checked config. */
export function envToConfig(env: VigilEnv, overrides: ConfigOverrides = {}): VigilConfig {
  const dataDir = path.resolve(overrides.dataDir ?? env.dataDir ?? "data");
  const databaseUrl = overrides.databaseUrl === null ? undefined : (overrides.databaseUrl ?? env.databaseUrl);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError("DATABASE_URL must start with postgres:// or postgresql://");
  if (env.adminKey !== undefined && env.adminKey.length < 16)
    throw new ConfigError("VIGIL_ADMIN_KEY must be at least 16 characters long");
  return {
    store: databaseUrl
      ? { kind: "postgres", url: databaseUrl }
      : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    dataDir,
    http: {
      host: overrides.host ?? env.host ?? "127.0.0.1",
      port: overrides.port ?? int("VIGIL_PORT", env.port, 8080, 0, 65535),
      jsonBodyLimit: 1024 * 1024,
      ingestBodyLimit: 32 * 1024 * 1024,
      secureCookies: env.secureCookies === "1" || env.secureCookies === "true",
    },
    adminKey: env.adminKey ?? null,
    natsUrl: env.natsUrl ?? null,
    logLevel: env.logLevel ?? (env.nodeEnv === "test" ? "silent" : (overrides.defaultLogLevel ?? "info")),
    unknownCountry: unknownCountry(env.unknownCountry),
    trendsHoldNewTags: env.trendsHoldNewTags === "1" || env.trendsHoldNewTags === "true",
    expiryIntervalMs: int("VIGIL_EXPIRY_INTERVAL_MS", env.expiryIntervalMs, 5_000, 50, 3_600_000),
    outboxIntervalMs: int("VIGIL_OUTBOX_INTERVAL_MS", env.outboxIntervalMs, 1_000, 50, 3_600_000),
    deadlineIntervalMs: int("VIGIL_DEADLINE_INTERVAL_MS", env.deadlineIntervalMs, 60_000, 50, 86_400_000),
    detection: {
      scanIntervalMs: int("VIGIL_DETECT_SCAN_INTERVAL_MS", env.detectScanIntervalMs, 60_000, 50, 86_400_000),
      replayScanMs:
        60_000 * int("VIGIL_DETECT_REPLAY_SCAN_MINUTES", env.detectReplayScanMinutes, 360, 1, 10_080),
    },
    platformName: env.platformName ?? "Example Platform",
    platformHost: env.platformHost ?? "platform.example",
    checkpoints: {
      signingKey: env.ledgerSigningKey?.replaceAll("\\n", "\n") ?? null,
      every: int("VIGIL_CHECKPOINT_EVERY", env.checkpointEvery, 1000, 1, 10_000_000),
      intervalMs: int("VIGIL_CHECKPOINT_INTERVAL_MS", env.checkpointIntervalMs, 3_600_000, 50, 86_400_000),
    },
  };
}
