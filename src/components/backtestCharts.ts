/**
 * The backtest page's components: the lift-per-period chart (Katz intervals), the
 * days-to-MQL chart, the periods editor and the tables. Pure functions of their data, except the
 * editor, which is an input (its value is the list of periods as typed, validated by the page).
 */
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import type {CalibrationRow, PublishedRow} from "../lib/backtest/format.js";
import type {Period, Stability} from "../lib/backtest/backtest.js";
import {int, pct, times} from "../lib/format.js";
import type {Maturity} from "../lib/backtest/maturity.js";
import * as specs from "../lib/backtest/tables.js";
import type {SeriesPoint} from "../lib/backtest/tables.js";
import {dataTable} from "./table.js";

const PUBLISHED = "#d97706";
const HALO = {stroke: "var(--theme-background)", strokeWidth: 3, paintOrder: "stroke"} as const;

export type {SeriesPoint};

/**
 * Test lift per period (one panel per period), one dot per tier, group or rule set, with the
 * Katz log 95% interval of the lift (the tier's and the window's rates both uncertain).
 * The dashed line at 1× is the window's own rate. Published lifts (seeds) as orange diamonds.
 */
export function liftChart(points: SeriesPoint[], {width, published = [], publishedOn, height = 300}: {width: number; published?: {period: string; lift: number | null}[]; publishedOn?: string; height?: number}): HTMLElement | SVGSVGElement {
  const rows = points.map((p) => ({...p, key: p.series ?? p.label}));
  const keys = [...new Set(rows.map((r) => r.key))];
  const periods = [...new Set(rows.map((r) => r.period))];
  const pub = published.filter((p) => p.lift !== null && periods.includes(p.period)).map((p) => ({...p, key: publishedOn ?? keys[0]}));
  // The axis follows the lifts, not the widest interval: a tier with one or two conversions has a
  // Katz interval reaching 20× or more, which would flatten every dot. Such intervals are cut at the
  // top and end in an arrow; the table below the chart gives their bounds.
  const top = Math.max(2, ...rows.map((r) => (r.lift ?? 0) * 1.6), ...pub.map((p) => p.lift! * 1.2));
  const cut = rows.filter((r) => r.liftHigh !== null && r.liftHigh > top * 1.05);
  return Plot.plot({
    width,
    height,
    marginTop: 30,
    marginBottom: 36,
    marginLeft: 50,
    fx: {label: null, domain: periods, axis: "bottom", padding: 0.12},
    x: {domain: keys, axis: null, padding: 0.3},
    y: {label: "test lift (× the test window's rate)", domain: [0, top * 1.05], grid: true},
    color: {domain: keys, legend: true, scheme: "tableau10"},
    marks: [
      Plot.frame({anchor: "bottom", stroke: "var(--theme-foreground-faint)"}),
      Plot.ruleY([1], {stroke: "currentColor", strokeDasharray: "4,3"}),
      Plot.ruleX(rows.filter((r) => r.liftLow !== null), {fx: "period", x: "key", y1: "liftLow", y2: (r) => Math.min(r.liftHigh!, top * 1.05), stroke: "key", strokeWidth: 2, strokeOpacity: 0.55}),
      Plot.text(cut, {fx: "period", x: "key", y: top * 1.05, text: () => "▲", fill: "key", fontSize: 9, dy: -2}),
      Plot.dot(rows.filter((r) => r.lift !== null), {fx: "period", x: "key", y: "lift", fill: "key", r: 4}),
      Plot.text(rows.filter((r) => r.lift === null), {fx: "period", x: "key", y: 0, text: () => "–", dy: -6, fill: "var(--theme-foreground-muted)"}),
      Plot.dot(pub, {fx: "period", x: "key", y: "lift", symbol: "diamond", stroke: PUBLISHED, strokeWidth: 2, r: 5}),
      Plot.tip(rows, Plot.pointer({fx: "period", x: "key", y: (r) => r.lift ?? 0, channels: {
        tier: {value: "key", label: ""},
        lift: {value: (r) => times(r.lift), label: "test lift"},
        interval: {value: (r) => (r.liftLow === null ? "–" : `${times(r.liftLow)}–${times(r.liftHigh)}`), label: "95% CI (Katz)"},
        rate: {value: (r) => `${pct(r.rate)} (n = ${int(r.labeled)})`, label: "rate"}
      }, format: {x: false, y: false, fx: true, stroke: false}}))
    ]
  });
}

/** The lift chart's table: one row per point. */
export function liftTable(points: SeriesPoint[], csvName: string): HTMLElement {
  return dataTable(specs.liftTable, points, {csvName});
}

/** Test lift across periods per tier or group: each period, mean, min, max, sample SD. */
export function stabilityTable(rows: Stability[], periods: string[], csvName: string): HTMLElement {
  return dataTable(specs.stabilityTable(periods), rows, {csvName});
}

/** One period: the train calibration (expected conversion) beside the out-of-sample test result. */
export function calibrationTable(rows: CalibrationRow[], csvName: string, minLabeled: number): HTMLElement {
  return dataTable(specs.calibrationTable, rows, {csvName, caption: `⚑ fewer than ${minLabeled} labeled test leads (the seeds' merge rule): read that rate with care.`});
}

/** The seeds' published backtest beside the computed Tier 1 (first group). */
export function publishedTable(rows: PublishedRow[], rulesName: string, csvName: string): HTMLElement {
  return dataTable(specs.publishedTable(rulesName), rows, {csvName, caption: "Tier 1 in each test window: lift, rate and test leads."});
}

const DAY_TICKS = [0, 1, 2, 5, 10, 20, 43, 90, 180, 365, 730, 1460];

/** Cumulative share of conversions by days from contact to MQL, with the 90% window and the chosen one. */
export function daysChart(m: Maturity, {width, published}: {width: number; published?: number}): HTMLElement | SVGSVGElement {
  let seen = 0;
  const cum = m.distribution.map((d) => ({days: d.days, share: (seen += d.conversions) / m.conversions}));
  const rules = [
    m.captureWindow === null ? null : {days: m.captureWindow, label: `${pct(m.capture, 0)} by ${m.captureWindow} days`, color: "currentColor"},
    published === undefined ? null : {days: published, label: `seeds: ${published} days`, color: PUBLISHED},
    m.maturityDays === null ? null : {days: m.maturityDays, label: `chosen window: ${m.maturityDays} days`, color: "var(--theme-foreground-focus)"}
  ].filter((r): r is {days: number; label: string; color: string} => r !== null);
  return Plot.plot({
    width,
    height: 260,
    marginTop: 20,
    marginRight: 30,
    x: {type: "symlog", label: "days from contact to MQL (symlog scale) →", grid: true, ticks: DAY_TICKS.filter((d) => d <= Math.max(1, m.distribution.at(-1)?.days ?? 1) * 1.2)},
    y: {label: "share of conversions (%)", percent: true, domain: [0, 100], grid: true},
    marks: [
      Plot.lineY(cum, {x: "days", y: "share", curve: "step-after", stroke: "currentColor"}),
      Plot.ruleX(rules, {x: "days", stroke: "color", strokeDasharray: "4,3"}),
      Plot.text(rules, {x: "days", y: (_, i) => 0.08 + 0.12 * i, text: "label", textAnchor: "start", dx: 4, fill: "color", ...HALO}),
      Plot.tip(cum, Plot.pointerX({x: "days", y: "share", format: {y: ".1%"}}))
    ]
  });
}

type PeriodsInput = HTMLElement & {value: unknown[]};

/** A small table of period names and dates; the value is the list as typed (validated by the page). */
export function periodsEditor(initial: readonly Period[]): PeriodsInput {
  const body = html`<tbody></tbody>` as HTMLTableSectionElement;
  const form = html`<form class="tl-periods" onsubmit="return false"><table class="tl-table">
    <thead><tr><th>period</th><th>train from</th><th>train to</th><th>test from</th><th>test to</th><th></th></tr></thead>
    ${body}</table>
    <button type="button" name="add">Add a period</button> <button type="button" name="reset">Reset to the seeds' four</button>
  </form>` as PeriodsInput;
  const row = (p: {name: string; train: string[]; test: string[]}, i: number) => {
    const date = (v: string, label: string) => html`<input type="date" value=${v} aria-label=${`${label} ${i + 1}`} required>`;
    const remove = html`<button type="button" title="remove this period" aria-label=${`remove period ${i + 1}`}>✕</button>`;
    const tr = html`<tr><td><input type="text" value=${p.name} size="12" aria-label=${`period ${i + 1} name`}></td>
      <td>${date(p.train[0], "train from")}</td><td>${date(p.train[1], "train to")}</td>
      <td>${date(p.test[0], "test from")}</td><td>${date(p.test[1], "test to")}</td><td>${remove}</td></tr>` as HTMLTableRowElement;
    remove.onclick = () => {
      tr.remove();
      changed();
    };
    return tr;
  };
  const read = () => [...body.rows].map((tr) => {
    const v = [...tr.querySelectorAll("input")].map((i) => i.value);
    return {name: v[0], train: [v[1], v[2]], test: [v[3], v[4]]};
  });
  const fill = (periods: readonly {name: string; train: string[]; test: string[]}[]) => body.replaceChildren(...periods.map(row));
  const changed = () => {
    form.value = read();
    form.dispatchEvent(new Event("input", {bubbles: true}));
  };
  fill(initial);
  form.value = read();
  (form.querySelector("[name=add]") as HTMLButtonElement).onclick = () => {
    const last = read().at(-1);
    body.append(row({name: `P${body.rows.length + 1}`, train: last ? [...last.train] : ["", ""], test: last ? [...last.test] : ["", ""]}, body.rows.length));
    changed();
  };
  (form.querySelector("[name=reset]") as HTMLButtonElement).onclick = () => {
    fill(initial);
    changed();
  };
  // Only committed edits (change), so a half-typed date does not redraw everything.
  body.addEventListener("change", changed);
  body.addEventListener("input", (e) => e.stopPropagation());
  return form;
}
