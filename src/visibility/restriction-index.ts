/**
 * The resolver's in-memory index of everything in force: restrictions on posts, on accounts, and on
 * hashtags (under their match key). It is built from the ledger's projection and kept fresh by applying
 * ledger entries in seq order, with the same `projectionOps` the database projection uses.
 *
 * Memory: per restricted account or post, an id-table entry (id → slot), three 32-bit cells and the id.
 */
import type { LedgerEntry, SubjectType } from "../domain/model.ts";
import { projectionOps } from "../ledger/projection.ts";
import { BlockedBloom, hashId } from "./bloom.ts";
import { IdTable } from "./id-table.ts";
import {
  decodeRows,
  encodeRows,
  P,
  packSimple,
  type SubjectRows,
  type SubjectView,
  unpackSimple,
  viewOf,
} from "./subject-state.ts";

/** A restriction row as the projection holds it (for building from a snapshot). */
export interface SnapshotRow {
  subjectType: SubjectType;
  subjectId: string;
  key: string;
  seq: number;
  basis: "legal_demand" | "local_law" | null;
  handle?: string | null;
}

/** Handles shared by many subjects (a post's author), stored once. */
class HandleTable {
  private readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  intern(handle: string | null): number {
    if (handle === null) return -1;
    let i = this.index.get(handle);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(handle);
      this.index.set(handle, i);
    }
    return i;
  }
  at(i: number): string | null {
    return i < 0 ? null : (this.list[i] ?? null);
  }
}

/**
 * Restricted accounts or posts. Per subject: an `IdTable` entry (id → slot) and three 32-bit cells
 * (packed restrictions, the seq that set them, the display handle's index). Subjects the packed form
 * cannot say (labels, suppressions, several seqs…) keep their rows as a compact string in a side map.
 * A blocked Bloom filter in front answers most "not restricted" lookups without the id table. Both
 * are keyed by the id's `hashId`, which the resolver computes once per item.
 */
class SubjectTable {
  private readonly ids = new IdTable();
  packed = new Int32Array(1024);
  private seqs = new Uint32Array(1024);
  private handleIdx = new Int32Array(1024);
  private readonly complexRows = new Map<number, string>();
  private readonly views = new Map<number, SubjectView>();
  private readonly free: number[] = [];
  private next = 0;
  private filter = new BlockedBloom(1024);
  private staleInFilter = 0;

  constructor(private readonly handles: HandleTable) {}

  /** False when the id certainly has no restriction (the Bloom filter alone, no Map lookup). */
  mayContain(id: string): boolean {
    return this.filter.mightContain(id);
  }

  /** `mayContain` for many ids at once, from their `hashId`s (see `BlockedBloom.mightContainHashes`). */
  mayContainHashes(hashes: Uint32Array, n: number, out: Uint8Array): void {
    this.filter.mightContainHashes(hashes, n, out);
  }

  /** The subject's slot, or undefined when it has no restriction. */
  slot(id: string): number | undefined {
    const h = hashId(id);
    if (!this.filter.mightContainHash(h)) return undefined;
    const s = this.ids.find(id, h);
    return s < 0 ? undefined : s;
  }

  /**
   * The slot of an id the Bloom filter let through, from its `hashId`, or -1 (no filter probe). Call
   * `touch(hash)` first, for a batch of ids, so that their table reads overlap.
   */
  slotHashed(id: string, hash: number): number {
    return this.ids.find(id, hash);
  }

  /** Starts the id-table read of a hash (see `slotHashed`). */
  touch(hash: number): number {
    return this.ids.touch(hash);
  }

  /** Starts the reads of a slot's cells (see `slotHashed`). */
  touchSlot(slot: number): number {
    return this.packed[slot]! ^ this.handleIdx[slot]!;
  }

  read(id: string): SubjectRows {
    const s = this.ids.find(id, hashId(id));
    if (s < 0) return { keys: new Map(), handle: null };
    const complex = this.complexRows.get(s);
    if (complex !== undefined) return decodeRows(complex);
    return {
      keys: unpackSimple(this.packed[s]!, this.seqs[s]!),
      handle: this.handles.at(this.handleIdx[s]!),
    };
  }

  handleAt(slot: number): string | null {
    if ((this.packed[slot]! & P.complex) === 0) return this.handles.at(this.handleIdx[slot]!);
    const complex = this.complexRows.get(slot);
    return complex !== undefined ? decodeRows(complex).handle : null;
  }

  view(slot: number): SubjectView {
    let v = this.views.get(slot);
    if (!v) {
      v = viewOf(decodeRows(this.complexRows.get(slot)));
      this.views.set(slot, v);
    }
    return v;
  }

  private grow(): void {
    const n = this.packed.length * 2;
    const p = new Int32Array(n);
    p.set(this.packed);
    this.packed = p;
    const q = new Uint32Array(n);
    q.set(this.seqs);
    this.seqs = q;
    const h = new Int32Array(n);
    h.set(this.handleIdx);
    this.handleIdx = h;
  }

  write(id: string, rows: SubjectRows): void {
    const h = hashId(id);
    let s = this.ids.find(id, h);
    if (rows.keys.size === 0) {
      if (s >= 0) {
        this.ids.remove(id, h);
        this.packed[s] = 0;
        this.complexRows.delete(s);
        this.views.delete(s);
        this.free.push(s);
        this.staleInFilter += 1;
        if (this.staleInFilter > this.ids.size / 4 + 1024) this.rebuildFilter();
      }
      return;
    }
    if (s < 0) {
      s = this.free.pop() ?? this.next++;
      if (s >= this.packed.length) this.grow();
      this.ids.insert(id, h, s);
      if (this.ids.size > this.filter.capacity) this.rebuildFilter();
      else this.filter.addHash(h);
    }
    this.views.delete(s);
    const simple = packSimple(rows);
    if (simple) {
      this.packed[s] = simple.packed;
      this.seqs[s] = simple.seq;
      this.handleIdx[s] = this.handles.intern(rows.handle);
      this.complexRows.delete(s);
    } else {
      this.packed[s] = P.complex;
      this.complexRows.set(s, flat(encodeRows(rows)));
    }
  }

  private rebuildFilter(): void {
    this.filter = new BlockedBloom(Math.max(1024, Math.ceil(this.ids.size * 1.25)));
    this.ids.forEachHash((h) => this.filter.addHash(h));
    this.staleInFilter = 0;
  }

  get size(): number {
    return this.ids.size;
  }
}

/** A flat (non-rope) copy of a string built by concatenation, so it is stored compactly. */
const flat = (s: string): string => (s.length > 0 ? JSON.parse(JSON.stringify(s)) : s);

export class RestrictionIndex {
  private readonly handleTable = new HandleTable();
  readonly posts = new SubjectTable(this.handleTable);
  readonly accounts = new SubjectTable(this.handleTable);
  /** Hashtag subject id (as written, may carry * wildcards) → its rows. Few, so kept plainly. */
  readonly hashtags = new Map<string, SubjectRows>();
  private hashtagVersion = 0;
  /** The ledger seq this index reflects: every entry up to it, and none after, is applied. */
  asOf = 0;

  /** Applies one ledger entry. Entries must come in seq order; older ones are ignored. */
  apply(entry: LedgerEntry, display?: { handle?: string | null }): void {
    if (entry.seq <= this.asOf) return;
    const ops = projectionOps(entry, entry.seq);
    const { type, id } = entry.subject;
    const rows =
      type === "hashtag"
        ? (this.hashtags.get(id) ?? { keys: new Map(), handle: null })
        : this.table(type).read(id);
    for (const op of ops.deletes)
      for (const [key, k] of rows.keys)
        if (
          (op.exact ? key === op.key : key.startsWith(op.key)) &&
          (op.onlySeq === null || k.seq === op.onlySeq)
        )
          rows.keys.delete(key);
    for (const u of ops.upserts)
      rows.keys.set(u.key, { seq: u.seq, basis: entry.action === "withhold" ? entry.basis : null });
    if (display?.handle !== undefined) rows.handle = display.handle;
    if (type === "hashtag") {
      if (rows.keys.size === 0) this.hashtags.delete(id);
      else this.hashtags.set(id, rows);
      this.hashtagVersion += 1;
    } else this.table(type).write(id, rows);
    this.asOf = entry.seq;
  }

  /** Loads projection rows (a snapshot as of `asOf`) into an empty index. */
  load(rows: Iterable<SnapshotRow>, asOf: number): void {
    const pending = new Map<string, SubjectRows>();
    for (const r of rows) {
      const k = `${r.subjectType}\u0000${r.subjectId}`;
      let s = pending.get(k);
      if (!s) {
        s = { keys: new Map(), handle: r.handle ?? null };
        pending.set(k, s);
      }
      s.keys.set(r.key, {
        seq: r.seq,
        basis: r.key.startsWith("withhold:") ? (r.basis ?? "legal_demand") : null,
      });
    }
    for (const [k, s] of pending) {
      const [type, id] = k.split("\u0000") as [SubjectType, string];
      if (type === "hashtag") this.hashtags.set(id, s);
      else this.table(type).write(id, s);
    }
    this.hashtagVersion += 1;
    this.asOf = asOf;
  }

  table(type: "account" | "post"): SubjectTable {
    return type === "account" ? this.accounts : this.posts;
  }

  /** Bumped whenever a hashtag restriction changes (matchers rebuild lazily). */
  get hashtagsVersion(): number {
    return this.hashtagVersion;
  }

  get size(): { accounts: number; posts: number; hashtags: number } {
    return { accounts: this.accounts.size, posts: this.posts.size, hashtags: this.hashtags.size };
  }
}
