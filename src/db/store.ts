/**
 * The store: one interface, two implementations (embedded PGlite in a data folder, or PostgreSQL),
 * built from the same migrations in `drizzle/`. Services receive `store.db` (or a transaction of it),
 * and never know which one they run on.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import type { StoreConfig } from "../config/config.ts";
import { UnavailableError } from "../errors.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** A database handle or a transaction: services accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Store {
  readonly kind: "pglite" | "postgres";
  readonly db: Db;
  /**
   * Calls `fn` for every NOTIFY on `channel`, from this process or any other sharing the database.
   * Returns a function that stops listening.
   */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: use (and create) this schema, e.g. to isolate a test suite. */
  schemaName?: string;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
}

const MIGRATIONS = fileURLToPath(new URL("../../drizzle", import.meta.url));

export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  return config.kind === "pglite"
    ? openPglite(config.dataDir)
    : openPostgres(config.url, options.schemaName, options.poolSize ?? 10);
}

/** PGlite allows one process per data folder; a lock file turns a second opener into a clear error. */
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, "vigil.lock");
  const tryCreate = (): boolean => {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
  };
  if (!tryCreate()) {
    const pid = Number(fs.readFileSync(lock, "utf8"));
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive)
      throw new UnavailableError(
        `the data folder ${dir} is in use by process ${pid}; stop it, or point this command at the running server with --url`,
      );
    fs.rmSync(lock, { force: true });
    if (!tryCreate()) throw new UnavailableError(`could not lock the data folder ${dir}`);
  }
  return () => fs.rmSync(lock, { force: true });
}

async function openPglite(dataDir: string): Promise<Store> {
  const unlock = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(dataDir);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
    return {
      kind: "pglite",
      db,
      async listen(channel, fn) {
        const stop = await client.listen(channel, fn);
        return async () => stop();
      },
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

const quoteIdent = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name '${name}'`);
  return `"${name}"`;
};

async function openPostgres(url: string, schemaName: string | undefined, poolSize: number): Promise<Store> {
  const clientConfig: pg.ClientConfig = { connectionString: url };
  if (schemaName) {
    const setup = new pg.Client(clientConfig);
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schemaName)}`);
    } finally {
      await setup.end();
    }
    clientConfig.options = `-c search_path=${schemaName}`;
  }
  const pool = new pg.Pool({ ...clientConfig, max: poolSize });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  await migratePg(db as never, { migrationsFolder: MIGRATIONS, migrationsSchema: schemaName ?? "drizzle" });
  const listeners: pg.Client[] = [];
  return {
    kind: "postgres",
    db,
    async listen(channel, fn) {
      const client = new pg.Client(clientConfig);
      await client.connect();
      client.on("notification", (n) => {
        if (n.channel === channel) fn(n.payload ?? "");
      });
      client.on("error", () => {});
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}

/** Runs raw SQL on either driver and returns its rows (both drivers answer `{ rows }`). */
export async function query<T = Record<string, unknown>>(db: Db, q: SQL): Promise<T[]> {
  const res = (await db.execute(q)) as unknown as { rows: T[] };
  return res.rows;
}
