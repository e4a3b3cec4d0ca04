/** One ECharts chart; the library is a separate chunk loaded on first use. */
import { useEffect, useRef, useState } from "react";

type ECharts = typeof import("./../lib/echarts.ts")["echarts"];
let loading: Promise<ECharts> | null = null;
export const loadECharts = (): Promise<ECharts> => {
  loading ??= import("../lib/echarts.ts").then((m) => m.echarts);
  return loading;
};

export function Chart(props: {
  option: Record<string, unknown>;
  height?: number;
  label: string;
  onClick?: (name: string) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const [err, setErr] = useState<string | null>(null);
  const { option, onClick } = props;
  useEffect(() => {
    let disposed = false;
    let chart: { dispose: () => void; resize: () => void } | null = null;
    const ro = new ResizeObserver(() => chart?.resize());
    loadECharts().then(
      (echarts) => {
        if (disposed || !el.current) return;
        const c = echarts.init(el.current, undefined, { renderer: "canvas" });
        c.setOption(option);
        if (onClick) c.on("click", (p) => onClick(String((p as { name?: string }).name ?? "")));
        chart = c;
        ro.observe(el.current);
      },
      (e: unknown) => setErr(String(e)),
    );
    return () => {
      disposed = true;
      ro.disconnect();
      chart?.dispose();
    };
  }, [option, onClick]);
  if (err) return <div className="error">The chart could not load: {err}</div>;
  return (
    <div
      ref={el}
      className="chart"
      role="img"
      aria-label={props.label}
      style={{ height: props.height ?? 280 }}
    />
  );
}
