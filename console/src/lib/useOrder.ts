import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, qs } from "./api.ts";
import type { Order } from "./types.ts";

/** Items read per request: the first page shows at once, the rest follow in the background. */
export const ORDER_PAGE_ITEMS = 10_000;

export interface OrderState {
  order: Order | null;
  error: ApiError | null;
  loading: boolean;
  /** Every item has arrived (decisions are submitted only then). */
  complete: boolean;
  reload: () => void;
}

/**
 * An order read a page of items at a time: a 100,000-item order is ~40 MB of JSON, which parsed in
 * one piece holds the page's only thread for seconds. The first page is shown as soon as it arrives;
 * later pages are appended as they come. A reload keeps showing the old copy until the new first page.
 */
export function useOrder(id: string): OrderState {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [complete, setComplete] = useState(false);
  const [tick, setTick] = useState(0);
  const gen = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    const mine = ++gen.current;
    const path = (offset: number) =>
      `/v1/orders/${encodeURIComponent(id)}${qs({ offset: offset || null, limit: ORDER_PAGE_ITEMS })}`;
    setLoading(true);
    (async () => {
      const first = await api<Order>(path(0));
      if (gen.current !== mine) return;
      const total = first.itemCount ?? first.items.length;
      setOrder(first);
      setError(null);
      setLoading(false);
      setComplete(first.items.length >= total);
      let have = first.items.length;
      while (have < total) {
        const next = await api<Order>(path(have));
        if (gen.current !== mine) return;
        if (next.items.length === 0) break;
        have += next.items.length;
        setOrder((o) => (o ? { ...next, items: [...o.items, ...next.items] } : next));
        if (have >= total) setComplete(true);
      }
    })().catch((e: unknown) => {
      if (gen.current !== mine) return;
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
      setLoading(false);
    });
  }, [id, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { order, error, loading, complete, reload };
}
