/** Test helpers: contexts on a fresh PGlite folder or a fresh PostgreSQL schema. */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { envToConfig } from "../src/config/config.ts";
import { type AppContext, type ContextOverrides, createContext } from "../src/context.ts";
import type { ActionBody } from "../src/domain/model.ts";
import { actionBody } from "../src/ledger/testing.ts";

export type StoreKind = "pglite" | "postgres";

export const DATABASE_URL = process.env.DATABASE_URL ?? null;

export interface TestContext {
  ctx: AppContext;
  /** Opens a second, independent context on the same database (PostgreSQL only). */
  second(): Promise<AppContext>;
  /** Runs SQL statements in one transaction as the superuser with triggers disabled, to simulate tampering. */
  tamper(statements: string | string[]): Promise<void>;
  cleanup(): Promise<void>;
}

export const ADMIN_KEY = "test-admin-key-0123456789";

export async function openTestContext(
  kind: StoreKind,
  overrides: ContextOverrides = {},
): Promise<TestContext> {
  if (kind === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-test-"));
    const ctx = await createContext(
      envToConfig({ dataDir: dir, logLevel: "silent", adminKey: ADMIN_KEY }, { databaseUrl: null }),
      overrides,
    );
    return {
      ctx,
      second: () => Promise.reject(new Error("PGlite allows one connection per data folder")),
      async tamper(statements) {
        await ctx.store.db.transaction(async (tx) => {
          await tx.execute(sql.raw("set local session_replication_role = replica"));
          for (const s of [statements].flat()) await tx.execute(sql.raw(s));
        });
      },
      async cleanup() {
        await ctx.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set");
  const schemaName = `vigil_t_${process.pid}_${randomBytes(3).toString("hex")}`;
  const config = envToConfig({ logLevel: "silent", adminKey: ADMIN_KEY, databaseUrl: DATABASE_URL });
  const ctx = await createContext(config, { ...overrides, storeOptions: { schemaName } });
  const others: AppContext[] = [];
  return {
    ctx,
    async second() {
      const c = await createContext(config, { ...overrides, storeOptions: { schemaName } });
      others.push(c);
      return c;
    },
    async tamper(statements) {
      const client = new pg.Client({
        connectionString: DATABASE_URL,
        options: `-c search_path=${schemaName}`,
      });
      await client.connect();
      try {
        await client.query("begin");
        await client.query("set local session_replication_role = replica");
        for (const s of [statements].flat()) await client.query(s);
        await client.query("commit");
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      for (const o of others) await o.close();
      await ctx.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schemaName}" cascade`);
      await client.end();
    },
  };
}

let n = 0;
/** A complete action body for tests, on a fresh account unless overridden. */
export function body(over: Partial<ActionBody> = {}): ActionBody {
  n += 1;
  return actionBody({
    subject: { type: "account", id: `acct-${n}` },
    recordedAt: new Date().toISOString(),
    ...over,
  });
}
