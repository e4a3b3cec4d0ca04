import { useEffect, useMemo, useState } from "react";
import { Badge, ErrorBox, Field, Loading, UserText } from "../components/ui.tsx";
import { ApiError, api, qs } from "../lib/api.ts";
import { humanize } from "../lib/format.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { can, useSession } from "../lib/session.tsx";
import type { Case, Order, OrderHeader, Trend, VisibilityDecision } from "../lib/types.ts";

export const DEMO_AT = "2021-02-04T12:00:00Z";
const COUNTRIES = ["IN", "US", "GB", "DE", "PK", "CA", "FR", "BR", "AU", "JP"];

interface PostRec {
  id: string;
  authorId: string;
  text: string;
  hashtags: string[];
  handle?: string;
}

/** The demo's posts and accounts the console can name: order items and case subjects (it has no list of posts). */
async function gatherIds(
  user: ReturnType<typeof useSession>["user"],
): Promise<{ posts: string[]; accounts: string[] }> {
  const posts = new Set<string>();
  const accounts = new Set<string>();
  if (can(user, "read", "order")) {
    const { orders } = await api<{ orders: OrderHeader[] }>("/v1/orders");
    for (const h of orders.slice(0, 4)) {
      const o = await api<Order>(`/v1/orders/${h.id}`).catch(() => null);
      for (const i of o?.items.slice(0, 40) ?? []) {
        if (i.subject?.type === "post") posts.add(i.subject.id);
        if (i.subject?.type === "account") accounts.add(i.subject.id);
      }
    }
  }
  if (can(user, "read", "case")) {
    const { cases } = await api<{ cases: Case[] }>("/v1/cases?limit=50");
    for (const c of cases) {
      for (const s of c.subjects.slice(0, 8)) {
        if (s.type === "post") posts.add(s.id);
        if (s.type === "account") accounts.add(s.id);
      }
      for (const p of ((c.evidence.postIds as string[] | undefined) ?? []).slice(0, 6)) posts.add(p);
    }
  }
  return { posts: [...posts].slice(0, 80), accounts: [...accounts].slice(0, 60) };
}

async function readPost(id: string): Promise<PostRec | null> {
  const s = await api<{ record: { authorId?: string; text?: string; hashtags?: string[] } | null }>(
    `/v1/subjects/post/${encodeURIComponent(id)}`,
  ).catch(() => null);
  if (!s?.record?.authorId) return null;
  return { id, authorId: s.record.authorId, text: s.record.text ?? "", hashtags: s.record.hashtags ?? [] };
}

export function ViewerPage() {
  const { user } = useSession();
  const { query } = useLocation();
  const countries = (query.get("c") ?? "IN,US").split(",").filter(Boolean).slice(0, 2);
  const surface = query.get("surface") ?? "home_timeline";
  const explicit = query.get("ids");
  const [ids, setIds] = useState<{ posts: string[]; accounts: string[] } | null>(null);
  const [posts, setPosts] = useState<PostRec[] | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [idText, setIdText] = useState(explicit ?? "");

  useEffect(() => {
    setIds(null);
    setPosts(null);
    const load = explicit
      ? Promise.resolve({
          posts: explicit.split(",").filter((x) => /^p/.test(x)),
          accounts: explicit.split(",").filter((x) => /^a/.test(x)),
        })
      : gatherIds(user);
    load.then(
      async (g) => {
        setIds(g);
        const recs: PostRec[] = [];
        for (let i = 0; i < g.posts.length; i += 8) {
          const batch = await Promise.all(g.posts.slice(i, i + 8).map(readPost));
          for (const r of batch) if (r) recs.push(r);
        }
        setPosts(recs);
      },
      (e: unknown) => setErr(e instanceof ApiError ? e : new ApiError(0, "client", String(e))),
    );
  }, [explicit, user]);

  const setCountry = (i: number, v: string) => {
    const next = [...countries];
    next[i] = v;
    setQuery({ c: next.filter(Boolean).join(",") });
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>View as a viewer</h1>
      </div>
      <div className="toolbar">
        {[0, 1].map((i) => (
          <Field key={i} label={i === 0 ? "Country" : "Side by side with"}>
            <select
              aria-label={`Country ${i + 1}`}
              value={countries[i] ?? ""}
              onChange={(e) => setCountry(i, e.target.value)}
            >
              {i === 1 && <option value="">(none)</option>}
              {COUNTRIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </Field>
        ))}
        <Field label="Surface for posts">
          <select value={surface} onChange={(e) => setQuery({ surface: e.target.value })}>
            {["home_timeline", "post_detail", "search_results", "replies", "notifications"].map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </Field>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ ids: idText.replace(/\s+/g, "") || null });
          }}
        >
          <Field label="Only these ids (posts p…, accounts a…)">
            <input
              value={idText}
              onChange={(e) => setIdText(e.target.value)}
              placeholder="p0004599,a001301"
            />
          </Field>
          <button type="submit">Show</button>
        </form>
      </div>
      <p className="muted small">
        Posts and accounts are those the console can name (order items and case subjects, or the ids given);
        each column shows exactly what the resolver (POST /v1/visibility/resolve) decides for a viewer in that
        country. Trends and suggestions are as of {DEMO_AT}, the demo's replayed time.
      </p>
      <ErrorBox error={err} />
      {!posts || !ids ? (
        <Loading what="the demo's posts" />
      ) : (
        <div className="side-by-side">
          {countries.map((c) => (
            <CountryColumn key={c} country={c} surface={surface} posts={posts} accounts={ids.accounts} />
          ))}
        </div>
      )}
    </div>
  );
}

function CountryColumn(props: { country: string; surface: string; posts: PostRec[]; accounts: string[] }) {
  const { country, surface, posts, accounts } = props;
  const [res, setRes] = useState<{
    posts: VisibilityDecision[];
    accounts: VisibilityDecision[];
    trends: Trend[];
    suggestions: Array<{ kind: string; text: string }>;
    asOf: number;
  } | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [q, setQ] = useState("farm");
  useEffect(() => {
    setRes(null);
    const resolve = (surf: string, items: unknown[]) =>
      items.length === 0
        ? Promise.resolve({ decisions: [] as VisibilityDecision[], asOf: 0 })
        : api<{ decisions: VisibilityDecision[]; asOf: number }>("/v1/visibility/resolve", {
            method: "POST",
            body: { viewer: { country }, surface: surf, items },
          });
    Promise.all([
      resolve(
        surface,
        posts.map((p) => ({ postId: p.id, authorId: p.authorId, hashtags: p.hashtags })),
      ),
      resolve(
        "profile",
        accounts.map((a) => ({ accountId: a })),
      ),
      api<{ trends: Trend[] }>(`/v1/trends${qs({ country, limit: 10, at: DEMO_AT })}`),
      api<{ suggestions: Array<{ kind: string; text: string }> }>(
        `/v1/search/suggestions${qs({ country, q })}`,
      ),
    ]).then(
      ([p, a, t, s]) =>
        setRes({
          posts: p.decisions,
          accounts: a.decisions,
          trends: t.trends,
          suggestions: s.suggestions,
          asOf: p.asOf || a.asOf,
        }),
      (e: unknown) => setErr(e instanceof ApiError ? e : new ApiError(0, "client", String(e))),
    );
  }, [country, surface, posts, accounts, q]);
  const summary = useMemo(() => {
    const m: Record<string, number> = {};
    for (const d of [...(res?.posts ?? []), ...(res?.accounts ?? [])]) m[d.action] = (m[d.action] ?? 0) + 1;
    return m;
  }, [res]);
  return (
    <div className="viewer-col" data-country={country}>
      <h2>
        Viewer in {country} {res ? <span className="muted small">as of ledger #{res.asOf}</span> : null}
      </h2>
      <ErrorBox error={err} />
      {!res ? (
        <Loading />
      ) : (
        <>
          <div className="badges">
            {Object.entries(summary).map(([k, n]) => (
              <Badge key={k} kind={k === "allow" ? "ok" : "warn"}>
                {n} {humanize(k)}
              </Badge>
            ))}
          </div>
          <h3>Trends</h3>
          <ol className="trends">
            {res.trends.map((t) => (
              <li key={t.key}>
                <UserText>#{t.tag}</UserText> <span className="muted small">{t.posts} posts</span>
              </li>
            ))}
          </ol>
          <h3>
            Search suggestions for{" "}
            <input
              className="narrow"
              aria-label="Suggestion prefix"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </h3>
          <ul className="plain">
            {res.suggestions.map((s) => (
              <li key={s.text}>
                <UserText>{s.text}</UserText>
              </li>
            ))}
          </ul>
          <h3>Profiles</h3>
          <ul className="plain">
            {accounts.map((a, i) => (
              <li key={a} className={`vis vis-${res.accounts[i]?.action ?? "allow"}`} data-subject={a}>
                <Link href={`/subjects/account/${a}`}>@{a}</Link> <Decision d={res.accounts[i]} />
              </li>
            ))}
          </ul>
          <h3>{humanize(surface)}</h3>
          {posts.map((p, i) => (
            <PostCard key={p.id} post={p} d={res.posts[i]} />
          ))}
        </>
      )}
    </div>
  );
}

function Decision(props: { d: VisibilityDecision | undefined }) {
  const d = props.d;
  if (!d || d.action === "allow") return <Badge kind="ok">visible</Badge>;
  return (
    <span>
      <Badge kind={d.action === "label" ? "info" : "warn"}>{humanize(d.action)}</Badge>{" "}
      {d.labels?.map((l) => (
        <Badge key={l} kind="info">
          {l}
        </Badge>
      ))}{" "}
      {d.notice && (
        <span className="notice" dir="auto">
          {d.notice.text}
        </span>
      )}
    </span>
  );
}

function PostCard(props: { post: PostRec; d: VisibilityDecision | undefined }) {
  const { post, d } = props;
  const [reveal, setReveal] = useState(false);
  const action = d?.action ?? "allow";
  return (
    <article className={`post vis vis-${action}`} data-subject={post.id} data-action={action}>
      <header>
        <Link href={`/subjects/post/${post.id}`}>{post.id}</Link> by{" "}
        <Link href={`/subjects/account/${post.authorId}`}>@{post.authorId}</Link>{" "}
        {action !== "allow" && <Badge kind="warn">{humanize(action)}</Badge>}
        {d?.labels?.map((l) => (
          <Badge key={l} kind="info">
            {l}
          </Badge>
        ))}
      </header>
      {action === "drop" ? (
        <p className="muted">(not shown to this viewer{d?.rule ? `: ${humanize(d.rule)}` : ""})</p>
      ) : action === "tombstone" ? (
        <p className="tombstone" dir="auto">
          {d?.notice?.text ?? "This post is unavailable."}
        </p>
      ) : action === "interstitial" && !reveal ? (
        <div className="interstitial">
          <span dir="auto">{d?.notice?.text ?? "This post may be sensitive."}</span>{" "}
          <button type="button" onClick={() => setReveal(true)}>
            Show
          </button>
        </div>
      ) : (
        <>
          {d?.notice && (
            <p className="notice" dir="auto">
              {d.notice.text}
            </p>
          )}
          <p dir="auto" className="post-text">
            {post.text}
          </p>
        </>
      )}
    </article>
  );
}
