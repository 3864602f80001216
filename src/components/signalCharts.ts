/** Charts of the signal investigation: rate bars with Wilson intervals and n, and the cross heatmap. */
import * as Plot from "@observablehq/plot";
import {int, pct, times} from "../lib/format.js";
import type {CrossCell, CrossResult, SignalResult, Stat} from "../lib/signals/signals.js";

const FOCUS = "var(--theme-foreground-focus)";
const MUTED = "var(--theme-foreground-faint)";
const PUBLISHED = "#d97706";
/** Keeps labels readable where they cross a rule or a gridline (cards use the alt background). */
const HALO = {stroke: "var(--theme-background-alt)", strokeWidth: 5, paintOrder: "stroke", fill: "currentColor"} as const;

/** The population rate as a dashed rule with its label. */
function populationRule(rate: number | null, orientation: "x" | "y"): Plot.Markish[] {
  if (rate === null) return [];
  const label = `population ${pct(rate)}`;
  return orientation === "x"
    ? [Plot.ruleX([rate], {stroke: "currentColor", strokeDasharray: "4,3"}), Plot.text([rate], {x: (d) => d, frameAnchor: "top", dy: -12, text: () => label, fontSize: 11})]
    : [Plot.ruleY([rate], {stroke: "currentColor", strokeDasharray: "4,3"}), Plot.text([rate], {y: (d) => d, frameAnchor: "right", textAnchor: "start", dx: 6, text: () => `population\n${pct(rate)}`, fontSize: 11})];
}

/**
 * Signals as horizontal bars of rate (in the order given), the Wilson 95% interval as a line, n
 * (labeled leads) beside each, the seeds' published rate as an orange diamond, and the population
 * rate as a dashed rule.
 */
export function signalChart(signals: SignalResult[], {width, populationRate}: {width: number; populationRate: number | null}): SVGSVGElement | HTMLElement {
  const rows = signals.map((s) => ({...s, lo: s.ci?.[0] ?? null, hi: s.ci?.[1] ?? null, pub: s.published?.rate ?? null}));
  const top = Math.max(populationRate ?? 0, ...rows.map((r) => Math.max(r.hi ?? 0, r.pub ?? 0)), 0.01);
  return Plot.plot({
    width,
    height: 44 + rows.length * 34,
    marginLeft: Math.min(300, Math.max(120, width * 0.3)),
    marginRight: 20,
    marginTop: 28,
    x: {label: "conversion rate (%) →", percent: true, grid: true, domain: [0, top * 120]}, // percent: domain in %
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(rows, {x: "rate", y: "label", fill: FOCUS, fillOpacity: 0.35, insetTop: 4, insetBottom: 4}),
      Plot.ruleY(rows.filter((r) => r.lo !== null), {y: "label", x1: "lo", x2: "hi", stroke: "currentColor", strokeWidth: 1.5}),
      Plot.tickX(rows.filter((r) => r.lo !== null), {y: "label", x: "rate", stroke: "currentColor", strokeWidth: 2, insetTop: 8, insetBottom: 8}),
      Plot.dot(rows.filter((r) => r.pub !== null), {y: "label", x: "pub", symbol: "diamond", stroke: PUBLISHED, fill: PUBLISHED, r: 4}),
      ...populationRule(populationRate, "x"),
      Plot.text(rows, {y: "label", x: (r) => Math.max(r.hi ?? 0, r.pub ?? 0), text: (r) => `n = ${int(r.labeled)}`, textAnchor: "start", dx: 8, fontSize: 11, ...HALO}),
      Plot.ruleX([0]),
      Plot.tip(rows, Plot.pointerY({y: "label", x: "rate", channels: {lift: {value: (r) => times(r.lift), label: "lift vs population"}, n: {value: "labeled", label: "labeled"}, ci: {value: (r) => (r.lo === null ? "–" : `${pct(r.lo)}–${pct(r.hi)}`), label: "95% CI"}}, format: {x: ".2%", y: false}}))
    ]
  });
}

type BandRow = Stat & {label: string; missing?: boolean};

/**
 * Bands of one column as vertical bars of rate (band order), the Wilson interval as a line, n
 * (labeled leads) above every bar, the "missing" row in grey, and the population rate as a rule.
 */
export function bandChart(bands: BandRow[], {width, populationRate, label}: {width: number; populationRate: number | null; label: string}): SVGSVGElement | HTMLElement {
  const rows = bands.map((b) => ({...b, lo: b.ci?.[0] ?? null, hi: b.ci?.[1] ?? null}));
  const top = Math.max(populationRate ?? 0, ...rows.map((r) => r.hi ?? 0), 0.01);
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 50,
    marginRight: 80,
    marginTop: 24,
    x: {label, domain: rows.map((r) => r.label), padding: 0.25},
    y: {label: "conversion rate (%)", percent: true, grid: true, domain: [0, top * 115]}, // percent: domain in %
    marks: [
      Plot.barY(rows.filter((r) => !r.missing), {x: "label", y: "rate", fill: FOCUS, fillOpacity: 0.35}),
      Plot.barY(rows.filter((r) => r.missing), {x: "label", y: "rate", fill: MUTED, fillOpacity: 0.5}),
      Plot.ruleX(rows.filter((r) => r.lo !== null), {x: "label", y1: "lo", y2: "hi", stroke: "currentColor", strokeWidth: 1.5}),
      ...populationRule(populationRate, "y"),
      Plot.text(rows, {x: "label", y: (r) => r.hi ?? 0, text: (r) => `n = ${int(r.labeled)}`, dy: -8, fontSize: 11, ...HALO}),
      Plot.ruleY([0]),
      Plot.tip(rows, Plot.pointerX({x: "label", y: "rate", channels: {lift: {value: (r) => times(r.lift), label: "lift vs population"}, leads: "leads", n: {value: "labeled", label: "labeled"}}, format: {y: ".2%"}}))
    ]
  });
}

/**
 * The cross of two banded columns as a heatmap of rate: rows are the first column's bands, columns
 * the second's; cells with fewer than `minLabeled` labeled leads are grey; rate and n in every
 * cell. Bands without any lead (on either axis) are left out.
 */
export function crossHeatmap(cross: CrossResult, {width, minLabeled}: {width: number; minLabeled: number}): SVGSVGElement | HTMLElement {
  const leadsOf = (axis: "a" | "b", band: string) => cross.cells.filter((c) => c[axis] === band).reduce((s, c) => s + c.leads, 0);
  const rowsA = cross.a.bands.filter((b) => leadsOf("a", b) > 0);
  const colsB = cross.b.bands.filter((b) => leadsOf("b", b) > 0);
  const cells = cross.cells.filter((c) => rowsA.includes(c.a) && colsB.includes(c.b));
  const solid = cells.filter((c) => !c.thin);
  const max = Math.max(0.01, ...solid.map((c) => c.rate ?? 0));
  const ink = (c: CrossCell) => (!c.thin && (c.rate ?? 0) > max * 0.6 ? "white" : "currentColor");
  return Plot.plot({
    width,
    height: 70 + rowsA.length * 46,
    marginLeft: 90,
    marginTop: 40,
    padding: 0.04,
    x: {label: `${cross.b.label} →`, domain: colsB, axis: "top"},
    y: {label: cross.a.label, domain: rowsA},
    color: {type: "linear", scheme: "blues", domain: [0, max * 100], percent: true, legend: true, label: "conversion rate (%)"},
    marks: [
      Plot.cell(solid, {x: "b", y: "a", fill: "rate"}),
      Plot.cell(cells.filter((c) => c.thin), {x: "b", y: "a", fill: MUTED, fillOpacity: 0.45}),
      Plot.text(cells, {x: "b", y: "a", text: (c: CrossCell) => `${c.rate === null ? "–" : pct(c.rate, 1)}\nn = ${int(c.labeled)}`, fill: ink, fontSize: 11, lineHeight: 1.2}),
      Plot.tip(cells, Plot.pointer({x: "b", y: "a", channels: {rate: {value: (c: CrossCell) => pct(c.rate), label: "rate"}, lift: {value: (c: CrossCell) => times(c.lift), label: "lift vs population"}, leads: "leads", n: {value: "labeled", label: "labeled"}}}))
    ]
  });
}

/** The caption under a chart, saying what n and the lines mean. */
export const CHART_NOTE = `Bar: conversion rate; line: Wilson 95% interval; n = labeled leads (target known); dashed: population rate.`;
export const PUBLISHED_COLOR = PUBLISHED;
export const THIN_NOTE = (min: number) => `Grey cells have fewer than ${min} labeled leads: their rate is too noisy to read.`;
