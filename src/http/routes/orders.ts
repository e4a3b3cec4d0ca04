import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../auth/policy.ts";
import type { AppContext } from "../../context.ts";
import { InvalidRequestError, VigilError } from "../../errors.ts";
import { DecisionRequest } from "../../legal/decisions.ts";
import { OrderRequest, parseOrderCsv } from "../../legal/order-input.ts";
import { ProtectedEntryRequest } from "../../legal/protected.ts";
import { CorrespondenceRequest } from "../../legal/timeline.ts";
import { ErrorBody } from "../errors.ts";

const Recommendation = z.object({
  outcome: z.enum(["withhold", "temporary_withhold", "global_action", "no_action"]),
  countries: z.array(z.string()).optional(),
  reasons: z.array(z.string()),
  relisted: z.boolean(),
  protectedCategory: z
    .string()
    .optional()
    .describe("the subject (or the post's author) is in the protected-category registry"),
  rule: z.string().optional().describe("the platform rule a global action would cite"),
  botLikelihood: z.number().optional().describe("the detectors' bot likelihood of the account or author"),
  botSignals: z.array(z.string()).optional().describe("the signals that moved it most"),
  campaignCase: z.string().optional().describe("the open campaign case the account belongs to"),
});
const OrderHeader = z.object({
  id: z.string(),
  reference: z.string(),
  authority: z.object({
    name: z.string(),
    country: z.string(),
    type: z.string(),
    officer: z.string().nullable().optional(),
    rank: z.string().nullable().optional(),
  }),
  legalBasis: z.string(),
  receivedAt: z.string(),
  deadline: z.string(),
  reviewDeadline: z.string().nullable(),
  emergency: z.boolean(),
  confidential: z.boolean(),
  status: z.string(),
  itemCount: z.number().int().describe("items in the whole order (a page of `items` may hold fewer)"),
});
const OrderOut = OrderHeader.extend({
  items: z.array(
    z.object({
      id: z.string(),
      position: z.number().int(),
      target: z.string(),
      reason: z.string().nullable(),
      resolution: z.enum(["resolved", "unresolvable", "deleted"]),
      subject: z.object({ type: z.enum(["account", "post", "hashtag"]), id: z.string() }).nullable(),
      resolutionNote: z.string().nullable(),
      recommendation: Recommendation.optional().describe("internal: not shown to requesters"),
      decision: z
        .object({
          outcome: z.string(),
          reason: z.string().optional().describe("internal: not shown to requesters"),
          decidedAt: z.string(),
          seq: z.number().int().nullable().optional(),
          revises: z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              "internal, set when this decision revised an earlier one: that decision (outcome, reason, decidedAt, seq, the reversal written for it, and what it revised in turn)",
            ),
        })
        .nullable()
        .optional(),
    }),
  ),
  redacted: z
    .boolean()
    .optional()
    .describe("true when internal notes, or a confidential order's items, are withheld from this key"),
}).meta({ id: "Order" });

/** `6h`, `30m`, `2d` → milliseconds. */
const Duration = z
  .string()
  .regex(/^\d+(m|h|d)$/, "must be a duration like 30m, 6h or 2d")
  .transform(
    (s) =>
      Number(s.slice(0, -1)) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[s.slice(-1) as "m" | "h" | "d"],
  );

const CsvHeader = z.strictObject({
  authorityName: z.string().min(1),
  authorityCountry: z.string(),
  authorityType: z.string(),
  officer: z.string().optional(),
  rank: z.string().optional(),
  legalBasis: z.string().min(1),
  reference: z.string().min(1),
  receivedAt: z.string(),
  deadline: z.string().optional(),
  emergency: z.enum(["true", "false"]).default("false"),
  confidential: z.enum(["true", "false"]).default("false"),
});

/** The CSV: the text of a `text/csv` body, or the bytes of a multipart upload (decoded by `parseOrderCsv`). */
const CsvBody = z.custom<string | Buffer>(
  (v) => typeof v === "string" || Buffer.isBuffer(v),
  "must be the CSV (columns target,reason)",
);

const CSV_FILE_FIELD = "file";
const ORDER_FIELDS: readonly string[] = Object.keys(CsvHeader.shape);
/** Room for every order field and a few unknown ones, so those are named rather than counted. */
const MAX_FORM_FIELDS = 2 * ORDER_FIELDS.length;
/** The longest order field is 1,000 characters (legalBasis): 4 bytes each in UTF-8. */
const MAX_FORM_FIELD_BYTES = 4096;
/** Part types taken as CSV; browsers send text/csv, application/vnd.ms-excel (Windows) or text/plain. */
const CSV_TYPES = new Set([
  "text/csv",
  "application/csv",
  "text/comma-separated-values",
  "text/plain",
  "application/vnd.ms-excel",
]);

/** The multipart body as the OpenAPI document shows it, its fields from the same zod schema. */
const ImportBodyDoc = {
  content: {
    "text/csv": {
      schema: { type: "string", description: "the CSV: a header row target,reason, then one row per item" },
    },
    "multipart/form-data": {
      schema: {
        type: "object",
        required: [CSV_FILE_FIELD],
        additionalProperties: false,
        properties: {
          [CSV_FILE_FIELD]: {
            type: "string",
            format: "binary",
            contentMediaType: "text/csv",
            description:
              "the CSV file (header row target,reason; UTF-8, or UTF-16 with a BOM); exactly one file, in this field",
          },
          ...(z.toJSONSchema(CsvHeader, { io: "input" }).properties ?? {}),
        },
        description:
          "each order field may be sent here or in the query string, not in both; a field missing from both is " +
          "required as in the query",
      },
    },
  },
};

/** A 4xx for a multipart upload, in the API's error shape. */
const uploadError = (message: string, details?: unknown) =>
  new InvalidRequestError(message, details, "invalid_upload");

/** Maps what @fastify/multipart and busboy throw while reading the upload to a precise 4xx. */
function multipartFailure(err: unknown, fileLimit: number): VigilError {
  if (err instanceof VigilError) return err;
  switch ((err as { code?: unknown }).code) {
    case "FST_REQ_FILE_TOO_LARGE":
      return new VigilError(
        "payload_too_large",
        413,
        `the file is larger than the limit of ${fileLimit} bytes (split the order)`,
        { limit: fileLimit },
      );
    case "FST_FILES_LIMIT":
      return uploadError(
        `the upload holds more than one file: send the CSV alone, in form field '${CSV_FILE_FIELD}'`,
      );
    case "FST_FIELDS_LIMIT":
    case "FST_PARTS_LIMIT":
      return uploadError(`the upload has more than ${MAX_FORM_FIELDS} form fields`, {
        limit: MAX_FORM_FIELDS,
      });
    case "FST_PROTO_VIOLATION":
      return uploadError("a form field is named after an object property: it is not an order field");
    case "FST_INVALID_JSON_FIELD_ERROR":
      return uploadError(
        "a form field is typed application/json but is not valid JSON; send order fields as text",
      );
  }
  const message = err instanceof Error ? err.message : String(err);
  return uploadError(`the multipart body could not be read: ${message}`);
}

const isCsvPart = (mimetype: string, filename: string): boolean => {
  const type = mimetype.split(";")[0]!.trim().toLowerCase();
  return (
    CSV_TYPES.has(type) ||
    ((type === "" || type === "application/octet-stream") && filename.toLowerCase().endsWith(".csv"))
  );
};

/**
 * Reads a multipart CSV upload: the one file in field `file`, and the order's fields from the form and the
 * query string (each in one place only), checked against `CsvHeader`. Nothing is stored here; every
 * problem with the upload itself is a 4xx before the CSV is parsed.
 */
async function readCsvUpload(
  req: FastifyRequest,
  fileLimit: number,
): Promise<{ csv: Buffer; fields: Record<string, unknown> }> {
  const form: Record<string, string> = {};
  let csv: Buffer | undefined;
  // The first problem found; later parts are still read (and files drained) so the request ends cleanly.
  let problem: VigilError | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === "file") {
        if (part.fieldname !== CSV_FILE_FIELD) {
          problem ??= uploadError(
            `form field '${part.fieldname}' holds a file: the CSV goes in form field '${CSV_FILE_FIELD}'`,
            { field: part.fieldname },
          );
          part.file.resume();
        } else if (!isCsvPart(part.mimetype, part.filename)) {
          problem ??= new VigilError(
            "unsupported_media_type",
            415,
            `file '${part.filename}' is ${part.mimetype}, not CSV: send it as text/csv (or name it *.csv)`,
            { field: part.fieldname, contentType: part.mimetype },
          );
          part.file.resume();
        } else if (csv !== undefined) {
          problem ??= multipartFailure({ code: "FST_FILES_LIMIT" }, fileLimit);
          part.file.resume();
        } else csv = await part.toBuffer();
        continue;
      }
      const name = part.fieldname;
      if (!ORDER_FIELDS.includes(name))
        problem ??= uploadError(
          `form field '${name}' is not an order field; expected '${CSV_FILE_FIELD}' and ${ORDER_FIELDS.join(", ")}`,
          { field: name },
        );
      else if (name in form) problem ??= uploadError(`form field '${name}' is given twice`, { field: name });
      else if (part.valueTruncated || typeof part.value !== "string")
        problem ??= uploadError(
          `form field '${name}' must be text of at most ${MAX_FORM_FIELD_BYTES} bytes`,
          { field: name },
        );
      else form[name] = part.value;
    }
  } catch (err) {
    throw problem ?? multipartFailure(err, fileLimit);
  }
  if (problem) throw problem;
  if (csv === undefined)
    throw uploadError(`the upload has no file: send the CSV in form field '${CSV_FILE_FIELD}'`);

  const query = req.query as Record<string, unknown>;
  const both = Object.keys(form).filter((k) => k in query);
  if (both.length > 0)
    throw uploadError(
      `${both.map((k) => `'${k}'`).join(", ")} given both in the query string and as a form field: send each field once`,
      { fields: both },
    );
  const fields = { ...query, ...form };
  const checked = CsvHeader.safeParse(fields);
  if (!checked.success) {
    const issues = checked.error.issues.flatMap((i) => {
      const path = i.path.map(String).join(".");
      if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: k, message: "unknown field" }));
      if (i.code === "invalid_type" && i.input === undefined)
        return [{ path, message: "is required: send it in the query string or as a form field" }];
      return [{ path, message: i.message }];
    });
    throw new InvalidRequestError(issues.map((i) => `${i.path}: ${i.message}`).join("; "), { issues });
  }
  return { csv, fields };
}

/** Legal demands (§2). */
export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      "text/csv",
      { parseAs: "string", bodyLimit: ctx.config.http.ingestBodyLimit },
      (_r, body, done) => done(null, body),
    );

    app.post(
      "/v1/orders",
      {
        config: { access: ["create", "order"] },
        bodyLimit: ctx.config.http.ingestBodyLimit,
        schema: {
          tags: ["legal"],
          summary: "Submit a legal demand; every item is resolved and gets a recommendation",
          security: [{ bearer: [] }],
          body: OrderRequest,
          response: {
            200: z.object({ order: OrderOut, duplicate: z.literal(true) }),
            201: z.object({ order: OrderOut, duplicate: z.literal(false) }),
            400: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const r = await ctx.orders.submit(req.body, req.principal);
        return reply.status(r.duplicate ? 200 : 201).send(r as never);
      },
    );

    // The import route sits in its own scope so that multipart parsing, with its limits and hooks,
    // applies to it alone. The text/csv parser above is inherited.
    const csvImport: FastifyPluginAsyncZod = async (scope) => {
      await scope.register(multipart, {
        throwFileSizeLimit: true,
        limits: {
          files: 1,
          fileSize: ctx.config.http.ingestBodyLimit,
          fields: MAX_FORM_FIELDS,
          fieldSize: MAX_FORM_FIELD_BYTES,
          parts: MAX_FORM_FIELDS + 1,
        },
      });

      scope.post(
        "/v1/orders/import",
        {
          config: {
            access: ["create", "order"],
            // The body is CSV text or a multipart form, which the zod transform cannot describe: the
            // rest of the schema goes through it, the body is written out by hand (ImportBodyDoc).
            swaggerTransform: (doc) => {
              const { body: _body, ...schema } = doc.schema;
              const out = jsonSchemaTransform({ ...doc, schema });
              return { ...out, schema: { ...out.schema, body: ImportBodyDoc } };
            },
          },
          bodyLimit: ctx.config.http.ingestBodyLimit,
          preValidation: async (req) => {
            if (!req.isMultipart()) return;
            const upload = await readCsvUpload(req, ctx.config.http.ingestBodyLimit);
            req.query = upload.fields as never;
            req.body = upload.csv as never;
          },
          schema: {
            tags: ["legal"],
            summary:
              "Submit a legal demand as CSV (columns target,reason), as the body or as a multipart upload",
            description:
              "Send the CSV either as the body (`Content-Type: text/csv`) or as `multipart/form-data` with the CSV in " +
              "the one file field `file` (its part typed text/csv, or any CSV-like type with a .csv file name). The " +
              "order's other fields go in the query string; in a multipart upload each may instead be a form field " +
              "beside `file`, but not both: a field given in the query and in the form is rejected, as are unknown " +
              "fields, a second file, a missing file, a file that is not CSV (415) and a file over " +
              `${ctx.config.http.ingestBodyLimit} bytes (413). Every row is checked before anything is stored: ` +
              "one bad row rejects the whole order with a per-row report (`error.details.rows`).",
            security: [{ bearer: [] }],
            consumes: ["text/csv", "multipart/form-data"],
            querystring: CsvHeader,
            body: CsvBody,
            response: {
              200: z.object({ order: OrderOut, duplicate: z.literal(true) }),
              201: z.object({ order: OrderOut, duplicate: z.literal(false) }),
              400: ErrorBody,
              403: ErrorBody,
              413: ErrorBody,
              415: ErrorBody,
            },
          },
        },
        async (req, reply) => {
          const q = req.query;
          const parsed = parseOrderCsv(req.body, {
            authority: {
              name: q.authorityName,
              country: q.authorityCountry,
              type: q.authorityType,
              officer: q.officer,
              rank: q.rank,
            },
            legalBasis: q.legalBasis,
            reference: q.reference,
            receivedAt: q.receivedAt,
            deadline: q.deadline ?? null,
            emergency: q.emergency === "true",
            confidential: q.confidential === "true",
          } as never);
          if ("rows" in parsed)
            throw new InvalidRequestError(
              `the CSV was rejected and nothing was stored: ${parsed.rows.length} bad row(s); first: row ${parsed.rows[0]!.row}: ${parsed.rows[0]!.message}`,
              { rows: parsed.rows },
              "invalid_order",
            );
          const r = await ctx.orders.submit(parsed.order, req.principal);
          return reply.status(r.duplicate ? 200 : 201).send(r as never);
        },
      );
    };
    await app.register(csvImport);

    app.post(
      "/v1/orders/:id/decisions",
      {
        config: { access: ["decide", "order"] },
        bodyLimit: ctx.config.http.ingestBodyLimit,
        schema: {
          tags: ["legal"],
          summary:
            "Record decisions per item or in bulk (with per-item overrides); restricting ones go to the ledger",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          body: DecisionRequest,
          response: {
            200: z.object({
              decided: z.number().int(),
              ledgerEntries: z.number().int(),
              revised: z.number().int().describe("decisions that revised an earlier one (`revise: true`)"),
              items: z.array(
                z.object({
                  item: z.string(),
                  outcome: z.string(),
                  seq: z.number().int().nullable(),
                  reversed: z
                    .number()
                    .int()
                    .optional()
                    .describe(
                      "a revision: the recorded reversal of the measure the earlier decision put in force",
                    ),
                }),
              ),
              status: z.string(),
            }),
            400: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req) => {
        const r = await ctx.decisions.decide(req.params.id, req.body, req.principal);
        await ctx.visibility.waitFor(
          Math.max(0, ...r.items.map((i) => Math.max(i.seq ?? 0, i.reversed ?? 0))),
          2000,
        );
        const order = await ctx.orders.get(req.params.id, req.principal);
        return { ...r, status: order.status };
      },
    );

    app.post(
      "/v1/protected",
      {
        config: { access: ["create", "protected_registry"] },
        schema: {
          tags: ["legal"],
          summary:
            "Register (or re-verify) accounts in the protected-category registry; the key is recorded as verifier",
          security: [{ bearer: [] }],
          body: z.strictObject({ entries: z.array(ProtectedEntryRequest).min(1).max(10_000) }),
          response: { 200: z.object({ registered: z.number().int() }), 400: ErrorBody },
        },
      },
      async (req) => ({
        registered: await ctx.protectedRegistry.upsert(req.body.entries, actorOf(req.principal)),
      }),
    );

    app.get(
      "/v1/protected",
      {
        config: { access: ["read", "protected_registry"] },
        schema: {
          tags: ["legal"],
          summary: "The protected-category registry, with who verified each entry and when",
          security: [{ bearer: [] }],
          response: {
            200: z.object({
              entries: z.array(
                z.object({
                  accountId: z.string(),
                  category: z.string(),
                  verifiedBy: z.string(),
                  verifiedAt: z.string(),
                  note: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ entries: await ctx.protectedRegistry.list() }),
    );

    app.get(
      "/v1/audit/confidential-reads",
      {
        config: { access: ["read", "audit"] },
        schema: {
          tags: ["legal"],
          summary: "Who read confidential orders, and when (admins and auditors)",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ order: z.string().min(1).max(100).optional() }),
          response: {
            200: z.object({
              reads: z.array(
                z.object({ keyId: z.string(), role: z.string(), orderId: z.string(), at: z.string() }),
              ),
            }),
          },
        },
      },
      async (req) => ({ reads: await ctx.orders.confidentialReads(req.query.order) }),
    );

    app.post(
      "/v1/orders/:id/correspondence",
      {
        config: { access: ["decide", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "Record a non-compliance notice, letter or response against an order, with its own deadline",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          body: CorrespondenceRequest,
          response: { 201: z.object({ id: z.string() }), 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await ctx.timeline.record(req.params.id, req.body, req.principal)),
    );

    app.get(
      "/v1/orders/:id/timeline",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "Everything that happened to an order, in order",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          response: {
            200: z.object({
              events: z.array(
                z.object({
                  at: z.string(),
                  kind: z.string(),
                  summary: z.string(),
                  ref: z.union([z.string(), z.number()]).optional(),
                }),
              ),
            }),
            404: ErrorBody,
          },
        },
      },
      async (req) => ({ events: await ctx.timeline.timeline(req.params.id, req.principal) }),
    );

    app.get(
      "/v1/orders/:id",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "An order with its items, resolutions and recommendations",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          querystring: z.strictObject({
            offset: z.coerce
              .number()
              .int()
              .min(0)
              .default(0)
              .describe("items to skip, in position order (for reading a long order in pages)"),
            limit: z.coerce
              .number()
              .int()
              .min(1)
              .max(100_000)
              .optional()
              .describe("items to return; all when absent"),
          }),
          response: { 200: OrderOut, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      // Hand-serialized: a 10,000-item order is megabytes of JSON, and the schema above (kept for the
      // OpenAPI document) is what the service builds; running it through the response validator cost
      // most of the request.
      async (req, reply) =>
        reply.type("application/json; charset=utf-8").send(
          (await ctx.orders.getJson(req.params.id, req.principal, {
            offset: req.query.offset,
            limit: req.query.limit,
          })) as never,
        ),
    );

    app.get(
      "/v1/orders",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "Orders, soonest deadline first; due_within=6h lists what is due",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ due_within: Duration.optional() }),
          response: { 200: z.object({ orders: z.array(OrderHeader) }) },
        },
      },
      async (req) =>
        ({ orders: await ctx.orders.list(req.principal, { dueWithinMs: req.query.due_within }) }) as never,
    );
  };
