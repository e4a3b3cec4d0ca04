/**
 * Documents attached to an order (the signed order, annexures), stored with their SHA-256. An upload
 * whose digest the order listed is marked as such; the same document twice is stored once. PDFs are
 * checked to be PDFs. A confidential order's documents follow the order's rules: only legal and admin
 * read them, and each read is audited.
 */
import { createHash, randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { orderAttachments, orders } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { ForbiddenError, InvalidRequestError, NotFoundError } from "../errors.ts";
import { recordOrderRead } from "./audit-reads.ts";
import type { OrderRequest } from "./order-input.ts";

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const ATTACHMENT_TYPES = ["application/pdf", "image/png", "image/jpeg", "text/plain"] as const;

export interface AttachmentView {
  id: string | null;
  filename: string;
  contentType: string;
  sha256: string;
  size: number | null;
  /** The order named this digest when it was submitted. */
  listed: boolean;
  /** False for a document the order listed but nobody has uploaded yet. */
  stored: boolean;
  uploadedAt: string | null;
}

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  "application/pdf": (b) => b.subarray(0, 5).toString("latin1") === "%PDF-",
  "image/png": (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "text/plain": (b) => !b.includes(0),
};

export class AttachmentService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async order(orderId: string) {
    const [row] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    if (!row) throw new NotFoundError(`no order '${orderId}'`);
    return row;
  }

  async upload(
    orderId: string,
    file: { filename: string; contentType: string; content: Buffer },
    principal: Principal,
  ): Promise<{ attachment: AttachmentView; duplicate: boolean }> {
    const order = await this.order(orderId);
    authorize(principal, "create", "order", order.authorityName);
    const type = file.contentType.split(";")[0]!.trim().toLowerCase();
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(type))
      throw new InvalidRequestError(
        `attachments must be one of ${ATTACHMENT_TYPES.join(", ")}; got '${file.contentType}'`,
      );
    if (!/^[^/\\\0]{1,255}$/.test(file.filename))
      throw new InvalidRequestError("filename must be 1-255 characters without slashes");
    if (file.content.length === 0) throw new InvalidRequestError("the document is empty");
    if (file.content.length > MAX_ATTACHMENT_BYTES)
      throw new InvalidRequestError(`a document may be at most ${MAX_ATTACHMENT_BYTES} bytes`);
    if (!MAGIC[type]!(file.content))
      throw new InvalidRequestError(`the content is not a ${type} document (its first bytes do not match)`);
    const sha256 = createHash("sha256").update(file.content).digest("hex");
    const [prior] = await this.db
      .select()
      .from(orderAttachments)
      .where(and(eq(orderAttachments.orderId, orderId), eq(orderAttachments.sha256, sha256)));
    const listed = new Set(((order.body as OrderRequest).attachments ?? []).map((a) => a.sha256));
    if (prior) return { attachment: this.view(prior, listed), duplicate: true };
    const row = {
      id: randomUUID(),
      orderId,
      filename: file.filename,
      contentType: type,
      sha256,
      size: file.content.length,
      content: file.content,
      uploadedBy: principal.keyId,
      uploadedAt: this.now().toISOString(),
    };
    await this.db.insert(orderAttachments).values(row).onConflictDoNothing();
    return { attachment: this.view(row, listed), duplicate: false };
  }

  /** The documents stored, and those the order listed that are still missing. */
  async list(orderId: string, principal: Principal): Promise<AttachmentView[]> {
    const order = await this.readable(orderId, principal, false);
    const rows = await this.db
      .select({
        id: orderAttachments.id,
        filename: orderAttachments.filename,
        contentType: orderAttachments.contentType,
        sha256: orderAttachments.sha256,
        size: orderAttachments.size,
        uploadedAt: orderAttachments.uploadedAt,
      })
      .from(orderAttachments)
      .where(eq(orderAttachments.orderId, orderId))
      .orderBy(asc(orderAttachments.uploadedAt));
    const declared = (order.body as OrderRequest).attachments ?? [];
    const listed = new Set(declared.map((a) => a.sha256));
    const stored = new Set(rows.map((r) => r.sha256));
    return [
      ...rows.map((r) => this.view(r, listed)),
      ...declared
        .filter((a) => !stored.has(a.sha256))
        .map((a) => ({
          id: null,
          filename: a.filename,
          contentType: a.contentType,
          sha256: a.sha256,
          size: null,
          listed: true,
          stored: false,
          uploadedAt: null,
        })),
    ];
  }

  async download(
    orderId: string,
    attachmentId: string,
    principal: Principal,
  ): Promise<{ filename: string; contentType: string; sha256: string; content: Buffer }> {
    await this.readable(orderId, principal, true);
    const [row] = await this.db
      .select()
      .from(orderAttachments)
      .where(and(eq(orderAttachments.orderId, orderId), eq(orderAttachments.id, attachmentId)));
    if (!row) throw new NotFoundError(`order ${orderId} has no attachment '${attachmentId}'`);
    return { filename: row.filename, contentType: row.contentType, sha256: row.sha256, content: row.content };
  }

  /** The order, if `principal` may read its documents; audits confidential reads of content. */
  private async readable(orderId: string, principal: Principal, content: boolean) {
    const order = await this.order(orderId);
    authorize(principal, "read", "order", order.authorityName);
    if (order.confidential && !["legal", "admin", "requester"].includes(principal.role))
      throw new ForbiddenError(
        `order ${orderId} is confidential: its documents are shown to legal and admin only`,
      );
    if (order.confidential && content && principal.role !== "requester")
      await recordOrderRead(this.db, principal, orderId, this.now());
    return order;
  }

  private view(
    r: {
      id: string;
      filename: string;
      contentType: string;
      sha256: string;
      size: number;
      uploadedAt: string;
    },
    listed: Set<string>,
  ): AttachmentView {
    return {
      id: r.id,
      filename: r.filename,
      contentType: r.contentType,
      sha256: r.sha256,
      size: r.size,
      listed: listed.has(r.sha256),
      stored: true,
      uploadedAt: new Date(r.uploadedAt).toISOString(),
    };
  }
}
