import * as Plot from "@observablehq/plot";

export interface RateRow {
  id: string;
  label?: string;
  leads: number;
  labeled: number;
  rate: number | null;
  ci: [number, number] | null;
}

/**
 * Conversion rate per tier with its Wilson 95% interval, against the population rate (dashed) —
 * the sample size is printed beside every tier.
 */
export function tierRateChart(rows: RateRow[], {width, baseline, title, document}: {width: number; baseline: number | null; title?: string; document?: Document}): SVGSVGElement | HTMLElement {
  const data = rows.map((r) => ({...r, name: r.label ? `${r.label}` : r.id, lo: r.ci?.[0] ?? null, hi: r.ci?.[1] ?? null}));
  const max = Math.max(0.05, ...data.map((d) => d.hi ?? 0), baseline ?? 0);
  return Plot.plot({
    document,
    title,
    width,
    height: 40 + 34 * data.length,
    marginLeft: Math.min(240, 8 + 7 * Math.max(...data.map((d) => d.name.length))),
    marginRight: 90,
    x: {label: "conversion rate (%) — bar: 95% Wilson interval", percent: true, domain: [0, max * 105], grid: true},
    y: {label: null, domain: data.map((d) => d.name)},
    marks: [
      Plot.ruleY(data.filter((d) => d.lo !== null), {y: "name", x1: "lo", x2: "hi", stroke: "var(--theme-foreground-focus)", strokeWidth: 3, strokeOpacity: 0.35}),
      Plot.dot(data.filter((d) => d.rate !== null), {y: "name", x: "rate", fill: "var(--theme-foreground-focus)", r: 4, tip: {format: {y: true, x: ".2%"}}, channels: {n: "labeled", leads: "leads"}}),
      Plot.text(data, {y: "name", frameAnchor: "right", dx: 86, textAnchor: "end", text: (d) => (d.rate === null ? `n = ${d.labeled} (no rate)` : `n = ${d.labeled.toLocaleString("en-US")}`), fill: "var(--theme-foreground-muted)", fontSize: 11}),
      baseline === null ? null : Plot.ruleX([baseline], {stroke: "currentColor", strokeDasharray: "4,3"}),
      baseline === null ? null : Plot.text([baseline], {x: (d) => d, frameAnchor: "top", dy: -2, text: () => "all leads", fontSize: 10, textAnchor: "start", dx: 3})
    ]
  });
}
