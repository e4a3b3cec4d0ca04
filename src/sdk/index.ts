/**
 * Vigil's in-process Node SDK. `createResolver({ url, apiKey })` downloads a snapshot of everything in
 * force, keeps it fresh from the change feed (long poll on /v1/changes, or NATS JetStream when given),
 * and decides locally: no network call per decision. If the feed cannot be reached it keeps serving its
 * last state and says how far behind it may be (`health()`).
 *
 * @example
 *   const vigil = await createResolver({ url: "http://127.0.0.1:8080", apiKey: process.env.VIGIL_KEY! });
 *   const [d] = vigil.resolve({ country: "IN" }, "home_timeline", [{ postId: "p1", authorId: "a1" }]);
 *   if (d.action === "tombstone") render(d.notice.text);
 */
import http from "node:http";
import https from "node:https";
import type { LedgerEntry, Surface } from "../domain/model.ts";
import {
  type Decision,
  type ResolveItem,
  Resolver,
  type UnknownCountryPolicy,
  type Viewer,
} from "../visibility/resolver.ts";
import { RestrictionIndex, type SnapshotRow } from "../visibility/restriction-index.ts";

export type { Decision, ResolveItem, Viewer };

export interface ResolverOptions {
  url: string;
  apiKey: string;
  unknownCountry?: UnknownCountryPolicy;
  /** Seconds the server may hold a long poll open (default 25). */
  pollWaitSeconds?: number;
  /** Called on sync errors (the resolver keeps serving its last state). */
  onError?: (err: Error) => void;
  /** Called after entries were applied, with the new asOf (for metrics). */
  onApplied?: (asOf: number) => void;
  /** Apply entries from NATS JetStream instead of long polling (see `vigil serve` with NATS_URL). */
  nats?: { servers: string | string[]; stream?: string };
}

export interface SdkHealth {
  asOf: number;
  connected: boolean;
  /** Milliseconds since the resolver last heard from the feed (a long poll returning, or a message). */
  sinceLastContactMs: number;
  lastError: string | null;
}

type FeedEntry = LedgerEntry & { display?: { handle: string | null } };

export class VigilResolver {
  readonly index = new RestrictionIndex();
  readonly resolver: Resolver;
  private closed = false;
  private connected = false;
  private lastContact = Date.now();
  private lastError: string | null = null;
  private abort = new AbortController();
  private readonly agent: http.Agent;
  private loop: Promise<void> | null = null;
  private closers: (() => Promise<void>)[] = [];
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ResolverOptions) {
    this.agent = new (opts.url.startsWith("https:") ? https.Agent : http.Agent)({
      keepAlive: true,
      maxSockets: 2,
    });
    this.resolver = new Resolver(this.index, { unknownCountry: opts.unknownCountry ?? "strictest" });
  }

  /** The ledger seq the local state reflects. */
  get asOf(): number {
    return this.index.asOf;
  }

  resolve(viewer: Viewer, surface: Surface, items: readonly ResolveItem[], explain = false): Decision[] {
    return this.resolver.resolve(viewer, surface, items, explain);
  }

  decide(viewer: Viewer, surface: Surface, item: ResolveItem): Decision {
    return this.resolver.decideOne(viewer, surface, item);
  }

  health(): SdkHealth {
    return {
      asOf: this.asOf,
      connected: this.connected,
      sinceLastContactMs: Date.now() - this.lastContact,
      lastError: this.lastError,
    };
  }

  /** GET over the resolver's own keep-alive agent (closed with the resolver), returning the body text. */
  private get(path: string): Promise<string> {
    const url = new URL(path, this.opts.url);
    const request = url.protocol === "https:" ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          agent: this.agent,
          headers: { authorization: `Bearer ${this.opts.apiKey}` },
          signal: this.abort.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if ((res.statusCode ?? 0) >= 400)
              reject(new Error(`${path} answered ${res.statusCode}: ${text.slice(0, 200)}`));
            else resolve(text);
          });
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  /** Loads the snapshot. */
  async init(): Promise<void> {
    let text = await this.get("/v1/visibility/snapshot");
    const firstNl = text.indexOf("\n");
    const head = JSON.parse(text.slice(0, firstNl)) as { asOf: number };
    const body = text;
    const rows = function* () {
      // Walk the text line by line without keeping an array of a million line strings.
      for (let start = firstNl + 1; start < body.length; ) {
        let end = body.indexOf("\n", start);
        if (end < 0) end = body.length;
        if (end > start) yield JSON.parse(body.slice(start, end)) as SnapshotRow;
        start = end + 1;
      }
    };
    this.index.load(rows(), head.asOf);
    text = "";
    this.connected = true;
    this.lastContact = Date.now();
  }

  /** Applies entries in order; a gap (an entry past asOf + 1) is filled from /v1/changes first. */
  private apply(entries: FeedEntry[]): Promise<void> {
    this.applying = this.applying.then(async () => {
      for (const e of entries) {
        if (e.seq <= this.index.asOf) continue;
        if (e.seq > this.index.asOf + 1) await this.catchUp(e.seq - 1);
        this.index.apply(e, e.display);
      }
      if (entries.length > 0) this.opts.onApplied?.(this.index.asOf);
    });
    return this.applying;
  }

  private async catchUp(until: number): Promise<void> {
    while (this.index.asOf < until) {
      const body = JSON.parse(
        await this.get(`/v1/changes?after=${this.index.asOf}&limit=5000&wait=0&display=1`),
      ) as {
        entries: FeedEntry[];
      };
      if (body.entries.length === 0) break;
      for (const e of body.entries) if (e.seq <= until) this.index.apply(e, e.display);
    }
  }

  /** Follows the feed until closed. */
  startFollowing(): void {
    this.loop = this.opts.nats ? this.followNats() : this.followLongPoll();
  }

  private async followLongPoll(): Promise<void> {
    let backoff = 100;
    const wait = this.opts.pollWaitSeconds ?? 25;
    while (!this.closed) {
      try {
        const text = await this.get(`/v1/changes?after=${this.index.asOf}&limit=5000&wait=${wait}&display=1`);
        const body = JSON.parse(text) as { entries: FeedEntry[] };
        await this.apply(body.entries);
        this.connected = true;
        this.lastContact = Date.now();
        this.lastError = null;
        backoff = 100;
      } catch (err) {
        if (this.closed) return;
        this.connected = false;
        this.lastError = (err as Error).message;
        this.opts.onError?.(err as Error);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async followNats(): Promise<void> {
    const { followJetStream } = await import("../stream/jetstream.ts");
    const stop = await followJetStream({
      servers: this.opts.nats!.servers,
      stream: this.opts.nats!.stream,
      fromSeq: () => this.index.asOf + 1,
      onEntry: async (e) => {
        await this.apply([e]);
        this.connected = true;
        this.lastContact = Date.now();
      },
      onError: (err) => {
        this.connected = false;
        this.lastError = err.message;
        this.opts.onError?.(err);
      },
    });
    this.closers.push(stop);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.loop?.catch(() => {});
    this.agent.destroy();
    for (const c of this.closers) await c().catch(() => {});
  }
}

/** Creates a resolver, loads the snapshot and starts following the feed. */
export async function createResolver(opts: ResolverOptions): Promise<VigilResolver> {
  const r = new VigilResolver(opts);
  await r.init();
  r.startFollowing();
  return r;
}
