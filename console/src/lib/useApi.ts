import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "./api.ts";

export interface ApiState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** GET a path (null: nothing yet) and keep the latest answer; a newer request wins over an older one. */
export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const gen = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    if (path === null) return;
    const mine = ++gen.current;
    setLoading(true);
    api<T>(path).then(
      (d) => {
        if (gen.current !== mine) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (gen.current !== mine) return;
        setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
        setLoading(false);
      },
    );
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
