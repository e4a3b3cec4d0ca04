import { type ColumnDef, getCoreRowModel, type SortingState, useReactTable } from "@tanstack/react-table";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { CorrespondenceForm } from "../components/CorrespondenceForm.tsx";
import { Badge, Countdown, ErrorBox, Field, Loading, UserText, useNow } from "../components/ui.tsx";
import { VirtualTable } from "../components/VirtualTable.tsx";
import { ApiError, api } from "../lib/api.ts";
import {
  buildDecisionBody,
  checkDraft,
  type DraftProblem,
  MIN_JUSTIFICATION,
  OUTCOMES,
  type Override,
  overrideFor,
  previewCounts,
  problemsByItem,
} from "../lib/decisions.ts";
import { type ItemFilter, itemMatches, NO_ITEM_FILTER } from "../lib/filters.ts";
import { fmtDate, humanize } from "../lib/format.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { useCan } from "../lib/session.tsx";
import type { Order, OrderItem, Outcome } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";
import { useOrder } from "../lib/useOrder.ts";

const OUTCOME_KIND: Record<string, "danger" | "warn" | "info" | "ok" | "muted"> = {
  withhold: "warn",
  temporary_withhold: "warn",
  global_action: "danger",
  no_action: "ok",
  restored: "info",
};

function OutcomeBadge(props: { outcome: string | undefined }) {
  if (!props.outcome) return <span className="muted">—</span>;
  return <Badge kind={OUTCOME_KIND[props.outcome] ?? "muted"}>{humanize(props.outcome)}</Badge>;
}

/** Rows kept in the table beyond the visible ones, each way. */
const WINDOW_MARGIN = 40;

/**
 * The items in the table's sort order (TanStack's sorting state; values from each column's accessor):
 * numbers by value, text in natural order, ties by position so the order is stable.
 */
export function sortItems(
  items: OrderItem[],
  columns: ColumnDef<OrderItem>[],
  sorting: SortingState,
): OrderItem[] {
  if (sorting.length === 0) return items;
  const keys = sorting.map((s) => {
    const col = columns.find((c) => c.id === s.id) as
      | { accessorFn?: (i: OrderItem, n: number) => unknown; accessorKey?: keyof OrderItem }
      | undefined;
    const get = col?.accessorFn
      ? (i: OrderItem) => col.accessorFn!(i, 0)
      : col?.accessorKey
        ? (i: OrderItem) => i[col.accessorKey!]
        : () => 0;
    return { get, sign: s.desc ? -1 : 1 };
  });
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  const values = items.map((i) => keys.map((k) => k.get(i)));
  const order = items.map((_, n) => n);
  order.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = values[a]![k];
      const y = values[b]![k];
      const c =
        typeof x === "number" && typeof y === "number"
          ? x - y
          : collator.compare(String(x ?? ""), String(y ?? ""));
      if (c !== 0) return c * keys[k]!.sign;
    }
    return items[a]!.position - items[b]!.position;
  });
  return order.map((n) => items[n]!);
}

interface SubmitResult {
  decided: number;
  ledgerEntries: number;
  status: string;
}

export function OrderPage(props: { id: string }) {
  const { query } = useLocation();
  const tab = query.get("tab") ?? "items";
  const { order, error, loading, complete, reload } = useOrder(props.id);
  const now = useNow();

  useEffect(() => {
    if (order) performance.mark("vigil:order-data");
  }, [order]);

  if (error)
    return (
      <div className="page">
        <h1>Order</h1>
        <ErrorBox error={error} />
      </div>
    );
  if (loading && !order)
    return (
      <div className="page">
        <Loading what="the order" />
      </div>
    );
  if (!order) return null;

  const tabs = [
    ["items", `Items (${order.items.length.toLocaleString("en")})`],
    ["timeline", "Timeline & correspondence"],
    ["response", "Compliance response"],
    ["attachments", "Attachments"],
  ] as const;
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          Order <span dir="auto">{order.reference}</span>
        </h1>
        <span className="badges">
          {order.emergency && <Badge kind="danger">emergency</Badge>}
          {order.confidential && <Badge kind="warn">confidential</Badge>}
          <Badge kind="info">{humanize(order.status)}</Badge>
          <Countdown deadline={order.reviewDeadline ?? order.deadline} status={order.status} now={now} />
        </span>
      </div>
      <dl className="facts">
        <dt>Authority</dt>
        <dd>
          <UserText>{order.authority.name}</UserText> ({order.authority.country},{" "}
          {humanize(order.authority.type)}){order.authority.officer ? ` · ${order.authority.officer}` : ""}
          {order.authority.rank ? `, ${order.authority.rank}` : ""}
        </dd>
        <dt>Legal basis</dt>
        <dd dir="auto">{order.legalBasis}</dd>
        <dt>Received</dt>
        <dd>{fmtDate(order.receivedAt)}</dd>
        <dt>Deadline</dt>
        <dd>
          {fmtDate(order.deadline)}
          {order.reviewDeadline ? ` · emergency review by ${fmtDate(order.reviewDeadline)}` : ""}
        </dd>
      </dl>
      {order.redacted && <div className="note">Some of this order is withheld from your role.</div>}
      <div className="tabs" role="tablist">
        {tabs.map(([k, label]) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? "tab current" : "tab"}
            onClick={() => setQuery({ tab: k === "items" ? null : k }, false)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === "items" && <Items order={order} complete={complete} reload={reload} />}
      {tab === "timeline" && <Timeline id={order.id} />}
      {tab === "response" && <ResponsePreview id={order.id} />}
      {tab === "attachments" && <Attachments id={order.id} />}
    </div>
  );
}

function Items(props: { order: Order; complete: boolean; reload: () => void }) {
  const { order } = props;
  const mayDecide = useCan("decide", "order");
  const [filter, setFilter] = useState<ItemFilter>(NO_ITEM_FILTER);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [overrides, setOverrides] = useState<Map<string, Override>>(() => new Map());
  const [bulkRecommended, setBulkRecommended] = useState(false);
  const [bulkReason, setBulkReason] = useState("");
  const [active, setActive] = useState(0);
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [serverProblems, setServerProblems] = useState<Map<string, string[]>>(() => new Map());
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<SubmitResult | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // The box answers each keystroke at once; the list follows in a render React may interrupt.
  const shownFilter = useDeferredValue(filter);
  const visible = useMemo(
    () => order.items.filter((i) => itemMatches(i, shownFilter, overrides.has(i.id))),
    [order.items, shownFilter, overrides],
  );

  const columns = useMemo<ColumnDef<OrderItem>[]>(
    () => [
      { id: "position", header: "#", accessorKey: "position", size: 56 },
      {
        id: "target",
        header: "Target",
        accessorKey: "target",
        size: 240,
        meta: { grow: true },
        cell: (c) => (
          <span className="ellipsis" title={c.row.original.target}>
            <UserText>{c.row.original.target}</UserText>
          </span>
        ),
      },
      {
        id: "subject",
        header: "Subject",
        accessorFn: (i) => i.subject?.id ?? `~${i.resolution}`,
        size: 130,
        cell: (c) => {
          const i = c.row.original;
          return i.subject ? (
            <Link
              href={`/subjects/${i.subject.type}/${encodeURIComponent(i.subject.id)}`}
              onClick={(e) => e.stopPropagation()}
            >
              {i.subject.type === "post" ? "post " : ""}
              {i.subject.id}
            </Link>
          ) : (
            <Badge kind="muted" title={i.resolutionNote ?? undefined}>
              {i.resolution}
            </Badge>
          );
        },
      },
      {
        id: "protected",
        header: "Protected",
        accessorFn: (i) => i.recommendation?.protectedCategory ?? "",
        size: 120,
        cell: (c) => {
          const p = c.row.original.recommendation?.protectedCategory;
          return p ? <Badge kind="protected">{humanize(p)}</Badge> : null;
        },
      },
      {
        id: "bot",
        header: "Bot",
        accessorFn: (i) => i.recommendation?.botLikelihood ?? -1,
        size: 64,
        cell: (c) => {
          const b = c.row.original.recommendation?.botLikelihood;
          if (b === undefined) return <span className="muted">—</span>;
          return (
            <span
              className={b >= 0.7 ? "bot-high" : b >= 0.4 ? "bot-mid" : "bot-low"}
              title={c.row.original.recommendation?.botSignals?.join(", ")}
            >
              {b.toFixed(2)}
            </span>
          );
        },
      },
      {
        id: "campaign",
        header: "Campaign",
        accessorFn: (i) => i.recommendation?.campaignCase ?? "",
        size: 96,
        cell: (c) => {
          const cc = c.row.original.recommendation?.campaignCase;
          return cc ? (
            <Link href={`/cases/${cc}`} onClick={(e) => e.stopPropagation()} title={`campaign case ${cc}`}>
              case
            </Link>
          ) : null;
        },
      },
      {
        id: "relisted",
        header: "Re-listed",
        accessorFn: (i) => (i.recommendation?.relisted ? 1 : 0),
        size: 84,
        cell: (c) => (c.row.original.recommendation?.relisted ? <Badge kind="info">re-listed</Badge> : null),
      },
      {
        id: "recommendation",
        header: "Recommendation",
        accessorFn: (i) => i.recommendation?.outcome ?? "",
        size: 300,
        meta: { grow: true },
        cell: (c) => {
          const r = c.row.original.recommendation;
          if (!r) return <span className="muted">—</span>;
          return (
            <span className="ellipsis" title={r.reasons.join("\n")}>
              <OutcomeBadge outcome={r.outcome} /> {r.countries?.join(", ")}{" "}
              <span className="muted" dir="auto">
                {r.reasons[0]}
              </span>
            </span>
          );
        },
      },
      {
        id: "decision",
        header: "Decision",
        accessorFn: (i) => i.decision?.outcome ?? "",
        size: 170,
        cell: (c) => {
          const i = c.row.original;
          const o = overrides.get(i.id);
          const sp = serverProblems.get(i.id);
          if (i.decision)
            return (
              <span title={i.decision.reason}>
                <OutcomeBadge outcome={i.decision.outcome} />
              </span>
            );
          return (
            <span className="badges">
              {o && (
                <Badge kind="info" title={o.reason}>
                  override: {humanize(o.outcome)}
                </Badge>
              )}
              {!o && bulkRecommended && <span className="muted">as recommended</span>}
              {sp && (
                <Badge kind="danger" title={sp.join("\n")}>
                  problem
                </Badge>
              )}
            </span>
          );
        },
      },
    ],
    [overrides, bulkRecommended, serverProblems],
  );

  // Sorted here, and only the rows in view go to TanStack (windowed): an order may list 100,000 items,
  // and building TanStack's row objects for all of them costs seconds and most of the garbage.
  const sorted = useMemo(() => sortItems(visible, columns, sorting), [visible, columns, sorting]);
  const [range, setRange] = useState({ first: 0, end: 60 });
  const onRange = useCallback(
    (first: number, end: number) =>
      setRange((r) => (r.first === first && r.end === end ? r : { first, end })),
    [],
  );
  const windowStart = Math.max(0, range.first - WINDOW_MARGIN);
  const windowRows = useMemo(
    () => sorted.slice(windowStart, range.end + WINDOW_MARGIN),
    [sorted, windowStart, range.end],
  );
  const table = useReactTable({
    data: windowRows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    getRowId: (i) => i.id,
    getCoreRowModel: getCoreRowModel(),
  });
  const activeItem = sorted[Math.min(active, sorted.length - 1)] ?? null;

  useEffect(() => {
    performance.mark("vigil:order-table");
    document.querySelector("[data-testid=items-table]")?.setAttribute("data-ready", "1");
  }, []);

  const setOverride = useCallback((id: string, o: Override | null) => {
    setOverrides((prev) => {
      const next = new Map(prev);
      if (o) next.set(id, o);
      else next.delete(id);
      return next;
    });
  }, []);

  const markOverride = useCallback(() => {
    if (!activeItem || activeItem.decision || !mayDecide) return;
    if (!overrides.has(activeItem.id)) {
      const rec = activeItem.recommendation?.outcome;
      // The usual override flips the recommendation: act where it says no action, and vice versa.
      setOverride(activeItem.id, overrideFor(activeItem, rec === "no_action" ? "withhold" : "no_action"));
    }
    setTimeout(() => reasonRef.current?.focus(), 0);
  }, [activeItem, overrides, mayDecide, setOverride]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest("input, textarea, select, [contenteditable=true]")) {
        if (e.key === "Escape") (t as HTMLElement).blur();
        return;
      }
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "j" || e.key === "ArrowDown") {
        e.preventDefault();
        setActive((a) => Math.min(a + 1, sorted.length - 1));
      } else if (e.key === "k" || e.key === "ArrowUp") {
        e.preventDefault();
        setActive((a) => Math.max(a - 1, 0));
      } else if (e.key === "o") {
        e.preventDefault();
        markOverride();
      } else if (e.key === "x" && activeItem) {
        e.preventDefault();
        setOverride(activeItem.id, null);
      } else if (e.key === "/") {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [sorted.length, markOverride, activeItem, setOverride]);

  const draft = { bulkRecommended, bulkReason, overrides };
  const counts = previewCounts(order, draft);
  const undecided = order.items.filter((i) => !i.decision).length;

  const submit = async () => {
    setResult(null);
    setSubmitError(null);
    setServerProblems(new Map());
    const p = checkDraft(order, draft);
    setProblems(p);
    if (p.length > 0) return;
    setBusy(true);
    try {
      const r = await api<SubmitResult>(`/v1/orders/${encodeURIComponent(order.id)}/decisions`, {
        method: "POST",
        body: buildDecisionBody(draft),
      });
      setResult(r);
      setOverrides(new Map());
      setBulkRecommended(false);
      props.reload();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, "client", String(e));
      setSubmitError(err);
      setServerProblems(problemsByItem(err.details));
    } finally {
      setBusy(false);
    }
  };

  const f = (patch: Partial<ItemFilter>) => setFilter((x) => ({ ...x, ...patch }));
  return (
    <div className="order-items">
      <div className="toolbar">
        <Field label="Filter (/)">
          <input
            ref={searchRef}
            value={filter.text}
            placeholder="target, subject, reason"
            onChange={(e) => f({ text: e.target.value })}
          />
        </Field>
        <Field label="Recommendation">
          <select value={filter.recommendation} onChange={(e) => f({ recommendation: e.target.value })}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
            <option value="overridden">overridden by me</option>
          </select>
        </Field>
        {(
          [
            ["onlyUndecided", "undecided"],
            ["onlyProtected", "protected"],
            ["onlyCampaign", "in a campaign"],
            ["onlyRelisted", "re-listed"],
          ] as const
        ).map(([k, label]) => (
          <label key={k} className="check">
            <input type="checkbox" checked={filter[k]} onChange={(e) => f({ [k]: e.target.checked })} />{" "}
            {label}
          </label>
        ))}
        <span className="muted">
          {sorted.length.toLocaleString("en")} of {order.items.length.toLocaleString("en")} shown
          {props.complete
            ? ""
            : ` (reading the order: ${order.items.length.toLocaleString("en")} of ${(order.itemCount ?? 0).toLocaleString("en")} items)`}{" "}
          · keys: j/k move, o override, x clear override, / filter
        </span>
      </div>

      {mayDecide ? (
        <section className="decide-bar" aria-label="Decide">
          <label className="check">
            <input
              type="checkbox"
              name="bulk-recommended"
              checked={bulkRecommended}
              disabled={undecided === 0}
              onChange={(e) => setBulkRecommended(e.target.checked)}
            />{" "}
            Decide all {undecided.toLocaleString("en")} undecided items as recommended
          </label>
          <input
            className="grow"
            name="bulk-reason"
            aria-label="Reason for the bulk decision"
            placeholder="Reason for the bulk decision (required)"
            value={bulkReason}
            onChange={(e) => setBulkReason(e.target.value)}
            disabled={!bulkRecommended}
          />
          <span className="muted">
            {overrides.size} override(s) ·{" "}
            {Object.entries(counts)
              .map(([k, n]) => `${n} ${humanize(k)}`)
              .join(", ") || "nothing selected"}
          </span>
          <button
            type="button"
            className="primary"
            onClick={() => void submit()}
            disabled={busy || !props.complete}
            title={props.complete ? undefined : "Every item must be read before decisions are submitted"}
          >
            {busy ? "Submitting…" : props.complete ? "Submit decisions" : "Reading the order…"}
          </button>
        </section>
      ) : (
        <div className="note">Your role may read this order but not decide it.</div>
      )}
      {problems.length > 0 && (
        <div className="error" role="alert">
          Fix before submitting:
          <ul>
            {problems.slice(0, 20).map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an item can have several problems; the list is rebuilt whole
              <li key={`${p.item}-${i}`}>
                {p.item ? (
                  <button type="button" className="link" onClick={() => jumpTo(p.item!)}>
                    {itemLabel(order, p.item)}
                  </button>
                ) : null}{" "}
                {p.message}
              </li>
            ))}
          </ul>
          {problems.length > 20 && <div>…and {problems.length - 20} more</div>}
        </div>
      )}
      <ErrorBox error={submitError} title="The server refused the decisions" />
      {serverProblems.size > 0 && (
        <ul className="error">
          {[...serverProblems].slice(0, 20).map(([id, msgs]) => (
            <li key={id}>
              <button type="button" className="link" onClick={() => jumpTo(id)}>
                {itemLabel(order, id)}
              </button>
              : {msgs.join("; ")}
            </li>
          ))}
        </ul>
      )}
      {result && (
        <div className="success" role="status">
          Recorded {result.decided} decision(s), {result.ledgerEntries} ledger entr
          {result.ledgerEntries === 1 ? "y" : "ies"}. The order is now {humanize(result.status)}.
        </div>
      )}

      <div className="split">
        <VirtualTable
          table={table}
          height="calc(100vh - 420px)"
          rowHeight={40}
          activeIndex={active}
          label="Order items"
          testId="items-table"
          window={{ rowCount: sorted.length, start: windowStart, onRange }}
          onRowClick={(_r, i) => setActive(i)}
          rowClassName={(r) =>
            [
              overrides.has(r.original.id) ? "overridden" : "",
              r.original.recommendation?.protectedCategory ? "protected" : "",
              serverProblems.has(r.original.id) ? "has-problem" : "",
            ].join(" ")
          }
        />
        {activeItem && (
          <ItemPanel
            key={activeItem.id}
            order={order}
            item={activeItem}
            override={overrides.get(activeItem.id) ?? null}
            setOverride={(o) => setOverride(activeItem.id, o)}
            mayDecide={mayDecide}
            reasonRef={reasonRef}
            problems={serverProblems.get(activeItem.id) ?? []}
          />
        )}
      </div>
    </div>
  );

  function jumpTo(id: string) {
    const idx = sorted.findIndex((i) => i.id === id);
    if (idx >= 0) setActive(idx);
    else {
      setFilter(NO_ITEM_FILTER);
      const all = order.items.findIndex((i) => i.id === id);
      if (all >= 0) setActive(all);
    }
  }
}

function itemLabel(order: Order, id: string): string {
  const i = order.items.find((x) => x.id === id);
  return i ? `#${i.position} ${i.target}` : id;
}

function ItemPanel(props: {
  order: Order;
  item: OrderItem;
  override: Override | null;
  setOverride: (o: Override | null) => void;
  mayDecide: boolean;
  reasonRef: React.RefObject<HTMLTextAreaElement | null>;
  problems: string[];
}) {
  const { item, override: o, order } = props;
  const r = item.recommendation;
  const [similar, setSimilar] = useState<{
    loading: boolean;
    error: ApiError | null;
    rows: SimilarCase[] | null;
  }>({
    loading: false,
    error: null,
    rows: null,
  });
  const loadSimilar = async () => {
    setSimilar({ loading: true, error: null, rows: null });
    try {
      const s = await api<{ similar: SimilarCase[] }>(
        `/v1/orders/${encodeURIComponent(order.id)}/items/${encodeURIComponent(item.id)}/similar?k=5`,
      );
      setSimilar({ loading: false, error: null, rows: s.similar });
    } catch (e) {
      setSimilar({ loading: false, error: e as ApiError, rows: null });
    }
  };
  const patch = (p: Partial<Override>) => o && props.setOverride({ ...o, ...p });
  const protectedCat = r?.protectedCategory;
  return (
    <aside className="item-panel" aria-label="Selected item">
      <h2>
        Item #{item.position}{" "}
        {protectedCat && <Badge kind="protected">protected: {humanize(protectedCat)}</Badge>}
      </h2>
      <div className="kv">
        <div>
          <b>Target</b> <UserText>{item.target}</UserText>
        </div>
        <div>
          <b>Order's reason</b> <UserText>{item.reason ?? "—"}</UserText>
        </div>
        <div>
          <b>Resolved</b>{" "}
          {item.subject ? (
            <Link href={`/subjects/${item.subject.type}/${encodeURIComponent(item.subject.id)}`}>
              {item.subject.type} {item.subject.id}
            </Link>
          ) : (
            `${item.resolution}${item.resolutionNote ? `: ${item.resolutionNote}` : ""}`
          )}
        </div>
        {r && (
          <>
            <div>
              <b>Recommendation</b> <OutcomeBadge outcome={r.outcome} /> {r.countries?.join(", ")}{" "}
              {r.rule ? `rule ${r.rule}` : ""}
            </div>
            <ul className="reasons">
              {r.reasons.map((x) => (
                <li key={x} dir="auto">
                  {x}
                </li>
              ))}
            </ul>
            {r.botLikelihood !== undefined && (
              <div>
                <b>Bot likelihood</b> {r.botLikelihood.toFixed(2)}{" "}
                {r.botSignals?.length ? <span className="muted">({r.botSignals.join(", ")})</span> : null}
              </div>
            )}
            {r.campaignCase && (
              <div>
                <b>Campaign</b>{" "}
                <Link href={`/cases/${r.campaignCase}`}>case {r.campaignCase.slice(0, 8)}</Link>
              </div>
            )}
            {r.relisted && (
              <div>
                <Badge kind="info">re-listed</Badge> named in an earlier order
              </div>
            )}
          </>
        )}
        {item.decision && (
          <div>
            <b>Decided</b> <OutcomeBadge outcome={item.decision.outcome} /> {fmtDate(item.decision.decidedAt)}
            {item.decision.reason ? (
              <div className="muted" dir="auto">
                {item.decision.reason}
              </div>
            ) : null}
          </div>
        )}
      </div>
      {props.problems.length > 0 && (
        <div className="error">
          {props.problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </div>
      )}
      {props.mayDecide && !item.decision && (
        <div className="override">
          {!o ? (
            <button
              type="button"
              onClick={() => {
                props.setOverride(overrideFor(item, r?.outcome === "no_action" ? "withhold" : "no_action"));
                setTimeout(() => props.reasonRef.current?.focus(), 0);
              }}
            >
              Override this item (o)
            </button>
          ) : (
            <div className="stack">
              <Field label="Outcome">
                <select
                  name="override-outcome"
                  value={o.outcome}
                  onChange={(e) => {
                    const next = overrideFor(item, e.target.value as Outcome);
                    props.setOverride({ ...next, reason: o.reason, justification: o.justification });
                  }}
                >
                  {OUTCOMES.map((x) => (
                    <option key={x} value={x}>
                      {humanize(x)}
                    </option>
                  ))}
                </select>
              </Field>
              {(o.outcome === "withhold" || o.outcome === "temporary_withhold") && (
                <Field label="Countries (default: the requesting country)">
                  <input
                    value={(o.countries ?? []).join(", ")}
                    placeholder={order.authority.country}
                    onChange={(e) =>
                      patch({
                        countries: e.target.value
                          .split(/[\s,]+/)
                          .map((s) => s.toUpperCase())
                          .filter(Boolean),
                      })
                    }
                  />
                </Field>
              )}
              {o.outcome === "temporary_withhold" && !order.emergency && (
                <Field label="Until (UTC, required outside emergencies)">
                  <input
                    type="datetime-local"
                    value={o.until?.slice(0, 16) ?? ""}
                    onChange={(e) => patch({ until: e.target.value ? `${e.target.value}:00Z` : undefined })}
                  />
                </Field>
              )}
              {o.outcome === "global_action" && (
                <>
                  <Field label="Action">
                    <select
                      value={o.action ?? "suspend"}
                      onChange={(e) => patch({ action: e.target.value as Override["action"] })}
                    >
                      <option value="suspend">suspend</option>
                      <option value="label">label</option>
                      <option value="limit_engagement">limit engagement</option>
                    </select>
                  </Field>
                  <Field label="Platform rule">
                    <input value={o.rule ?? ""} onChange={(e) => patch({ rule: e.target.value })} />
                  </Field>
                  {o.action === "label" && (
                    <Field label="Label">
                      <input value={o.label ?? ""} onChange={(e) => patch({ label: e.target.value })} />
                    </Field>
                  )}
                </>
              )}
              <Field label="Reason (required)">
                <textarea
                  name="override-reason"
                  ref={props.reasonRef}
                  rows={2}
                  dir="auto"
                  value={o.reason}
                  onChange={(e) => patch({ reason: e.target.value })}
                />
              </Field>
              {protectedCat && o.outcome !== "no_action" && (
                <Field
                  label={`Justification for acting on a protected subject (≥ ${MIN_JUSTIFICATION} characters)`}
                >
                  <textarea
                    name="override-justification"
                    rows={2}
                    dir="auto"
                    value={o.justification ?? ""}
                    onChange={(e) => patch({ justification: e.target.value })}
                  />
                  <span
                    className={
                      (o.justification ?? "").trim().length >= MIN_JUSTIFICATION ? "muted" : "warn-text"
                    }
                  >
                    {(o.justification ?? "").trim().length} / {MIN_JUSTIFICATION}
                  </span>
                </Field>
              )}
              <button type="button" onClick={() => props.setOverride(null)}>
                Remove override (x)
              </button>
            </div>
          )}
        </div>
      )}
      <div className="similar">
        <button type="button" onClick={() => void loadSimilar()} disabled={similar.loading}>
          {similar.loading ? "Looking…" : "Similar earlier cases"}
        </button>
        <ErrorBox error={similar.error} />
        {similar.rows && similar.rows.length === 0 && (
          <div className="muted">No earlier case like this one.</div>
        )}
        {similar.rows && similar.rows.length > 0 && (
          <ul>
            {similar.rows.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: similar cases have no id; the list is rebuilt whole
              <li key={`${i}-${s.distance}`}>
                <OutcomeBadge outcome={s.outcome} /> distance {s.distance.toFixed(2)} ·{" "}
                <span className="muted" dir="auto">
                  {describeCase(s.case)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}

interface SimilarCase {
  case: Record<string, unknown>;
  distance: number;
  outcome: string;
  severityRank: number;
}

function describeCase(c: Record<string, unknown>): string {
  const pick = [
    "reference",
    "orderReference",
    "target",
    "subject",
    "reason",
    "decidedAt",
    "country",
    "category",
  ];
  const parts: string[] = [];
  for (const k of pick) {
    const v = c[k];
    if (v === undefined || v === null) continue;
    parts.push(`${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  }
  return parts.length ? parts.join(" · ") : JSON.stringify(c).slice(0, 240);
}

function Timeline(props: { id: string }) {
  const mayRecord = useCan("decide", "order");
  const { data, error, loading, reload } = useApi<{
    events: Array<{ at: string; kind: string; summary: string; ref?: string | number }>;
  }>(`/v1/orders/${encodeURIComponent(props.id)}/timeline`);
  if (loading && !data) return <Loading what="the timeline" />;
  return (
    <div>
      <ErrorBox error={error} />
      <ol className="timeline">
        {data?.events.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; the list only grows at the end
          <li key={`${e.at}-${i}`}>
            <span className="muted">{fmtDate(e.at)}</span> <Badge kind="info">{humanize(e.kind)}</Badge>{" "}
            <UserText>{e.summary}</UserText>
          </li>
        ))}
      </ol>
      {data && data.events.length === 0 && <p className="muted">Nothing has happened yet.</p>}
      {mayRecord && <CorrespondenceForm orderId={props.id} onSaved={reload} />}
    </div>
  );
}

interface ComplianceResponse {
  orderId: string;
  reference: string;
  to: string;
  generatedAt: string;
  summary: Record<string, number>;
  items: Array<{ item: string; target: string; outcome: string; statement: string }>;
  text: string;
}

function ResponsePreview(props: { id: string }) {
  const { data, error, loading } = useApi<ComplianceResponse>(
    `/v1/orders/${encodeURIComponent(props.id)}/response`,
  );
  if (loading && !data) return <Loading what="the response" />;
  return (
    <div>
      <ErrorBox error={error} />
      {data && (
        <>
          <p>
            To <UserText>{data.to}</UserText> · generated {fmtDate(data.generatedAt)} ·{" "}
            {Object.entries(data.summary)
              .map(([k, v]) => `${v} ${humanize(k)}`)
              .join(", ")}
          </p>
          <pre className="response-text" dir="auto">
            {data.text}
          </pre>
        </>
      )}
    </div>
  );
}

interface Attachment {
  id: string | null;
  filename: string;
  contentType: string;
  sha256: string;
  size: number | null;
  listed: boolean;
  stored: boolean;
  uploadedAt: string | null;
}

function Attachments(props: { id: string }) {
  const { data, error, loading } = useApi<{ attachments: Attachment[] }>(
    `/v1/orders/${encodeURIComponent(props.id)}/attachments`,
  );
  if (loading && !data) return <Loading what="attachments" />;
  return (
    <div>
      <ErrorBox error={error} />
      {data && data.attachments.length === 0 && <p className="muted">No attachments.</p>}
      <table className="simple">
        <tbody>
          {data?.attachments.map((a) => (
            <tr key={a.sha256}>
              <td>
                {a.stored && a.id ? (
                  <a
                    href={`/v1/orders/${encodeURIComponent(props.id)}/attachments/${encodeURIComponent(a.id)}`}
                  >
                    {a.filename}
                  </a>
                ) : (
                  <span dir="auto">{a.filename}</span>
                )}
              </td>
              <td>{a.contentType}</td>
              <td>{a.size === null ? "—" : `${a.size.toLocaleString("en")} bytes`}</td>
              <td>
                <code title="SHA-256">{a.sha256.slice(0, 16)}…</code>
              </td>
              <td>
                {a.stored ? <Badge kind="ok">stored</Badge> : <Badge kind="warn">listed, not uploaded</Badge>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
