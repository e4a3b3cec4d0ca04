/**
 * Signed checkpoints. Every N entries (and at least hourly while the ledger grows) Vigil signs
 * `"vigil-checkpoint/1\n<seq>\n<hash>"` with an Ed25519 key. A checkpoint published in a transparency
 * report lets anyone holding it later prove that the ledger they are shown is the one the report came
 * from: an altered, removed or reordered entry changes the hash at that seq, even if the tamperer
 * re-chained every hash after it.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import { ledger, ledgerCheckpoints } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import type { Ledger } from "./ledger.ts";
import { verifyLedger } from "./verify.ts";

export const CHECKPOINT_VERSION = "vigil-checkpoint/1";

export const Checkpoint = z
  .strictObject({
    version: z.literal(CHECKPOINT_VERSION),
    seq: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
    signedAt: z.string(),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKey: z.string().min(1).describe("Ed25519 public key, SPKI DER in base64"),
    signature: z.string().min(1).describe("Ed25519 signature of the message, base64"),
  })
  .meta({ id: "Checkpoint" });
export type Checkpoint = z.output<typeof Checkpoint>;

export const checkpointMessage = (seq: number, hash: string): Buffer =>
  Buffer.from(`${CHECKPOINT_VERSION}\n${seq}\n${hash}`, "utf8");

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: string;
  keyId: string;
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== "ed25519")
    throw new Error("the ledger signing key must be an Ed25519 key");
  const der = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return {
    privateKey,
    publicKey: der.toString("base64"),
    keyId: createHash("sha256").update(der).digest("hex").slice(0, 16),
  };
}

/**
 * The signing key: from `pem` (VIGIL_LEDGER_SIGNING_KEY, PKCS#8 PEM) when given, else from
 * `<dataDir>/ledger-signing-key.pem`, created (mode 0600) on first use.
 */
export function loadSigningKey(dataDir: string, pem: string | null): SigningKey {
  if (pem) return fromPrivate(createPrivateKey(pem));
  const file = path.join(dataDir, "ledger-signing-key.pem");
  if (fs.existsSync(file)) return fromPrivate(createPrivateKey(fs.readFileSync(file, "utf8")));
  const { privateKey } = generateKeyPairSync("ed25519");
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  return fromPrivate(privateKey);
}

export interface CheckpointVerification {
  ok: boolean;
  /** The signature is valid for the checkpoint's own public key. */
  signatureValid: boolean;
  /** The checkpoint's key is the one expected (when a key was given to compare with). */
  keyTrusted: boolean | null;
  /** The stored chain verifies from entry 1 to its head. */
  chainValid: boolean;
  /** The stored entry at the checkpoint's seq has the checkpoint's hash. */
  hashMatches: boolean;
  problem: string | null;
}

/** Checks `cp`'s signature, then that this database's ledger contains exactly what it signed. */
export async function verifyCheckpoint(
  db: Db,
  cp: Checkpoint,
  trustedPublicKey?: string,
): Promise<CheckpointVerification> {
  let signatureValid = false;
  try {
    const key = createPublicKey({ key: Buffer.from(cp.publicKey, "base64"), format: "der", type: "spki" });
    signatureValid = verify(
      null,
      checkpointMessage(cp.seq, cp.hash),
      key,
      Buffer.from(cp.signature, "base64"),
    );
  } catch {
    signatureValid = false;
  }
  const keyTrusted = trustedPublicKey === undefined ? null : trustedPublicKey === cp.publicKey;
  const chain = await verifyLedger(db);
  const [row] = await db.select({ hash: ledger.hash }).from(ledger).where(eq(ledger.seq, cp.seq));
  const hashMatches = row?.hash === cp.hash;
  const problem = !signatureValid
    ? "the signature does not verify: the checkpoint was not signed by its key, or was edited"
    : keyTrusted === false
      ? "the checkpoint is signed by a different key than the one trusted"
      : !row
        ? `the ledger has no entry ${cp.seq}: entries were removed`
        : !hashMatches
          ? `entry ${cp.seq} has hash ${row.hash.slice(0, 16)}…, the checkpoint signed ${cp.hash.slice(0, 16)}…: the ledger up to it was altered, removed from or reordered`
          : !chain.ok
            ? `the chain is broken at entry ${chain.firstBroken?.seq}: ${chain.firstBroken?.problem}`
            : null;
  return { ok: problem === null, signatureValid, keyTrusted, chainValid: chain.ok, hashMatches, problem };
}

export interface CheckpointOptions {
  /** Sign after this many new entries. */
  every: number;
  /** And at least this often while the ledger grows. */
  intervalMs: number;
}

export class CheckpointService {
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<Checkpoint | null> | null = null;
  private lastSeq = 0;
  private readonly onCommit = (entries: { seq: number }[]) => {
    const last = entries[entries.length - 1]?.seq ?? 0;
    if (last - this.lastSeq >= this.opts.every)
      void this.signHead().catch((err) => this.logger.error({ err }, "checkpoint failed"));
  };

  constructor(
    private readonly db: Db,
    private readonly ledgerService: Ledger,
    private readonly key: SigningKey,
    private readonly logger: Logger,
    private readonly opts: CheckpointOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get publicKey(): { keyId: string; publicKey: string } {
    return { keyId: this.key.keyId, publicKey: this.key.publicKey };
  }

  /** Signs the current head unless it is already signed; returns the checkpoint (null: empty ledger). */
  async signHead(): Promise<Checkpoint | null> {
    if (this.pending) return this.pending;
    this.pending = (async () => {
      const head = await this.ledgerService.head();
      if (head.seq === 0) return null;
      const existing = await this.latest();
      if (existing && existing.seq >= head.seq) {
        this.lastSeq = existing.seq;
        return existing;
      }
      const signature = sign(null, checkpointMessage(head.seq, head.hash), this.key.privateKey).toString(
        "base64",
      );
      const row = {
        seq: head.seq,
        hash: head.hash,
        signedAt: this.now().toISOString(),
        keyId: this.key.keyId,
        publicKey: this.key.publicKey,
        signature,
      };
      await this.db.insert(ledgerCheckpoints).values(row).onConflictDoNothing();
      this.lastSeq = head.seq;
      this.logger.debug({ seq: head.seq }, "ledger checkpoint signed");
      return (await this.latest())!;
    })().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  async latest(): Promise<Checkpoint | null> {
    const [r] = await this.db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.seq)).limit(1);
    return r ? view(r) : null;
  }

  async list(limit = 100): Promise<Checkpoint[]> {
    const rows = await this.db
      .select()
      .from(ledgerCheckpoints)
      .orderBy(desc(ledgerCheckpoints.seq))
      .limit(limit);
    return rows.map(view);
  }

  /** The latest checkpoint at or before `seq` (what a report as of `seq` publishes). */
  async atOrBefore(seq: number): Promise<Checkpoint | null> {
    const rows = await this.db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.seq));
    const r = rows.find((x) => x.seq <= seq);
    return r ? view(r) : null;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.lastSeq = (await this.latest())?.seq ?? 0;
    this.ledgerService.events.on("commit", this.onCommit);
    const tick = () => {
      this.signHead()
        .catch((err) => this.logger.error({ err }, "checkpoint failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.opts.intervalMs);
  }

  async stop(): Promise<void> {
    this.ledgerService.events.off("commit", this.onCommit);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pending;
  }
}

const view = (r: typeof ledgerCheckpoints.$inferSelect): Checkpoint => ({
  version: CHECKPOINT_VERSION,
  seq: Number(r.seq),
  hash: r.hash,
  signedAt: new Date(r.signedAt).toISOString(),
  keyId: r.keyId,
  publicKey: r.publicKey,
  signature: r.signature,
});
