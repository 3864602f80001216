import * as Plot from "@observablehq/plot";
import type {MonthRow} from "../lib/overview/overview.js";

const parse = (m: string) => new Date(m + "T00:00:00Z");

/** Monthly lead volume (bars). */
export function monthlyVolumeChart(rows: MonthRow[], {width}: {width: number}): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height: 180,
    marginLeft: 50,
    x: {type: "utc", label: null},
    y: {label: "leads per month", grid: true},
    marks: [
      Plot.rectY(rows, {x1: (d) => parse(d.month), x2: (d) => Plot.utcInterval("month").offset(parse(d.month)), y: "leads", fill: "var(--theme-foreground-faint)", inset: 1, tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** Monthly conversion rate with its Wilson 95% interval as a band, and the baseline as a rule. */
export function monthlyRateChart(rows: MonthRow[], {width, baseline}: {width: number; baseline: number | null}): SVGSVGElement | HTMLElement {
  const labeled = rows.filter((d) => d.rate !== null).map((d) => ({...d, date: Plot.utcInterval("day").offset(parse(d.month), 14), lo: d.ci![0], hi: d.ci![1]}));
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 50,
    x: {type: "utc", label: null},
    y: {label: "conversion rate (%)", grid: true, percent: true, zero: true},
    marks: [
      Plot.areaY(labeled, {x: "date", y1: "lo", y2: "hi", fill: "var(--theme-foreground-focus)", fillOpacity: 0.15, curve: "step"}),
      Plot.lineY(labeled, {x: "date", y: "rate", stroke: "var(--theme-foreground-focus)", marker: "dot", tip: {format: {lo: ".2%", hi: ".2%", rate: ".2%"}}, channels: {n: "labeled", lo: "lo", hi: "hi"}}),
      baseline === null ? null : Plot.ruleY([baseline], {stroke: "currentColor", strokeDasharray: "4,3"}),
      baseline === null ? null : Plot.text([baseline], {y: (d) => d, frameAnchor: "right", dy: -6, text: () => "baseline (all leads)", fontSize: 10})
    ]
  });
}
