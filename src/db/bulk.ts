/**
 * Bulk inserts as one statement: the rows travel as one JSON parameter and the database unpacks them
 * with `json_populate_recordset`, instead of thousands of bound parameters in many statements.
 * Column names are the table's own (snake_case); values must be JSON-serialisable (no Buffers).
 */

import { getTableName, sql } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./store.ts";

/** Inserts `rows` (objects keyed by the drizzle property names) into `table` in one statement. */
export async function insertMany<T extends PgTable>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const { columns } = getTableConfig(table);
  const byKey = Object.entries(table as unknown as Record<string, { name?: string }>).filter(([, c]) =>
    columns.includes(c as never),
  );
  const payload = rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [key, col] of byKey) {
      const v = (r as Record<string, unknown>)[key];
      if (v !== undefined) out[col.name!] = v;
    }
    return out;
  });
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  const name = getTableName(table);
  await db.execute(
    sql`insert into ${sql.identifier(name)} (${sql.raw(names)})
        select ${sql.raw(names)} from json_populate_recordset(null::${sql.identifier(name)}, ${JSON.stringify(payload)}::json)`,
  );
}
