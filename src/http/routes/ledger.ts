import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../auth/policy.ts";
import type { AppContext } from "../../context.ts";
import { ACTIONS, SOURCE_KINDS, SUBJECT_TYPES } from "../../domain/model.ts";
import { NotFoundError } from "../../errors.ts";
import { canonicalHashtag, sameHashtagSubject } from "../../hashtags/subject.ts";
import { accountRecord, postRecord } from "../../ingest/records.ts";
import { ActionRequest } from "../../ledger/actions.ts";
import { lastEventId } from "../../ledger/feed.ts";
import { knownHashtags } from "../../ledger/ledger.ts";
import { entriesWithDisplay } from "../../visibility/service.ts";
import { ErrorBody } from "../errors.ts";
import { LedgerEntryOut, RestrictionOut } from "../schemas.ts";

const SpellingOut = z
  .object({ requested: z.string(), recorded: z.string(), message: z.string() })
  .optional()
  .describe("present when a hashtag action was recorded under the existing subject's spelling");

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
          description:
            "A replay of an `idempotencyKey` with the same request returns the original entry (200); with any other field different (subject, action, countries, surfaces, label, expiry, basis, reason, rule, legal basis, source) it is 409 `conflict`, `details.fields` naming them. A reversal (unsuspend, restore, unlabel, unsuppress, unlimit_engagement) that matches nothing in force is 409 `not_in_force`, saying what is in force (`details.inForce`). An action on a hashtag whose match key (and wildcard form) is that of a hashtag subject Vigil already holds applies to that subject and is recorded under its spelling; `spelling` says so when the spelling differed.",
          security: [{ bearer: [] }],
          body: ActionRequest,
          response: {
            200: z
              .object({ entry: LedgerEntryOut, duplicate: z.literal(true), spelling: SpellingOut })
              .describe("idempotent replay"),
            201: z.object({ entry: LedgerEntryOut, duplicate: z.literal(false), spelling: SpellingOut }),
            400: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const { entry, duplicate, spelling } = await ctx.actions.record(req.body, {
          id: actorOf(req.principal),
        });
        return duplicate
          ? reply.status(200).send({ entry, duplicate: true, spelling })
          : reply.status(201).send({ entry, duplicate: false, spelling });
      },
    );

    app.get(
      "/v1/subjects/:type/:id",
      {
        config: { access: ["read", "subject"] },
        schema: {
          tags: ["enforcement"],
          summary: "A subject's current state and full ledger history",
          description:
            "A hashtag is found by its match key (and wildcard form): `casetagqa` finds the subject `CaseTagQa`, which `subject.id` then names.",
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
        let subject = req.params;
        // A hashtag is one subject under every spelling with its match key: answer for the spelling the
        // ledger holds (and, for spellings recorded separately before, for each of them).
        let spellings = [subject.id];
        if (subject.type === "hashtag") {
          const known = await knownHashtags(ctx.store.db);
          const same = sameHashtagSubject(
            subject.id,
            known.map((k) => k.id),
          );
          if (same.length > 0) {
            spellings = same;
            subject = { type: "hashtag", id: canonicalHashtag(subject.id, known) };
          }
        }
        if (spellings.length > 1) {
          const all = await Promise.all(
            spellings.map(async (id) => ({
              inForce: await ctx.ledger.state({ type: "hashtag", id }),
              history: await ctx.ledger.history({ type: "hashtag", id }),
            })),
          );
          return {
            subject,
            record: null,
            inForce: all.flatMap((a) => a.inForce).sort((a, b) => a.seq - b.seq),
            history: all.flatMap((a) => a.history).sort((a, b) => a.seq - b.seq),
          };
        }
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
      after: z.coerce
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          "the seq to read after (default 0); a stream without it resumes after its Last-Event-ID header",
        ),
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
          description:
            "A stream's events carry their seq as `id:`. A reconnecting EventSource sends the last one as the `Last-Event-ID` header: the stream resumes after it when `after` is absent; when both are given, `after` wins. A Last-Event-ID that is not a non-negative integer is a 400 (invalid_request).",
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
        const { limit, wait } = req.query;
        const stream = (req.headers.accept ?? "").includes("text/event-stream");
        // `after` wins over the header; the header is checked before the stream starts (a 400 is JSON).
        const resume = stream ? lastEventId(req.headers["last-event-id"]) : undefined;
        const after = req.query.after ?? resume ?? 0;
        const read = (from: number) =>
          req.query.display === "1"
            ? entriesWithDisplay(ctx.store.db, from, limit)
            : ctx.ledger.entriesAfter(from, limit);
        const abort = new AbortController();
        req.raw.on("close", () => abort.abort());
        if (stream) {
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
