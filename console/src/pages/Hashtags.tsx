import { useEffect, useMemo, useState } from "react";
import { Badge, ErrorBox, Field, Loading, UserText } from "../components/ui.tsx";
import { ApiError, api, qs } from "../lib/api.ts";
import { humanize } from "../lib/format.ts";
import { stripHash } from "../lib/hashtags.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { useCan } from "../lib/session.tsx";
import { SURFACES, type VisibilityDecision } from "../lib/types.ts";

/** What the server's match key catches among the hashtags of stored posts (GET /v1/hashtags/variants). */
interface VariantPreview {
  mode: "exact" | "prefix" | "contains";
  matchKey: string;
  window: { from: string; to: string };
  distinctTagsChecked: number;
  variants: Array<{ spelling: string; posts: number; accounts: number }>;
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
  const [preview, setPreview] = useState<VariantPreview | null>(null);
  const [state, setState] = useState<Map<string, VisibilityDecision>>(() => new Map());
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const countryList = countries
    .split(/[\s,]+/)
    .map((c) => c.toUpperCase())
    .filter(Boolean);

  useEffect(() => {
    setPreview(null);
    if (!tag) return;
    api<VariantPreview>(`/v1/hashtags/variants${qs({ tag: stripHash(tag), days: 30 })}`).then(
      setPreview,
      (e: unknown) => setErr(e instanceof ApiError ? e : new ApiError(0, "client", String(e))),
    );
  }, [tag]);

  const caught = useMemo(
    () =>
      (preview?.variants ?? [])
        .filter((v) => v.spelling !== stripHash(tag))
        .map((v) => ({ tag: v.spelling, seenIn: [`${v.posts} post(s), ${v.accounts} account(s)`] })),
    [preview, tag],
  );

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
              Every hashtag in the posts stored over the 30 days before the latest one
              {preview
                ? ` (${preview.distinctTagsChecked} distinct tags, match key “${preview.matchKey}”, ${preview.mode})`
                : ""}
              , compared by the server under its own match key: width, case, invisible characters, separators
              and look-alike letters (UTS #39). The last columns are the resolver's actual decision on the
              trends surface
              {mayResolve ? "" : " (your role may not query the resolver, so they are empty)"}
              {checkedAt ? `, checked ${checkedAt.slice(11, 19)} UTC` : ""}.
            </p>
            {!preview ? (
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
            {preview && caught.length === 0 && (
              <p className="muted">No other spelling in the stored posts shares its key.</p>
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
