/**
 * The protected-category registry: accounts whose speech the platform protects (news media,
 * journalists, activists, politicians), each with who verified the entry and when. Triage recommends
 * no action for them by default; overriding that needs a written justification.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { protectedAccounts } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { PlatformId } from "../ingest/events.ts";
import { Text } from "../ledger/actions.ts";

export const PROTECTED_CATEGORIES = ["news_media", "journalist", "activist", "politician"] as const;
export type ProtectedCategory = (typeof PROTECTED_CATEGORIES)[number];

export const ProtectedEntryRequest = z.strictObject({
  accountId: PlatformId,
  category: z.enum(PROTECTED_CATEGORIES),
  note: Text(1000).nullable().default(null),
});

export interface ProtectedEntry {
  accountId: string;
  category: ProtectedCategory;
  verifiedBy: string;
  verifiedAt: string;
  note: string | null;
}

export class ProtectedRegistry {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds or re-verifies entries (the latest verification wins). */
  async upsert(entries: z.output<typeof ProtectedEntryRequest>[], verifiedBy: string): Promise<number> {
    if (entries.length === 0) return 0;
    const verifiedAt = this.now().toISOString();
    for (let i = 0; i < entries.length; i += 1000)
      await this.db
        .insert(protectedAccounts)
        .values(entries.slice(i, i + 1000).map((e) => ({ ...e, verifiedBy, verifiedAt })))
        .onConflictDoUpdate({
          target: protectedAccounts.accountId,
          set: { category: sqlExcluded("category"), note: sqlExcluded("note"), verifiedBy, verifiedAt },
        });
    return entries.length;
  }

  async remove(accountId: string): Promise<boolean> {
    const rows = await this.db
      .delete(protectedAccounts)
      .where(eq(protectedAccounts.accountId, accountId))
      .returning();
    return rows.length > 0;
  }

  async list(): Promise<ProtectedEntry[]> {
    const rows = await this.db.select().from(protectedAccounts);
    return rows.map((r) => ({
      ...r,
      category: r.category as ProtectedCategory,
      verifiedAt: new Date(r.verifiedAt).toISOString(),
    }));
  }

  /** Entries for these accounts (one query). */
  async lookup(accountIds: string[]): Promise<Map<string, ProtectedEntry>> {
    const out = new Map<string, ProtectedEntry>();
    if (accountIds.length === 0) return out;
    const ids = [...new Set(accountIds)];
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await this.db
        .select()
        .from(protectedAccounts)
        .where(inArray(protectedAccounts.accountId, ids.slice(i, i + 5000)));
      for (const r of rows)
        out.set(r.accountId, {
          ...r,
          category: r.category as ProtectedCategory,
          verifiedAt: new Date(r.verifiedAt).toISOString(),
        });
    }
    return out;
  }
}

const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);
