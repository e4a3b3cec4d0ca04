/**
 * How a ledger entry changes the projection (`enforcement_state`): every restriction in force is one
 * row keyed by what it restricts. The mapping is a pure function of the entry, so the projection can
 * always be rebuilt by replaying the ledger.
 *
 * Keys: `suspend`, `withhold:<CC|*>`, `label:<name>:<CC|*>`, `suppress:<surface>:<CC|*>`,
 * `limit_engagement:<CC|*>` (`*` = everywhere).
 */
import type { ActionBody } from "../domain/model.ts";

/** One restriction in force. The projection stores key, seq and expiry; `detail` comes from the entry. */
export interface StateRow {
  key: string;
  seq: number;
  expiresAt: string | null;
}

export interface StateRowWithDetail extends StateRow {
  detail: RestrictionDetail;
}

/** What the read path and the API need to know about a restriction in force. */
export interface RestrictionDetail {
  action: ActionBody["action"];
  countries: string[] | null;
  surfaces: string[] | null;
  label: string | null;
  basis: ActionBody["basis"];
  reason: string;
  rule: string | null;
  legalBasis: string | null;
  source: ActionBody["source"];
  since: string;
}

/** Remove rows whose key equals `key` (exact) or starts with it (prefix); with `onlySeq`, only rows set by that entry. */
export interface DeleteOp {
  key: string;
  exact: boolean;
  onlySeq: number | null;
}

export interface ProjectionOps {
  upserts: StateRow[];
  deletes: DeleteOp[];
}

const scopes = (countries: string[] | null): string[] => (countries === null ? ["*"] : countries);

/** What the entry behind a restriction said, as the API presents it. */
export function restrictionDetail(body: ActionBody): RestrictionDetail {
  return {
    action: body.action,
    countries: body.countries,
    surfaces: body.surfaces,
    label: body.label,
    basis: body.basis,
    reason: body.reason,
    rule: body.rule,
    legalBasis: body.legalBasis,
    source: body.source,
    since: body.recordedAt,
  };
}

export function projectionOps(body: ActionBody, seq: number): ProjectionOps {
  const set = (keys: string[]): ProjectionOps => ({
    upserts: keys.map((key) => ({ key, seq, expiresAt: body.expiresAt })),
    deletes: [],
  });
  const onlySeq = body.reverses;
  // A recorded reversal of one entry (e.g. on expiry) removes exactly what that entry put in force.
  const del = (exactKeys: string[] | null, prefix: string): ProjectionOps => ({
    upserts: [],
    deletes:
      exactKeys === null || onlySeq !== null
        ? [{ key: prefix, exact: false, onlySeq }]
        : exactKeys.map((key) => ({ key, exact: true, onlySeq })),
  });
  const countryKeys = (prefix: string) =>
    body.countries === null ? null : body.countries.map((c) => prefix + c);

  switch (body.action) {
    case "suspend":
      return set(["suspend"]);
    case "unsuspend":
      return { upserts: [], deletes: [{ key: "suspend", exact: true, onlySeq }] };
    case "withhold":
      return set(scopes(body.countries).map((c) => `withhold:${c}`));
    case "restore":
      return del(countryKeys("withhold:"), "withhold:");
    case "label":
      return set(scopes(body.countries).map((c) => `label:${body.label}:${c}`));
    case "unlabel":
      return del(countryKeys(`label:${body.label}:`), `label:${body.label}:`);
    case "limit_engagement":
      return set(scopes(body.countries).map((c) => `limit_engagement:${c}`));
    case "unlimit_engagement":
      return del(countryKeys("limit_engagement:"), "limit_engagement:");
    case "suppress":
      return set(
        (body.surfaces ?? []).flatMap((s) => scopes(body.countries).map((c) => `suppress:${s}:${c}`)),
      );
    case "unsuppress": {
      if (body.surfaces === null) return del(null, "suppress:");
      const ops: ProjectionOps = { upserts: [], deletes: [] };
      for (const s of body.surfaces)
        ops.deletes.push(...del(countryKeys(`suppress:${s}:`), `suppress:${s}:`).deletes);
      return ops;
    }
  }
}

/** Whether a delete op removes this row. */
export const matches = (op: DeleteOp, row: StateRow): boolean =>
  (op.exact ? row.key === op.key : row.key.startsWith(op.key)) &&
  (op.onlySeq === null || row.seq === op.onlySeq);

/**
 * The net effect of several entries on one subject, in order: deletes run first in SQL, then upserts,
 * so an upsert that a later entry removed is dropped here.
 */
export class SubjectDelta {
  readonly upserts = new Map<string, StateRow>();
  readonly deletes: DeleteOp[] = [];

  apply(ops: ProjectionOps): void {
    for (const op of ops.deletes) {
      for (const [key, row] of this.upserts) if (matches(op, row)) this.upserts.delete(key);
      this.deletes.push(op);
    }
    for (const row of ops.upserts) this.upserts.set(row.key, row);
  }
}

/** Applies ops to an in-memory state (a map key → row); used for tests and for rebuilding. */
export function applyToState(state: Map<string, StateRow>, ops: ProjectionOps): void {
  for (const op of ops.deletes) for (const [key, row] of state) if (matches(op, row)) state.delete(key);
  for (const row of ops.upserts) state.set(row.key, row);
}
