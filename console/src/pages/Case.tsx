import { useEffect, useMemo, useState } from "react";
import { Chart } from "../components/Chart.tsx";
import { Badge, ErrorBox, Field, Loading, UserText } from "../components/ui.tsx";
import { ApiError, api } from "../lib/api.ts";
import { buildCaseAction, unresolvedProtected } from "../lib/caseAction.ts";
import { fmtDate, humanize, pct } from "../lib/format.ts";
import {
  assignTemplate,
  type GraphEdge,
  memberEdges,
  type PostLite,
  type TemplateLite,
  traceLabel,
} from "../lib/graph.ts";
import { Link } from "../lib/router.tsx";
import { useCan, useSession } from "../lib/session.tsx";
import type { Case, CaseSubject } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

interface Evidence {
  size?: number;
  edges?: number;
  density?: number;
  templates?: Array<TemplateLite & { accounts: number }>;
  hashtagSequences?: Array<TemplateLite & { accounts: number }>;
  timeProfile?: {
    binMs: number;
    start: number;
    counts: number[];
    firstAt?: number;
    lastAt?: number;
    medianGapMs?: number;
  };
  accountStats?: Record<string, number>;
  postIds?: string[];
  significance?: { p: number; z: number };
  inauthenticity?: { score: number; signals: Array<{ signal: string; value: number; logit: number }> };
  coordinatedPosts?: number;
  deletionRate?: number;
  /** The detector's strongest member-to-member edges (cases raised before these were stored have none). */
  links?: Array<{ source: string; target: string; weight: number; coactions: number; traces: string[] }>;
}

export function CasePage(props: { id: string }) {
  const { data: c, error, loading, reload } = useApi<Case>(`/v1/cases/${encodeURIComponent(props.id)}`);
  const mayDecide = useCan("decide", "case");
  const mayReadProtected = useCan("read", "protected_registry");
  const prot = useApi<{ entries: Array<{ accountId: string; category: string }> }>(
    mayReadProtected ? "/v1/protected" : null,
  );
  const protectedIds = useMemo(
    () => new Map((prot.data?.entries ?? []).map((e) => [e.accountId, e.category])),
    [prot.data],
  );
  if (error)
    return (
      <div className="page">
        <h1>Case</h1>
        <ErrorBox error={error} />
      </div>
    );
  if (loading && !c)
    return (
      <div className="page">
        <Loading what="the case" />
      </div>
    );
  if (!c) return null;
  const ev = c.evidence as Evidence;
  const accounts = c.subjects.filter((s) => s.type === "account");
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          <UserText>{c.title}</UserText>
        </h1>
        <span className="badges">
          <Badge kind="info">{humanize(c.kind)}</Badge>
          <Badge kind={c.state === "closed" ? "muted" : c.state === "escalated" ? "danger" : "warn"}>
            {c.state}
          </Badge>
          <Badge>priority {c.priority}</Badge>
          {c.resolution && <Badge kind="ok">{humanize(c.resolution)}</Badge>}
        </span>
      </div>
      <p className="muted">
        Opened {fmtDate(c.createdAt)} · updated {fmtDate(c.updatedAt)} · assignee {c.assignee ?? "none"}
      </p>
      {mayDecide && <Transitions c={c} onDone={reload} />}
      {c.kind === "campaign" && <CampaignEvidence c={c} ev={ev} protectedIds={protectedIds} />}
      {c.kind === "campaign" && mayDecide && accounts.length > 0 && (
        <BulkSuspend c={c} accounts={accounts} protectedIds={protectedIds} onDone={reload} />
      )}
      {c.kind !== "campaign" && (
        <section>
          <h2>Evidence</h2>
          <pre className="json" dir="auto">
            {JSON.stringify(c.evidence, null, 2)}
          </pre>
        </section>
      )}
      <section>
        <h2>Subjects ({c.subjects.length})</h2>
        <SubjectList subjects={c.subjects} protectedIds={protectedIds} />
      </section>
      <section>
        <h2>History</h2>
        <ol className="timeline">
          {(c.history ?? []).map((h) => (
            <li key={h.id}>
              <span className="muted">{fmtDate(h.at)}</span> <Badge kind="info">{humanize(h.kind)}</Badge>{" "}
              <b>{h.actor}</b> <UserText>{describeBody(h.body)}</UserText>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function describeBody(b: Record<string, unknown>): string {
  return Object.entries(b)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v).slice(0, 200) : String(v)}`)
    .join(" · ");
}

function SubjectList(props: { subjects: CaseSubject[]; protectedIds: Map<string, string> }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.subjects : props.subjects.slice(0, 60);
  return (
    <>
      <ul className="subjects">
        {shown.map((s) => {
          const p = props.protectedIds.get(s.id);
          return (
            <li key={`${s.type}:${s.id}`} className={p ? "protected" : undefined}>
              <Link href={`/subjects/${s.type}/${encodeURIComponent(s.id)}`}>
                {s.type} {s.id}
              </Link>{" "}
              {p && <Badge kind="protected">protected: {humanize(p)}</Badge>}{" "}
              {s.score !== null && <span className="muted">score {s.score.toFixed(2)}</span>}{" "}
              {s.why && <span className="muted">· {s.why.join(" · ")}</span>}
            </li>
          );
        })}
      </ul>
      {props.subjects.length > 60 && !all && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {props.subjects.length}
        </button>
      )}
    </>
  );
}

function Transitions(props: { c: Case; onDone: () => void }) {
  const { user } = useSession();
  const { c } = props;
  const [text, setText] = useState("");
  const [resolution, setResolution] = useState("actioned");
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async (body: Record<string, unknown>) => {
    setBusy(true);
    setErr(null);
    try {
      await api(`/v1/cases/${encodeURIComponent(c.id)}/transitions`, { method: "POST", body });
      setText("");
      props.onDone();
    } catch (e) {
      setErr(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const closed = c.state === "closed";
  return (
    <section className="transitions" aria-label="Case actions">
      <div className="toolbar">
        {!closed && c.assignee !== user.username && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void go({ op: "assign", assignee: user.username })}
          >
            Assign to me
          </button>
        )}
        {!closed && c.assignee && (
          <button type="button" disabled={busy} onClick={() => void go({ op: "assign", assignee: null })}>
            Unassign
          </button>
        )}
        <input
          className="grow"
          dir="auto"
          aria-label="Note or reason"
          placeholder="Note, or the reason for escalating, closing or reopening"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="button" disabled={busy || !text.trim()} onClick={() => void go({ op: "note", text })}>
          Add note
        </button>
        {!closed && (
          <button
            type="button"
            disabled={busy || !text.trim()}
            onClick={() => void go({ op: "escalate", reason: text })}
          >
            Escalate
          </button>
        )}
        {!closed && (
          <>
            <select
              aria-label="Resolution"
              value={resolution}
              onChange={(e) => setResolution(e.target.value)}
            >
              {["actioned", "no_violation", "duplicate", "insufficient_evidence"].map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={busy || !text.trim()}
              onClick={() => void go({ op: "close", resolution, reason: text })}
            >
              Close
            </button>
          </>
        )}
        {closed && (
          <button
            type="button"
            disabled={busy || !text.trim()}
            onClick={() => void go({ op: "reopen", reason: text })}
          >
            Reopen
          </button>
        )}
      </div>
      <ErrorBox error={err} />
    </section>
  );
}

/** Reads up to `limit` evidence posts, 8 at a time. */
function useEvidencePosts(ids: string[], limit = 240): { posts: PostLite[]; done: boolean; read: number } {
  const [state, setState] = useState<{ posts: PostLite[]; done: boolean; read: number }>({
    posts: [],
    done: false,
    read: 0,
  });
  const key = ids.slice(0, limit).join(",");
  useEffect(() => {
    let stop = false;
    const want = key ? key.split(",") : [];
    const out: PostLite[] = [];
    let next = 0;
    const worker = async () => {
      while (!stop && next < want.length) {
        const id = want[next++]!;
        try {
          const s = await api<{ record: { authorId?: string; text?: string; hashtags?: string[] } | null }>(
            `/v1/subjects/post/${encodeURIComponent(id)}`,
          );
          if (s.record?.authorId)
            out.push({
              id,
              authorId: s.record.authorId,
              text: s.record.text ?? "",
              hashtags: s.record.hashtags ?? [],
            });
        } catch {
          // a post the subject endpoint does not know is simply left out of the graph
        }
      }
    };
    Promise.all(Array.from({ length: 8 }, worker)).then(() => {
      if (!stop) setState({ posts: out, done: true, read: want.length });
    });
    return () => {
      stop = true;
    };
  }, [key]);
  return state;
}

function CampaignEvidence(props: { c: Case; ev: Evidence; protectedIds: Map<string, string> }) {
  const { c, ev } = props;
  const members = useMemo(() => c.subjects.filter((s) => s.type === "account"), [c.subjects]);
  const templates = useMemo(() => [...(ev.templates ?? []), ...(ev.hashtagSequences ?? [])], [ev]);
  const { posts, done, read } = useEvidencePosts(ev.postIds ?? []);
  const fromDetector = ev.links !== undefined;
  const edges = useMemo<GraphEdge[]>(() => {
    if (ev.links) {
      const ids = new Set(members.map((m) => m.id));
      return ev.links
        .filter((l) => ids.has(l.source) && ids.has(l.target))
        .map((l) => ({
          source: l.source,
          target: l.target,
          weight: l.weight,
          keys: l.traces.map(traceLabel),
        }));
    }
    return done
      ? memberEdges(
          members.map((m) => m.id),
          posts,
          ev.templates ?? [],
        )
      : [];
  }, [ev.links, done, members, posts, ev.templates]);
  const graphOption = useMemo(() => {
    const degree = new Map<string, number>();
    for (const e of edges) {
      degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
      degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
    }
    return {
      tooltip: {},
      series: [
        {
          type: "graph",
          layout: "force",
          roam: true,
          force: { repulsion: 120, edgeLength: [40, 120] },
          label: { show: members.length <= 40, fontSize: 10 },
          data: members.map((m) => {
            const p = props.protectedIds.get(m.id);
            return {
              name: m.id,
              value: m.score ?? 0,
              symbolSize: 8 + 14 * (m.score ?? 0.5),
              itemStyle: {
                color: p ? "#c2410c" : "#2563eb",
                borderColor: p ? "#7c2d12" : "#1e3a8a",
                borderWidth: p ? 3 : 1,
              },
              tooltip: {
                formatter: `${m.id}${p ? ` (protected: ${p})` : ""}<br/>score ${(m.score ?? 0).toFixed(2)}<br/>${degree.get(m.id) ?? 0} links`,
              },
            };
          }),
          links: edges.map((e) => ({
            source: e.source,
            target: e.target,
            value: e.weight,
            lineStyle: { width: Math.min(4, 0.5 + Math.log2(1 + e.weight)), opacity: 0.5 },
            tooltip: {
              formatter: `${e.source} — ${e.target}<br/>weight ${e.weight.toFixed(1)}<br/>${e.keys.join(", ")}`,
            },
          })),
        },
      ],
    };
  }, [members, edges, props.protectedIds]);

  const histOption = useMemo(() => {
    const tp = ev.timeProfile;
    if (!tp) return null;
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: {
        type: "category",
        data: tp.counts.map((_, i) =>
          new Date(tp.start + i * tp.binMs).toISOString().slice(5, 16).replace("T", " "),
        ),
        axisLabel: { fontSize: 10 },
      },
      yAxis: { type: "value", name: "posts" },
      series: [{ type: "bar", data: tp.counts, itemStyle: { color: "#7c3aed" } }],
    };
  }, [ev.timeProfile]);

  const examples = useMemo(() => {
    const m = new Map<string, PostLite[]>();
    for (const p of posts) {
      const t = assignTemplate(p.text, ev.templates ?? []);
      if (t) m.set(t, [...(m.get(t) ?? []), p]);
    }
    return m;
  }, [posts, ev.templates]);

  const stats = ev.accountStats ?? {};
  return (
    <section className="evidence">
      <h2>Campaign evidence</h2>
      <div className="grid2">
        <div className="card">
          <h3>Accounts ({members.length})</h3>
          {!done && !fromDetector ? (
            <Loading what={`evidence posts (${Math.min(ev.postIds?.length ?? 0, 240)})`} />
          ) : (
            <Chart option={graphOption} height={360} label="Graph of the campaign's accounts" />
          )}
          {fromDetector ? (
            <p className="muted small">
              Nodes: every account the case has held (size: coordination score; orange: protected). Edges: the
              detector's coordination edges between them, kept from every update of the case, the strongest
              first ({edges.length} shown; width grows with the weight, hover for the traces). The latest
              detection found {ev.edges ?? "?"} edges among {ev.size ?? "?"} accounts (density{" "}
              {ev.density?.toFixed(2) ?? "?"}).
            </p>
          ) : (
            <p className="muted small">
              Nodes: the case's member accounts (size: coordination score; orange: protected). This case was
              raised before the detector stored its edges, so they are drawn by the console: two members are
              linked when posts of each match the same shared template (word Jaccard ≥ 0.5 with its text) or
              carry the same hashtag sequence, read from the first {read} of {ev.postIds?.length ?? 0}{" "}
              evidence posts. {done ? `${edges.length} links.` : ""} The detector itself counted{" "}
              {ev.edges ?? "?"} coordination edges (density {ev.density?.toFixed(2) ?? "?"}).
            </p>
          )}
        </div>
        <div className="card">
          <h3>Posting times</h3>
          {histOption ? (
            <Chart option={histOption} height={300} label="Posting-time histogram" />
          ) : (
            <p className="muted">No time profile.</p>
          )}
          {ev.timeProfile && (
            <p className="muted small">
              {ev.timeProfile.binMs / 60000}-minute bins from{" "}
              {fmtDate(new Date(ev.timeProfile.start).toISOString())}; median gap{" "}
              {ev.timeProfile.medianGapMs ? `${Math.round(ev.timeProfile.medianGapMs / 1000)} s` : "—"}
            </p>
          )}
        </div>
      </div>
      <div className="grid2">
        <div className="card">
          <h3>Account age and profiles</h3>
          <table className="simple">
            <tbody>
              <tr>
                <td>Median account age</td>
                <td>{stats.medianAgeDays !== undefined ? `${stats.medianAgeDays.toFixed(1)} days` : "—"}</td>
              </tr>
              <tr>
                <td>Young accounts</td>
                <td>{pct(stats.youngShare)}</td>
              </tr>
              <tr>
                <td>Empty bio</td>
                <td>{pct(stats.emptyBioShare)}</td>
              </tr>
              <tr>
                <td>No avatar</td>
                <td>{pct(stats.noAvatarShare)}</td>
              </tr>
              <tr>
                <td>Bare profile</td>
                <td>{pct(stats.bareProfileShare)}</td>
              </tr>
              <tr>
                <td>Default-looking handle</td>
                <td>{pct(stats.defaultHandleShare)}</td>
              </tr>
              <tr>
                <td>Verified</td>
                <td>{pct(stats.verifiedShare)}</td>
              </tr>
              <tr>
                <td>Median followers</td>
                <td>{stats.medianFollowers ?? "—"}</td>
              </tr>
              <tr>
                <td>Median bot score</td>
                <td>{stats.medianBotScore?.toFixed(2) ?? "—"}</td>
              </tr>
              <tr>
                <td>Coordinated posts</td>
                <td>
                  {ev.coordinatedPosts ?? "—"} (deleted {pct(ev.deletionRate)})
                </td>
              </tr>
              <tr>
                <td>Significance</td>
                <td>
                  {ev.significance
                    ? `p = ${ev.significance.p.toFixed(3)}, z = ${ev.significance.z.toFixed(1)}`
                    : "—"}
                </td>
              </tr>
              <tr>
                <td>Inauthenticity</td>
                <td>{ev.inauthenticity ? ev.inauthenticity.score.toFixed(3) : "—"}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <div className="card">
          <h3>Shared templates and hashtag sequences</h3>
          <ul className="templates">
            {templates.map((t) => (
              <li key={t.key}>
                <Badge kind="info">{t.kind}</Badge> <b>{t.accounts} accounts</b>
                <div className="template-text" dir="auto">
                  {t.label}
                </div>
                {(examples.get(t.key) ?? []).slice(0, 2).map((p) => (
                  <div key={p.id} className="example">
                    <Link href={`/subjects/post/${p.id}`}>{p.id}</Link> by{" "}
                    <Link href={`/subjects/account/${p.authorId}`}>{p.authorId}</Link>:{" "}
                    <span dir="auto">{p.text}</span>
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function BulkSuspend(props: {
  c: Case;
  accounts: CaseSubject[];
  protectedIds: Map<string, string>;
  onDone: () => void;
}) {
  const members = useMemo(() => props.accounts.map((a) => a.id), [props.accounts]);
  const [excluded, setExcluded] = useState<Set<string>>(() => new Set());
  const [justifications, setJustifications] = useState<Map<string, string>>(() => new Map());
  const [reason, setReason] = useState("");
  const [rule, setRule] = useState("platform_manipulation");
  const [err, setErr] = useState<ApiError | null>(null);
  const [result, setResult] = useState<{
    dryRun: boolean;
    applied: unknown[];
    excluded: string[];
    protectedIncluded: unknown[];
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const draft = { members, excluded, protectedIds: props.protectedIds, justifications, reason, rule };
  const pending = unresolvedProtected(draft);
  const serverProtected = useMemo(() => {
    const list = (err?.details as { protected?: Array<{ id: string; category: string }> } | undefined)
      ?.protected;
    return Array.isArray(list) ? list : [];
  }, [err]);

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setErr(null);
    setResult(null);
    try {
      const r = await api<{
        dryRun: boolean;
        applied: unknown[];
        excluded: string[];
        protectedIncluded: unknown[];
      }>(`/v1/cases/${encodeURIComponent(props.c.id)}/actions`, {
        method: "POST",
        body: buildCaseAction(draft, dryRun),
      });
      setResult(r);
      if (!dryRun) props.onDone();
    } catch (e) {
      setErr(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string) =>
    setExcluded((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <section className="bulk-suspend" aria-label="Bulk suspend">
      <h2>Bulk suspend the campaign's accounts</h2>
      <div className="toolbar">
        <Field label="Rule">
          <input value={rule} onChange={(e) => setRule(e.target.value)} />
        </Field>
        <Field label="Reason (required)">
          <input
            name="suspend-reason"
            className="wide"
            dir="auto"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <button type="button" disabled={busy || !reason.trim()} onClick={() => void run(true)}>
          Dry run
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy || !reason.trim()}
          onClick={() => void run(false)}
        >
          Suspend {members.length - excluded.size} account(s)
        </button>
      </div>
      {pending.length > 0 && (
        <div className="note">
          {pending.length} protected account(s) are neither excluded nor justified; the server will refuse the
          action until each is.
        </div>
      )}
      <ErrorBox error={err} title="The server refused" />
      {serverProtected.length > 0 && (
        <ul className="error">
          {serverProtected.map((p) => (
            <li key={p.id}>
              {p.id}: protected ({humanize(p.category)})
            </li>
          ))}
        </ul>
      )}
      {result && (
        <div className="success" role="status">
          {result.dryRun ? "Dry run: would suspend" : "Suspended"} {result.applied.length} account(s);
          excluded {result.excluded.length}; protected included {result.protectedIncluded.length}.
        </div>
      )}
      <table className="simple members">
        <thead>
          <tr>
            <th>Exclude</th>
            <th>Account</th>
            <th>Score</th>
            <th>Protected</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => {
            const p = props.protectedIds.get(a.id);
            const isEx = excluded.has(a.id);
            return (
              <tr key={a.id} className={p ? "protected" : undefined} data-account={a.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Exclude ${a.id}`}
                    checked={isEx}
                    onChange={() => toggle(a.id)}
                  />
                </td>
                <td>
                  <Link href={`/subjects/account/${a.id}`}>{a.id}</Link>
                </td>
                <td>{a.score?.toFixed(2) ?? "—"}</td>
                <td>
                  {p ? (
                    <>
                      <Badge kind="protected">{humanize(p)}</Badge>
                      {!isEx && (
                        <input
                          className="wide"
                          dir="auto"
                          aria-label={`Justification for ${a.id}`}
                          placeholder="Justify including it (≥ 20 characters) or exclude it"
                          value={justifications.get(a.id) ?? ""}
                          onChange={(e) => setJustifications((m) => new Map(m).set(a.id, e.target.value))}
                        />
                      )}
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
