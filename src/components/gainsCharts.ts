/** The gains curve and lift chart (Observable Plot) from a report's gains rows, and the tier page's gains panel. */
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {gainsCurve, type GainsRow} from "../lib/tiers/gains.js";
import {discriminationSentence} from "../lib/tiers/format.js";
import type {Report} from "../lib/tiers/report.js";
import {gainsTable} from "./tierTables.js";

/** A chart's width, and the document to draw in (the page's when omitted; the report file's in Node). */
export interface ChartOptions {
  width: number;
  document?: Document;
}

/**
 * Cumulative share of leads (x) against cumulative share of conversions (y), one point per tier in
 * rule order from (0, 0), with the diagonal a random order would give.
 */
export function gainsCurveChart(rows: readonly GainsRow[], labels: ReadonlyMap<string, string>, {width, document}: ChartOptions): SVGSVGElement | HTMLElement {
  const points = gainsCurve(rows).map((p) => ({...p, name: labels.get(p.id) ?? p.id}));
  return Plot.plot({
    document,
    width,
    height: Math.round(Math.min(width, 460) * 0.85),
    marginRight: 20,
    x: {label: "cumulative share of leads (%) →", percent: true, domain: [0, 100], grid: true},
    y: {label: "↑ cumulative share of conversions (%)", percent: true, domain: [0, 100], grid: true},
    marks: [
      Plot.line([[0, 0], [1, 1]], {stroke: "var(--theme-foreground-muted)", strokeDasharray: "4,3"}),
      Plot.text([[0.62, 0.58]], {text: () => "random order", rotate: -35, fill: "var(--theme-foreground-muted)", fontSize: 10}),
      Plot.line(points, {x: "leadsShare", y: "conversionsShare", stroke: "var(--theme-foreground-focus)", strokeWidth: 2}),
      Plot.dot(points.slice(1), {x: "leadsShare", y: "conversionsShare", fill: "var(--theme-foreground-focus)", r: 3.5, tip: {format: {x: ".1%", y: ".1%"}}, channels: {tier: "name"}}),
      // The priority tiers' point (the last before the fallback), labelled in words.
      Plot.text(points.length > 2 ? [points[points.length - 2]] : [], {
        x: "leadsShare",
        y: "conversionsShare",
        text: (p) => `priority tiers: ${(p.leadsShare * 100).toFixed(1)}% of leads, ${(p.conversionsShare * 100).toFixed(1)}% of conversions`,
        textAnchor: "start",
        dx: 8,
        dy: -8,
        fontSize: 11
      })
    ]
  });
}

/** Cumulative lift by tier in rule order (bars), against 1× (all leads). */
export function liftChart(rows: readonly GainsRow[], labels: ReadonlyMap<string, string>, {width, document}: ChartOptions): SVGSVGElement | HTMLElement {
  const data = rows.map((r) => ({name: labels.get(r.id) ?? r.id, lift: r.cumLift, share: r.cumLeadsShare}));
  return Plot.plot({
    document,
    width,
    height: 40 + 30 * data.length,
    marginLeft: Math.min(240, 8 + 7 * Math.max(...data.map((d) => d.name.length))),
    x: {label: "cumulative lift vs all leads (×), from tier 1 down to each tier →", grid: true, domain: [0, Math.max(1.2, ...data.map((d) => d.lift ?? 0)) * 1.08]},
    y: {label: null, domain: data.map((d) => d.name)},
    marks: [
      Plot.barX(data.filter((d) => d.lift !== null), {y: "name", x: "lift", fill: "var(--theme-foreground-focus)", fillOpacity: 0.7, tip: {format: {x: ".2f", share: ".1%"}}, channels: {share: {value: "share", label: "share of leads"}}}),
      Plot.text(data, {y: "name", x: (d) => d.lift ?? 0, text: (d) => (d.lift === null ? "–" : `${d.lift.toFixed(2)}×`), dx: 4, textAnchor: "start", fontSize: 11}),
      Plot.ruleX([1], {stroke: "currentColor", strokeDasharray: "4,3"})
    ]
  });
}

/** Framework's `resize`, passed in by the page (components use no implicit globals). */
export type Resize = (render: (width: number) => Node | SVGSVGElement | HTMLElement) => Node;

/**
 * The tier page's gains panel for one report: AUC / Gini / KS in words, the gains table, the gains
 * curve and the lift chart (the report's own rows: nothing is recomputed here).
 */
export function gainsPanel(report: Report, resize: Resize, {csvName}: {csvName: string}): HTMLElement {
  const labels = new Map(report.tiers.map((t) => [t.id, t.label]));
  return html`<div id="gains">
    <p id="gains-discrimination">${discriminationSentence(report.discrimination)}</p>
    <div id="gains-table">${gainsTable(report, csvName)}</div>
    <figure id="gains-curve"><figcaption>Gains: share of conversions against share of leads, tier by tier (dashed: a random order)</figcaption>${resize((width) => gainsCurveChart(report.gains, labels, {width: Math.min(width, 560)}))}</figure>
    <figure id="gains-lift"><figcaption>Cumulative lift, tier 1 down to each tier</figcaption>${resize((width) => liftChart(report.gains, labels, {width}))}</figure>
  </div>`;
}
