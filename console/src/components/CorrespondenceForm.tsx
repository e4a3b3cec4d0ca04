/**
 * Record correspondence on an order (POST /v1/orders/{id}/correspondence): a non-compliance notice,
 * letter, response or call, incoming or outgoing, with its own deadline. Times are entered and stored
 * in UTC. The checks are the server's (src/legal/timeline.ts), made first so mistakes show in place;
 * whatever the server still refuses is shown with its own message, on the field it names.
 */
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from "react";
import { ApiError, api } from "../lib/api.ts";
import { humanize } from "../lib/format.ts";
import { ErrorBox } from "./ui.tsx";

export const KINDS = ["non_compliance_notice", "letter", "response", "call"] as const;
export const DIRECTIONS = ["incoming", "outgoing"] as const;
export const MAX_SUMMARY = 500;
export const MAX_BODY = 100_000;

export interface CorrespondenceBody {
  kind: (typeof KINDS)[number];
  direction: (typeof DIRECTIONS)[number];
  /** ISO date-time in UTC (`Z`, no offset). */
  at: string;
  deadline: string | null;
  summary: string;
  body: string | null;
}

type FieldName = "at" | "deadline" | "summary" | "body";
type Problems = Partial<Record<FieldName, string>>;

export interface CorrespondenceDraft {
  kind: CorrespondenceBody["kind"];
  direction: CorrespondenceBody["direction"];
  at: string;
  deadline: string;
  summary: string;
  body: string;
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** A `datetime-local` value read as UTC ("2026-06-01T09:30" → "2026-06-01T09:30:00Z"); null if it is not one. */
export function utcFromInput(v: string): string | null {
  const s = v.trim();
  if (!LOCAL.test(s) || Number.isNaN(Date.parse(`${s}Z`))) return null;
  return s.length === 16 ? `${s}:00Z` : `${s}Z`;
}

/** The current minute in UTC, as a `datetime-local` value. */
const nowInput = () => new Date().toISOString().slice(0, 16);

/** The request body, or what is wrong with the draft. */
export function checkCorrespondence(d: CorrespondenceDraft): {
  body: CorrespondenceBody | null;
  problems: Problems;
} {
  const problems: Problems = {};
  const at = utcFromInput(d.at);
  if (!d.at.trim()) problems.at = "when it was sent or received is required";
  else if (!at) problems.at = "not a date and time";
  const deadline = d.deadline.trim() ? utcFromInput(d.deadline) : null;
  if (d.deadline.trim() && !deadline) problems.deadline = "not a date and time";
  const summary = d.summary.trim();
  if (!summary) problems.summary = "a summary is required";
  else if (summary.length > MAX_SUMMARY) problems.summary = `must be at most ${MAX_SUMMARY} characters`;
  const text = d.body.trim();
  if (text.length > MAX_BODY) problems.body = `must be at most ${MAX_BODY.toLocaleString("en")} characters`;
  if (Object.keys(problems).length > 0 || !at) return { body: null, problems };
  return {
    body: { kind: d.kind, direction: d.direction, at, deadline, summary, body: text || null },
    problems,
  };
}

/** The server's 400 `invalid_request` names fields as `body.<field>`: put its messages on them. */
function serverProblems(err: ApiError): Problems {
  const issues = (err.details as { issues?: Array<{ path?: string; message?: string }> } | undefined)?.issues;
  const out: Problems = {};
  if (!Array.isArray(issues)) return out;
  for (const i of issues) {
    const field = String(i.path ?? "").split(".")[1];
    if (field === "at" || field === "deadline" || field === "summary" || field === "body")
      out[field] = String(i.message ?? "invalid");
  }
  return out;
}

const ORDER: FieldName[] = ["at", "deadline", "summary", "body"];

export function CorrespondenceForm(props: { orderId: string; onSaved?: (id: string) => void }) {
  const id = useId();
  const [draft, setDraft] = useState<CorrespondenceDraft>(() => ({
    kind: "letter",
    direction: "incoming",
    at: nowInput(),
    deadline: "",
    summary: "",
    body: "",
  }));
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const set = (patch: Partial<CorrespondenceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(null);
  };
  const focusFirst = (p: Problems) => {
    const first = ORDER.find((f) => p[f]);
    if (first) form.current?.querySelector<HTMLElement>(`[name=${first}]`)?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setSaved(null);
    const { body, problems: p } = checkCorrespondence(draft);
    setProblems(p);
    if (!body) {
      focusFirst(p);
      return;
    }
    setBusy(true);
    try {
      const r = await api<{ id: string }>(`/v1/orders/${encodeURIComponent(props.orderId)}/correspondence`, {
        method: "POST",
        body,
      });
      setDraft((d) => ({ ...d, at: nowInput(), deadline: "", summary: "", body: "" }));
      setSaved(`Recorded the ${humanize(body.kind)} (${body.direction}).`);
      props.onSaved?.(r.id);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, "client", String(err));
      const sp = serverProblems(apiErr);
      setError(apiErr);
      setProblems(sp);
      focusFirst(sp);
    } finally {
      setBusy(false);
    }
  };

  // Ctrl/Cmd+Enter saves from the multi-line text too.
  const submitOnCtrlEnter = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.current?.requestSubmit();
    }
  };

  const described = (f: FieldName, hint?: string) => {
    const ids = [hint, problems[f] ? `${id}-${f}-error` : null].filter(Boolean).join(" ");
    return { "aria-invalid": problems[f] ? true : undefined, "aria-describedby": ids || undefined };
  };
  const fieldError = (f: FieldName) =>
    problems[f] ? (
      <span id={`${id}-${f}-error`} className="warn-text">
        {problems[f]}
      </span>
    ) : null;

  return (
    <section className="correspondence-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Record correspondence</h2>
      <form ref={form} className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="toolbar">
          <div className="field">
            <label className="field-label" htmlFor={`${id}-kind`}>
              Kind
            </label>
            <select
              id={`${id}-kind`}
              name="kind"
              value={draft.kind}
              onChange={(e) => set({ kind: e.target.value as CorrespondenceDraft["kind"] })}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {humanize(k)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-direction`}>
              Direction
            </label>
            <select
              id={`${id}-direction`}
              name="direction"
              value={draft.direction}
              onChange={(e) => set({ direction: e.target.value as CorrespondenceDraft["direction"] })}
            >
              {DIRECTIONS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-at`}>
              Sent or received (UTC)
            </label>
            <input
              id={`${id}-at`}
              name="at"
              type="datetime-local"
              value={draft.at}
              onChange={(e) => set({ at: e.target.value })}
              {...described("at")}
            />
            {fieldError("at")}
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-deadline`}>
              Deadline it sets (UTC, optional)
            </label>
            <input
              id={`${id}-deadline`}
              name="deadline"
              type="datetime-local"
              value={draft.deadline}
              onChange={(e) => set({ deadline: e.target.value })}
              {...described("deadline")}
            />
            {fieldError("deadline")}
          </div>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-summary`}>
            Summary (required)
          </label>
          <input
            id={`${id}-summary`}
            name="summary"
            dir="auto"
            maxLength={MAX_SUMMARY}
            value={draft.summary}
            onChange={(e) => set({ summary: e.target.value })}
            {...described("summary", `${id}-summary-count`)}
          />
          <span id={`${id}-summary-count`} className="muted small">
            {draft.summary.trim().length} / {MAX_SUMMARY}
          </span>
          {fieldError("summary")}
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-body`}>
            Full text (optional)
          </label>
          <textarea
            id={`${id}-body`}
            name="body"
            rows={4}
            dir="auto"
            value={draft.body}
            onChange={(e) => set({ body: e.target.value })}
            onKeyDown={submitOnCtrlEnter}
            {...described("body", `${id}-body-hint`)}
          />
          <span id={`${id}-body-hint`} className="muted small">
            Ctrl+Enter records it.
          </span>
          {fieldError("body")}
        </div>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Recording…" : "Record correspondence"}
          </button>
        </div>
        <ErrorBox error={error} title="Not recorded" />
        {saved && (
          <div className="success" role="status">
            {saved}
          </div>
        )}
      </form>
    </section>
  );
}
