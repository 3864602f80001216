/**
 * The signal tables, declared once: the ranked signals, a band column's bands, the cross of two
 * band columns. The page, the Markdown (`tierlab signals --format md`) and the CSV downloads render
 * these specs.
 */
import {intervalCsv, table, type Column, type TableSpec} from "../table/index.js";
import {ivStrength, type Evidence} from "./iv.js";
import {MIN_LABELED, type BandColumnResult, type BandStat, type CrossResult, type CrossCell, type SignalResult, type Stat} from "./signals.js";

/** The ranked signals with the seeds' published rate and lift beside. */
export const signalTable: TableSpec<SignalResult> = table<SignalResult>([
  {key: (_, i) => i + 1, label: "#", format: "int", csv: "rank"},
  {key: (s) => s, label: "signal", format: "name", csv: [{name: "id", value: "id"}, {name: "label", value: "label"}]},
  {key: "definition", label: "definition"},
  {key: "leads", label: "leads", format: "int"},
  {key: "labeled", label: "labeled (n)", format: "int"},
  {key: "conversions", label: "conversions", format: "int"},
  {key: "rate", label: "rate", format: "pct"},
  {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((s) => s.ci)},
  {key: "lift", label: "lift vs population", format: "times", csv: "lift_vs_population"},
  {key: (s) => s.published?.rate ?? null, label: "published rate (seeds)", format: "pct", csv: "published_rate"},
  {key: (s) => s.published?.lift ?? null, label: "published lift (vs their baseline)", format: "times1", csv: "published_lift"},
  {key: "iv", label: "IV (in vs not)", format: "index3", title: "information value of being in the signal vs not"},
  {key: (s) => ivStrength(s.iv), label: "strength", format: "text", csv: "iv_strength", title: "< 0.02 not useful, 0.02–0.1 weak, 0.1–0.3 medium, > 0.3 strong"}
]);

/** The information value of each band column (the sum of its bands' terms, missing included). */
export const bandIvTable: TableSpec<BandColumnResult> = table<BandColumnResult>([
  {key: "label", label: "attribute"},
  {key: "column", label: "column"},
  {key: (b) => b.bands.length + 1, label: "bands (with missing)", format: "int", csv: "bands"},
  {key: "iv", label: "IV", format: "index3"},
  {key: (b) => ivStrength(b.iv), label: "strength", format: "text", csv: "iv_strength", title: "< 0.02 not useful, 0.02–0.1 weak, 0.1–0.3 medium, > 0.3 strong"}
]);

/** A row of a band table: a band, or the "missing" row (NULL values). */
export type BandRow = Stat & Evidence & {label: string; min: number | null; max: number | null};

/** The rows of a band column's table, the "missing" row last. */
export function bandRows(column: BandColumnResult): (BandStat | BandRow)[] {
  return [...column.bands, {label: "missing", min: null, max: null, lessThan: null, ...column.missing}];
}

/** The statistics columns shared by the band table and the cross table. */
function statColumns<R extends Stat>(): Column<R>[] {
  return [
    {key: "leads", label: "leads", format: "int"},
    {key: "labeled", label: "labeled (n)", format: "int"},
    {key: "conversions", label: "conversions", format: "int"},
    {key: "rate", label: "rate", format: "pct"},
    {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((r) => r.ci)},
    {key: "lift", label: "lift vs population", format: "times", csv: "lift_vs_population"},
    {key: "share", label: "share of leads", format: "pct1"}
  ];
}

/** One band column: each band (and the missing row) with its rate, interval and lift. */
export const bandTable: TableSpec<BandRow> = table<BandRow>([
  {key: "label", label: "band", csv: [{name: "band", value: "label"}, {name: "min", value: "min"}, {name: "max", value: "max"}]},
  ...statColumns<BandRow>(),
  {key: "woe", label: "WoE", format: "woe", title: "ln(share of the conversions / share of the non-conversions); positive: converts better"},
  {key: "iv", label: "IV term", format: "index3", title: "(share of conversions − share of non-conversions) × WoE"}
]);

/** The cross of two band columns: one row per pair of bands; thin cells flagged. */
export function crossTable(cross: Pick<CrossResult, "a" | "b">): TableSpec<CrossCell> {
  return table<CrossCell>([
    {key: "a", label: cross.a.label, csv: cross.a.column},
    {key: "b", label: cross.b.label, csv: cross.b.column},
    ...statColumns<CrossCell>(),
    {key: "thin", label: `< ${MIN_LABELED} labeled`, format: "yes", title: "too few labeled leads to read the rate"}
  ]);
}
