import { useEffect, useMemo, useState } from "react";
import { Badge, ErrorBox, Field, Loading, UserText } from "../components/ui.tsx";
import { ApiError, api, qs } from "../lib/api.ts";
import { humanize } from "../lib/format.ts";
import { approxMatchKey, type Candidate, mergeCandidates, stripHash, wouldCatch } from "../lib/hashtags.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { useCan } from "../lib/session.tsx";
import { SURFACES, type Trend, type VisibilityDecision } from "../lib/types.ts";
import { DEMO_AT } from "./Viewer.tsx";

const WATCH = ["IN", "US", "GB", "PK"];

/** Spellings seen in trends (demo time and now) and suggestions, per watched country. */
async function loadCandidates(countries: string[], prefix: string): Promise<Candidate[]> {
  const lists: Array<{ source: string; tags: Array<{ tag: string; key?: string }> }> = [];
  await Promise.all(
    countries.flatMap((c) => [
      api<{ trends: Trend[]; held: Trend[] }>(`/v1/trends${qs({ country: c, limit: 50, at: DEMO_AT })}`).then(
        (r) =>
          lists.push({
            source: `trends ${c}`,
            tags: [...r.trends, ...r.held].map((t) => ({ tag: t.tag, key: t.key })),
          }),
      ),
      api<{ trends: Trend[]; held: Trend[] }>(`/v1/trends${qs({ country: c, limit: 50 })}`).then((r) =>
        lists.push({
          source: `trends ${c} now`,
          tags: [...r.trends, ...r.held].map((t) => ({ tag: t.tag, key: t.key })),
        }),
      ),
      prefix
        ? api<{ suggestions: Array<{ kind: string; text: string }> }>(
            `/v1/search/suggestions${qs({ country: c, q: prefix, limit: 50 })}`,
          ).then((r) =>
            lists.push({
              source: `suggestions ${c}`,
              tags: r.suggestions.filter((s) => s.kind === "hashtag").map((s) => ({ tag: s.text })),
            }),
          )
        : Promise.resolve(0),
    ]),
  );
  return mergeCandidates(lists);
}

export function HashtagsPage() {
  const { query } = useLocation();
  const tag = query.get("tag") ?? "";
  const mayAct = useCan("create", "enforcement");
  const mayResolve = useCan("read", "visibility");
  const [draftTag, setDraftTag] = useState(tag);
  const [surfaces, setSurfaces] = useState<Set<string>>(() => new Set(["trends", "search_suggestions"]));
  const [countries, setCountries] = useState("");
  const [reason, setReason] = useState("");
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [state, setState] = useState<Map<string, VisibilityDecision>>(() => new Map());
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const key = approxMatchKey(stripHash(tag));
  const prefix = key.slice(0, 4);
  const countryList = countries
    .split(/[\s,]+/)
    .map((c) => c.toUpperCase())
    .filter(Boolean);

  const countryKey = countryList.join(",");
  useEffect(() => {
    setCandidates(null);
    const watched = [...new Set([...WATCH, ...countryKey.split(",").filter(Boolean)])];
    loadCandidates(watched, prefix).then(setCandidates, (e: unknown) =>
      setErr(e instanceof ApiError ? e : new ApiError(0, "client", String(e))),
    );
  }, [prefix, countryKey]);

  const caught = useMemo(() => (candidates && tag ? wouldCatch(tag, candidates) : []), [candidates, tag]);

  /** Ask the resolver what it decides now for the candidates on the trends surface, per country. */
  const check = async (tags: string[]) => {
    if (!mayResolve || tags.length === 0) return;
    const out = new Map<string, VisibilityDecision>();
    for (const c of [...new Set(["IN", "US", ...countryList])]) {
      const r = await api<{ decisions: VisibilityDecision[] }>("/v1/visibility/resolve", {
        method: "POST",
        body: { viewer: { country: c }, surface: "trends", items: tags.map((t) => ({ hashtag: t })) },
      });
      for (const [i, d] of r.decisions.entries()) out.set(`${c}|${tags[i]}`, d);
    }
    setState(out);
    setCheckedAt(new Date().toISOString());
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-check when the caught list changes
  useEffect(() => {
    void check([stripHash(tag), ...caught.map((c) => c.tag)].filter(Boolean)).catch(() => undefined);
  }, [caught]);

  const commit = async () => {
    setBusy(true);
    setErr(null);
    setDone(null);
    try {
      const r = await api<{ entry: { seq: number } }>("/v1/actions", {
        method: "POST",
        body: {
          subject: { type: "hashtag", id: stripHash(tag) },
          action: "suppress",
          surfaces: [...surfaces],
          countries: countryList.length ? countryList : null,
          reason,
        },
      });
      setDone(`Recorded as ledger entry #${r.entry.seq}.`);
      await check([stripHash(tag), ...caught.map((c) => c.tag)]);
    } catch (e) {
      setErr(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    } finally {
      setBusy(false);
    }
  };

  const checkCountries = [...new Set(["IN", "US", ...countryList])];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Hashtag controls</h1>
      </div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ tag: stripHash(draftTag) });
        }}
      >
        <Field label="Hashtag">
          <input
            name="tag"
            dir="auto"
            value={draftTag}
            onChange={(e) => setDraftTag(e.target.value)}
            placeholder="#ModiPlanningFarmerGenocide"
          />
        </Field>
        <button type="submit">Preview</button>
      </form>
      {tag && (
        <>
          <p>
            Rule for <UserText>#{tag}</UserText> ·{" "}
            <Link href={`/subjects/hashtag/${encodeURIComponent(tag)}`}>its ledger history</Link>
          </p>
          <section className="card">
            <h2>Spellings it would catch</h2>
            <p className="muted small">
              Candidates: every tag in trends (as of {DEMO_AT} and now) and in hashtag search suggestions
              starting with “{prefix}”, in {[...new Set([...WATCH, ...countryList])].join(", ")}. “Would
              catch” is computed in the browser with an approximation of the match key (width, case, invisible
              characters, separators, 0/1); the server's key also folds look-alike letters (UTS #39), so it
              can only catch more. The last columns are the resolver's actual decision on the trends surface
              {mayResolve ? "" : " (your role may not query the resolver, so they are empty)"}
              {checkedAt ? `, checked ${checkedAt.slice(11, 19)} UTC` : ""}.
            </p>
            {!candidates ? (
              <Loading what="candidate spellings" />
            ) : (
              <table className="simple" data-testid="variants">
                <thead>
                  <tr>
                    <th>Spelling</th>
                    <th>Seen in</th>
                    {checkCountries.map((c) => (
                      <th key={c}>Trends {c} now</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[{ tag: stripHash(tag), seenIn: ["(the rule itself)"] }, ...caught].map((c) => (
                    <tr key={c.tag}>
                      <td>
                        <UserText>#{c.tag}</UserText>
                      </td>
                      <td className="muted small">{c.seenIn.join(", ")}</td>
                      {checkCountries.map((cc) => {
                        const d = state.get(`${cc}|${c.tag}`);
                        return (
                          <td key={cc}>
                            {d ? (
                              <Badge kind={d.action === "allow" ? "ok" : "warn"}>
                                {d.action === "allow" ? "shown" : humanize(d.action)}
                              </Badge>
                            ) : (
                              "—"
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {candidates && caught.length === 0 && (
              <p className="muted">No other spelling in those lists shares its key.</p>
            )}
          </section>
          {mayAct && (
            <section className="card">
              <h2>Suppress</h2>
              <div className="checks">
                {SURFACES.map((s) => (
                  <label key={s} className="check">
                    <input
                      type="checkbox"
                      checked={surfaces.has(s)}
                      onChange={(e) =>
                        setSurfaces((x) => {
                          const n = new Set(x);
                          if (e.target.checked) n.add(s);
                          else n.delete(s);
                          return n;
                        })
                      }
                    />{" "}
                    {humanize(s)}
                  </label>
                ))}
              </div>
              <div className="toolbar">
                <Field label="Countries (empty: everywhere)">
                  <input
                    value={countries}
                    onChange={(e) => setCountries(e.target.value)}
                    placeholder="IN, PK"
                  />
                </Field>
                <Field label="Reason (required)">
                  <input
                    className="wide"
                    dir="auto"
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                  />
                </Field>
                <button
                  type="button"
                  className="danger"
                  disabled={busy || !reason.trim() || surfaces.size === 0}
                  onClick={() => void commit()}
                >
                  Suppress on {surfaces.size} surface(s){" "}
                  {countryList.length ? `in ${countryList.join(", ")}` : "everywhere"}
                </button>
              </div>
              {done && <div className="success">{done}</div>}
            </section>
          )}
        </>
      )}
      <ErrorBox error={err} />
    </div>
  );
}
