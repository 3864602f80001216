/**
 * The backtest tables, declared once: periods, stability of test lift, calibration against test,
 * test lift per period, the published backtest beside, two rule sets compared, and the days to
 * MQL. The page, the Markdown (`tierlab backtest --format md`) and the CSV downloads render these
 * specs; the gates are the tier gates' table (../tiers/tables.ts).
 */
import {intervalCsv, table, type Column, type TableSpec} from "../table/index.js";
import type {BacktestPeriod, Stability} from "./backtest.js";
import {stabilityLight, type Summary} from "./stability.js";
import type {CalibrationRow, LiftPoint, MaturityRow, PeriodRow, PublishedRow, VersionRow} from "./format.js";

/** Each period's windows, their leads and the test window's rate. */
export const periodTable: TableSpec<PeriodRow> = table<PeriodRow>([
  {key: "name", label: "period", csv: "period"},
  {key: (p) => p.train.join(" – "), label: "train", csv: [{name: "train_from", value: (p) => p.train[0]}, {name: "train_to", value: (p) => p.train[1]}]},
  {key: (p) => p.test.join(" – "), label: "test", csv: [{name: "test_from", value: (p) => p.test[0]}, {name: "test_to", value: (p) => p.test[1]}]},
  {key: "trainLeads", label: "train leads", format: "int"},
  {key: "testLeads", label: "test leads", format: "int"},
  {key: "testRate", label: "test rate", format: "pct"}
]);

/** Test lift across periods per tier or group: each period, mean, min, max, sample SD. */
export function stabilityTable(periods: readonly string[]): TableSpec<Stability> {
  return table<Stability>(
    [
      {key: (s) => s, label: "tier / group", format: "name", csv: [{name: "id", value: "id"}, {name: "label", value: "label"}, {name: "level", value: "level"}]},
      ...periods.map((name, i): Column<Stability> => ({key: (s) => s.lifts[i], label: name, format: "times", title: `test lift in ${name}`, csv: `lift_${name}`})),
      {key: "mean", label: "mean", format: "times"},
      {key: "min", label: "min", format: "times"},
      {key: "max", label: "max", format: "times"},
      {key: "sd", label: "sample SD", format: "times"},
      {key: (s) => `${s.n} of ${s.lifts.length}`, label: "periods with a lift", csv: [{name: "periods_with_lift", value: "n"}]}
    ],
    {rowClass: (s) => (s.fallback ? "fallback" : "")}
  );
}

/** One period: the train calibration (expected conversion) beside the out-of-sample test result. */
export const calibrationTable: TableSpec<CalibrationRow> = table<CalibrationRow>(
  [
    {key: (r) => r, label: "tier", format: "name", csv: [{name: "tier", value: "id"}, {name: "label", value: "label"}]},
    {key: "trainLabeled", label: "train n", format: "int"},
    {key: "trainRate", label: "calibrated rate (train)", format: "pct"},
    {key: "trainLift", label: "train lift", format: "times"},
    {key: "testLeads", label: "test leads", format: "int"},
    {key: "testLabeled", label: "test n", format: "int"},
    {key: "testConversions", label: "conversions", format: "int", title: "conversions in the test window"},
    {key: "testRate", label: "test rate", format: "pct"},
    {key: "testCi", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((r) => r.testCi, "test_ci")},
    {key: "testLift", label: "test lift", format: "times"},
    {key: "shift", label: "shift", format: "pp", title: "test rate − calibrated (train) rate, percentage points"}
  ],
  {rowClass: (r) => (r.fallback ? "fallback" : r.small ? "flag" : "")}
);

/** A point of the lift chart, possibly of a named series (a rule set). */
export type SeriesPoint = LiftPoint & {series?: string};

/** The lift chart's table: one row per point. */
export const liftTable: TableSpec<SeriesPoint> = table<SeriesPoint>([
  {key: "period", label: "period"},
  {key: (p) => ({id: p.series ?? p.id, label: p.series ?? p.label}), label: "tier / rule set", format: "name", csv: [{name: "tier", value: (p) => p.series ?? p.id}]},
  {key: "labeled", label: "test n", format: "int", csv: "test_n"},
  {key: "rate", label: "test rate", format: "pct", csv: "test_rate"},
  {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((p) => p.ci)},
  {key: "populationRate", label: "window rate", format: "pct", csv: "window_rate"},
  {key: "lift", label: "test lift", format: "times", csv: "test_lift"},
  {key: (p) => (p.liftLow === null || p.liftHigh === null ? null : [p.liftLow, p.liftHigh]), label: "lift 95% CI (Katz)", title: "Katz log interval of the lift: the tier's and the window's rates both uncertain, taken as independent", format: "timesInterval", csv: [{name: "lift_low", value: "liftLow"}, {name: "lift_high", value: "liftHigh"}]}
]);

/** The seeds' published backtest (Tier 1) beside the computed one. */
export function publishedTable(rulesName: string): TableSpec<PublishedRow> {
  return table<PublishedRow>([
    {key: "period", label: "period"},
    {key: "publishedLift", label: "lift (seeds, V3.1)", format: "times"},
    {key: "publishedRate", label: "rate (seeds)", format: "pct"},
    {key: "publishedVolume", label: "test leads (seeds)", format: "int", csv: "published_leads"},
    {key: "lift", label: `lift (${rulesName})`, format: "times"},
    {key: "rate", label: `rate (${rulesName})`, format: "pct"},
    {key: "volume", label: `test leads (${rulesName})`, format: "int", csv: "leads"}
  ]);
}

/** Two rule sets' Tier 1 in each test window. */
export function versionTable(aName: string, bName: string): TableSpec<VersionRow> {
  return table<VersionRow>([
    {key: "period", label: "period"},
    {key: "aLeads", label: `leads (${aName})`, format: "int"},
    {key: "aRate", label: `rate (${aName})`, format: "pct"},
    {key: "aLift", label: `lift (${aName})`, format: "times"},
    {key: "bLeads", label: `leads (${bName})`, format: "int"},
    {key: "bRate", label: `rate (${bName})`, format: "pct"},
    {key: "bLift", label: `lift (${bName})`, format: "times"}
  ]);
}

/** Tier 1's test lift summarised over the periods, per rule set (or the seeds). */
export interface Tier1Summary {
  /** Whose Tier 1: a rule set (and its Tier 1 id), or the seeds' published one. */
  who: string;
  mean: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
  /** BACKTEST-1/2/3 passed, when computed here. */
  passed?: number;
}

/** Tier 1 across the periods: mean, min, max, sample SD of its test lift, and the gates passed. */
export const tier1SummaryTable: TableSpec<Tier1Summary> = table<Tier1Summary>([
  {key: "who", label: "Tier 1 test lift"},
  {key: "mean", label: "mean", format: "times"},
  {key: "min", label: "min", format: "times"},
  {key: "max", label: "max", format: "times"},
  {key: "sd", label: "sample SD", format: "times"},
  {key: (s) => (s.passed === undefined ? null : `${s.passed} of 3`), label: "BACKTEST-1/2/3 passed", csv: [{name: "gates_passed", value: (s) => s.passed ?? null}]}
]);

/** Days from contact to MQL: mean, quantiles and the capture window, beside the seeds'. */
export const maturityTable: TableSpec<MaturityRow> = table<MaturityRow>([
  {key: "stat", label: "days to MQL"},
  {key: "value", label: "this data", format: "days", csv: "days"},
  {key: "seeds", label: "seeds (Phase 0.2)", format: "days", csv: "seeds_days"}
]);

const LIGHTS = "< 0.10 stable, 0.10–0.25 watch, > 0.25 shifted";

/**
 * Each period's population stability from its train to its test window (the PSI of the tier mix
 * and the CSI of each band column, with lights) and the test window's AUC, Gini and KS.
 */
export function shiftTable(columns: readonly {column: string; label: string}[]): TableSpec<Pick<BacktestPeriod, "name" | "psi" | "csi" | "discrimination">> {
  type R = Pick<BacktestPeriod, "name" | "psi" | "csi" | "discrimination">;
  return table<R>([
    {key: "name", label: "period", csv: "period"},
    {key: "psi", label: "PSI (tier mix)", format: "index3", title: `population stability index of the leads per tier, train → test; ${LIGHTS}`},
    {key: (r) => stabilityLight(r.psi), label: "tier mix", csv: "psi_light", title: LIGHTS},
    ...columns.map((c): Column<R> => ({key: (r) => r.csi[c.column] ?? null, label: `CSI: ${c.label}`, format: "index3", title: `characteristic stability index of ${c.column}'s bands, train → test; ${LIGHTS}`, csv: `csi_${c.column}`})),
    {
      key: (r) => columns.filter((c) => (stabilityLight(r.csi[c.column] ?? null) ?? "stable") !== "stable").map((c) => `${c.label} (${stabilityLight(r.csi[c.column] ?? null)})`).join(", ") || "none",
      label: "columns to watch or shifted",
      csv: false
    },
    {key: (r) => r.discrimination.auc, label: "AUC (test)", format: "index3", csv: "test_auc", title: "P(a converter's tier ranks above a non-converter's) + ½ P(same tier), over the test window's labeled leads"},
    {key: (r) => r.discrimination.gini, label: "Gini (test)", format: "index3", csv: "test_gini", title: "2·AUC − 1"},
    {key: (r) => r.discrimination.ks, label: "KS (test)", format: "index3", csv: "test_ks", title: "largest gap between the cumulative shares of converters and non-converters over the tier boundaries, in rule order"}
  ]);
}

/** One discrimination measure across the periods. */
export type DiscriminationRow = Summary & {measure: string};

/** AUC, Gini and KS of each test window, with mean, min, max and sample SD across periods. */
export function discriminationTable(periods: readonly string[]): TableSpec<DiscriminationRow> {
  return table<DiscriminationRow>([
    {key: "measure", label: "test window"},
    ...periods.map((name, i): Column<DiscriminationRow> => ({key: (r) => r.values[i], label: name, format: "index3", csv: `value_${name}`})),
    {key: "mean", label: "mean", format: "index3"},
    {key: "min", label: "min", format: "index3"},
    {key: "max", label: "max", format: "index3"},
    {key: "sd", label: "sample SD", format: "index3"}
  ]);
}
