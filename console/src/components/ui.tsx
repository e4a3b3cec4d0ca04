import { type ReactNode, useEffect, useState } from "react";
import type { ApiError } from "../lib/api.ts";
import { countdown } from "../lib/format.ts";

export function Badge(props: {
  kind?: "danger" | "warn" | "info" | "ok" | "muted" | "protected";
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${props.kind ?? "muted"}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** The server's own message, always (403s included). */
export function ErrorBox(props: { error: ApiError | Error | string | null; title?: string }) {
  if (!props.error) return null;
  const e = props.error;
  const msg = typeof e === "string" ? e : e.message;
  const status = typeof e === "object" && "status" in e ? (e as ApiError).status : null;
  const code = typeof e === "object" && "code" in e ? (e as ApiError).code : null;
  return (
    <div className="error" role="alert">
      {props.title && <strong>{props.title}: </strong>}
      {status === 403 && <strong>Not allowed: </strong>}
      <span dir="auto">{msg}</span>
      {code && status ? (
        <span className="muted">
          {" "}
          ({status} {code})
        </span>
      ) : null}
    </div>
  );
}

export function Loading(props: { what?: string }) {
  return <div className="loading">Loading{props.what ? ` ${props.what}` : ""}…</div>;
}

/** Re-renders every `ms` so countdowns tick. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function Countdown(props: { deadline: string | null; status: string; now: number }) {
  const c = countdown(props.deadline, props.status, props.now);
  return <span className={`countdown urgency-${c.urgency}`}>{c.text}</span>;
}

export function UserText(props: { children: ReactNode; className?: string }) {
  return (
    <span dir="auto" className={props.className ? `usertext ${props.className}` : "usertext"}>
      {props.children}
    </span>
  );
}

export function Field(props: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as a child
    <label className="field">
      <span className="field-label">{props.label}</span>
      {props.children}
    </label>
  );
}
