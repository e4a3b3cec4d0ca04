import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../auth/policy.ts";
import type { AppContext } from "../../context.ts";
import { ACTIONS, SOURCE_KINDS, SUBJECT_TYPES } from "../../domain/model.ts";
import { NotFoundError } from "../../errors.ts";
import { accountRecord, postRecord } from "../../ingest/records.ts";
import { ActionRequest } from "../../ledger/actions.ts";
import { entriesWithDisplay } from "../../visibility/service.ts";
import { ErrorBody } from "../errors.ts";
import { LedgerEntryOut, RestrictionOut } from "../schemas.ts";

/** Direct actions (§3), subject state with history (§3) and the change feed (§5). */
export const ledgerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/v1/ledger",
      {
        config: { access: ["read", "ledger"] },
        schema: {
          tags: ["ledger"],
          summary: "Read the ledger a page at a time, filtered and searched (the audit log)",
          description:
            "Newest first unless order=asc. Every word of `q` must occur, case-insensitively, in the entry's seq, subject, reason, actor, source id, rule, legal basis or countries. `total` counts every matching entry (-1 with count=0).",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            action: z.enum(ACTIONS).optional(),
            source: z.enum(SOURCE_KINDS).optional(),
            q: z.string().max(200).optional(),
            order: z.enum(["asc", "desc"]).default("desc"),
            offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
            count: z.enum(["0", "1"]).default("1"),
          }),
          response: {
            200: z.object({
              entries: z.array(LedgerEntryOut),
              total: z.number().int(),
              head: z.number().int().describe("the ledger head when this answer was made"),
            }),
          },
        },
      },
      async (req, reply) => {
        const { count, ...filter } = req.query;
        const head = await ctx.ledger.headSeq();
        const { entries, total } = await ctx.ledger.search({ ...filter, count: count === "1" });
        return reply
          .type("application/json; charset=utf-8")
          .send(`{"entries":${JSON.stringify(entries)},"total":${total},"head":${head}}` as never);
      },
    );

    app.post(
      "/v1/actions",
      {
        config: { access: ["create", "enforcement"] },
        schema: {
          tags: ["enforcement"],
          summary: "Record a direct enforcement action as one ledger entry",
          security: [{ bearer: [] }],
          body: ActionRequest,
          response: {
            200: z
              .object({ entry: LedgerEntryOut, duplicate: z.literal(true) })
              .describe("idempotent replay"),
            201: z.object({ entry: LedgerEntryOut, duplicate: z.literal(false) }),
            400: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const { entry, duplicate } = await ctx.actions.record(req.body, { id: actorOf(req.principal) });
        return duplicate
          ? reply.status(200).send({ entry, duplicate: true })
          : reply.status(201).send({ entry, duplicate: false });
      },
    );

    app.get(
      "/v1/subjects/:type/:id",
      {
        config: { access: ["read", "subject"] },
        schema: {
          tags: ["enforcement"],
          summary: "A subject's current state and full ledger history",
          security: [{ bearer: [] }],
          params: z.strictObject({ type: z.enum(SUBJECT_TYPES), id: z.string().min(1).max(256) }),
          response: {
            200: z.object({
              subject: z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() }),
              record: z
                .record(z.string(), z.unknown())
                .nullable()
                .describe("the ingested account or post, if any"),
              inForce: z.array(RestrictionOut),
              history: z.array(LedgerEntryOut),
            }),
            404: ErrorBody,
          },
        },
      },
      async (req) => {
        const subject = req.params;
        const [record, inForce, history] = await Promise.all([
          subject.type === "account"
            ? accountRecord(ctx.store.db, subject.id)
            : subject.type === "post"
              ? postRecord(ctx.store.db, subject.id)
              : Promise.resolve(null),
          ctx.ledger.state(subject),
          ctx.ledger.history(subject),
        ]);
        if (!record && history.length === 0)
          throw new NotFoundError(
            `Vigil knows no ${subject.type} '${subject.id}': no ingested event and no ledger entry`,
          );
        return { subject, record, inForce, history };
      },
    );

    const ChangesQuery = z.strictObject({
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(10_000).default(1000),
      wait: z.coerce
        .number()
        .int()
        .min(0)
        .max(60)
        .default(25)
        .describe("seconds to hold the request open when there is nothing new"),
      display: z
        .enum(["0", "1"])
        .default("0")
        .describe(
          "1: add `display.handle` (the account's, or the post author's) to each entry, for resolvers",
        ),
    });
    app.get(
      "/v1/changes",
      {
        config: { access: ["read", "ledger"] },
        schema: {
          tags: ["ledger"],
          summary: "Ledger entries after a seq: long poll, or a stream with Accept: text/event-stream",
          security: [{ bearer: [] }],
          querystring: ChangesQuery,
          response: {
            200: z.object({
              entries: z.array(
                LedgerEntryOut.extend({ display: z.object({ handle: z.string().nullable() }).optional() }),
              ),
              next: z.number().int().describe("pass as `after` to continue"),
              head: z.number().int().describe("the ledger head when this answer was made"),
            }),
          },
        },
      },
      async (req, reply) => {
        const { after, limit, wait } = req.query;
        const read = (from: number) =>
          req.query.display === "1"
            ? entriesWithDisplay(ctx.store.db, from, limit)
            : ctx.ledger.entriesAfter(from, limit);
        const abort = new AbortController();
        req.raw.on("close", () => abort.abort());
        if ((req.headers.accept ?? "").includes("text/event-stream")) {
          reply.hijack();
          const res = reply.raw;
          res.writeHead(200, {
            "content-type": "text/event-stream",
            "cache-control": "no-cache",
            connection: "keep-alive",
          });
          let cursor = after;
          let busy = false;
          let again = false;
          const pump = async () => {
            if (busy) {
              again = true;
              return;
            }
            busy = true;
            try {
              do {
                again = false;
                for (;;) {
                  const entries = await read(cursor);
                  for (const e of entries)
                    res.write(`id: ${e.seq}\nevent: entry\ndata: ${JSON.stringify(e)}\n\n`);
                  if (entries.length > 0) cursor = entries[entries.length - 1]!.seq;
                  if (entries.length < limit || abort.signal.aborted) break;
                }
              } while (again && !abort.signal.aborted);
            } catch (err) {
              req.log.error({ err }, "change stream failed");
              res.end();
            } finally {
              busy = false;
            }
          };
          const unsubscribe = ctx.feed.onGrow(() => void pump());
          const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
          abort.signal.addEventListener("abort", () => {
            unsubscribe();
            clearInterval(heartbeat);
          });
          await pump();
          return reply;
        }
        let entries = await read(after);
        if (entries.length === 0 && wait > 0) {
          await ctx.feed.waitPast(after, wait * 1000, abort.signal);
          // The client left, or the server is closing (it drops connections, then closes the store):
          // nobody is there to answer, so no query.
          if (abort.signal.aborted) {
            reply.hijack();
            reply.raw.destroy();
            return;
          }
          entries = await read(after);
        }
        const head = await ctx.ledger.headSeq();
        const next = entries.length > 0 ? entries[entries.length - 1]!.seq : after;
        // Serialized by hand: a page of 10,000 entries through the response schema (kept above for the
        // OpenAPI document) cost most of the request. The entries are the ledger's own, already typed.
        return reply
          .type("application/json; charset=utf-8")
          .send(`{"entries":${JSON.stringify(entries)},"next":${next},"head":${head}}` as never);
      },
    );
  };
