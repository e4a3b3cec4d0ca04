/** Read models of ingested accounts and posts, as the API presents them. */
import { eq } from "drizzle-orm";
import { accounts, posts } from "../db/schema.ts";
import type { Db } from "../db/store.ts";

export async function accountRecord(db: Db, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row
    ? {
        ...row,
        createdAt: new Date(row.createdAt).toISOString(),
        ingestedAt: new Date(row.ingestedAt).toISOString(),
      }
    : null;
}

export async function postRecord(db: Db, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id));
  if (!row) return null;
  return {
    ...row,
    createdAt: new Date(row.createdAt).toISOString(),
    ingestedAt: new Date(row.ingestedAt).toISOString(),
    deletedAt: row.deletedAt === null ? null : new Date(row.deletedAt).toISOString(),
  };
}
