/**
 * Re-walks the whole chain: every entry's hash is recomputed from its stored body, `seq` must be
 * contiguous from 1, each `prevHash` must equal the hash before it, the index columns must match the
 * body, and the head row must point at the last entry. Names the first broken entry.
 */
import { asc, gt } from "drizzle-orm";
import { ledger, ledgerHead } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import type { ActionBody } from "../domain/model.ts";
import { entryHash, GENESIS_HASH } from "./canonical.ts";

export interface VerifyReport {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBroken: { seq: number; problem: string } | null;
}

export async function verifyLedger(db: Db, onProgress?: (checked: number) => void): Promise<VerifyReport> {
  const PAGE = 5000;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, problem: string): VerifyReport => ({
    ok: false,
    checked,
    headSeq: checked,
    headHash: prevHash,
    firstBroken: { seq, problem },
  });
  for (;;) {
    const rows = await db
      .select()
      .from(ledger)
      .where(gt(ledger.seq, expectedSeq - 1))
      .orderBy(asc(ledger.seq))
      .limit(PAGE);
    for (const row of rows) {
      if (row.seq !== expectedSeq)
        return broken(expectedSeq, `entry ${expectedSeq} is missing (next stored entry is ${row.seq})`);
      if (row.prevHash !== prevHash)
        return broken(
          row.seq,
          `prev_hash ${row.prevHash} does not match the hash of entry ${row.seq - 1} (${prevHash})`,
        );
      const body = row.body as ActionBody;
      const recomputed = entryHash(row.seq, row.prevHash, body);
      if (recomputed !== row.hash)
        return broken(
          row.seq,
          `stored hash ${row.hash} does not match its content (recomputed ${recomputed}): the entry was altered`,
        );
      if (
        body?.subject?.type !== row.subjectType ||
        body.subject.id !== row.subjectId ||
        body.idempotencyKey !== row.idempotencyKey ||
        Date.parse(body.recordedAt) !== Date.parse(row.recordedAt)
      )
        return broken(
          row.seq,
          "the index columns (subject, idempotency key, recorded_at) do not match the hashed body",
        );
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    onProgress?.(checked);
    if (rows.length < PAGE) break;
  }
  const [head] = await db.select().from(ledgerHead);
  if (!head) return broken(0, "the ledger_head row is missing");
  if (head.seq !== checked || head.hash !== prevHash)
    return broken(
      head.seq > checked ? checked + 1 : head.seq,
      `the head row says seq ${head.seq} / ${head.hash.slice(0, 12)}…, but the chain ends at seq ${checked} / ${prevHash.slice(0, 12)}…`,
    );
  return { ok: true, checked, headSeq: checked, headHash: prevHash, firstBroken: null };
}
