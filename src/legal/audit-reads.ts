/** The audit log of confidential reads: who read which order's contents, and when. */
import { randomUUID } from "node:crypto";
import { and, eq, gte } from "drizzle-orm";
import type { Principal } from "../auth/policy.ts";
import { auditReads } from "../db/schema.ts";
import type { Db } from "../db/store.ts";

/**
 * Records that `principal` read a confidential order's contents at `at`. With `dedupMs`, a read by the
 * same key within that long of a recorded one is the same reading (the pages of one long order) and
 * is not recorded again.
 */
export async function recordOrderRead(
  db: Db,
  principal: Principal,
  orderId: string,
  at: Date,
  dedupMs = 0,
): Promise<void> {
  if (dedupMs > 0) {
    const [recent] = await db
      .select({ id: auditReads.id })
      .from(auditReads)
      .where(
        and(
          eq(auditReads.resource, "order"),
          eq(auditReads.resourceId, orderId),
          eq(auditReads.keyId, principal.keyId),
          gte(auditReads.at, new Date(at.getTime() - dedupMs).toISOString()),
        ),
      )
      .limit(1);
    if (recent) return;
  }
  await db.insert(auditReads).values({
    id: randomUUID(),
    keyId: principal.keyId,
    role: principal.role,
    resource: "order",
    resourceId: orderId,
    at: at.toISOString(),
  });
}
