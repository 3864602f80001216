/**
 * Backtests over dated periods (the seeds' Phase BACKTEST and
 * BACKTEST-COMPILE, and Phase 5.1's train/test stability). For each period the rule set is
 * evaluated on its train window (the calibration: the conversion each tier should expect) and on
 * its test window (out of sample), with lift measured against that window's own population. Across
 * periods, every tier's and group's test lift is summarised (mean, min, max, sample SD) and the
 * gates are checked.
 *
 * Every period and both windows come from ONE aggregate query ({@link backtestSql}): the leads,
 * scored once, joined to a small table of (period, window, start, end) and grouped by period,
 * window and tier. Each window's counts then go through {@link reportFromCounts}, exactly as a
 * `tierlab report` over that date range would.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {dayNumber, isIsoDate} from "../dates.js";
import {backtestGates, resolveThresholds, twoWindowGates, type Gate, type Thresholds} from "../tiers/gates.js";
import {LEADS_TABLE, maturityCutoff, populationWhere, type Population} from "../population.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {reportFromCounts, type GroupStats, type PopulationStats, type Report, type TierCount, type TierStats} from "../tiers/report.js";
import {compileTierCase} from "../rules/compile.js";
import {locateJsonError, parseRuleSet} from "../rules/parse.js";
import type {RuleSet} from "../rules/types.js";
import {bandCaseSql, type BandDefinition} from "../signals/signals.js";
import {dateLiteral, literal, quoteIdentifier, quoteTable, type Dialect} from "../sql.js";
import {mean, sampleSd, type Discrimination} from "../stats.js";
import {csiBands, csiFromCounts, reportDiscrimination, summarize, tierPsi, type Summary} from "./stability.js";

/** One backtest period: a train window and a test window, both ends inclusive on contacted_date. */
export interface Period {
  name: string;
  train: [string, string];
  test: [string, string];
}

export const WINDOWS = ["train", "test"] as const;
export type WindowName = (typeof WINDOWS)[number];

/** A periods file that cannot be used; `issues` lists every problem found. */
export class PeriodsError extends Error {
  readonly issues: string[];
  constructor(issues: string[], source = "periods") {
    super(issues.length === 1 ? `${source}: ${issues[0]}` : `${source}: ${issues.length} problems`);
    this.name = "PeriodsError";
    this.issues = issues;
  }
}

export type PeriodsResult = {ok: true; periods: Period[]; warnings: string[]} | {ok: false; issues: string[]};

/**
 * Validates periods without throwing. Accepts the shape of data/periods.json (`{periods: [...]}`)
 * or the bare list. Errors: not a list, an empty list, a missing or repeated name, a window that
 * is not two real dates, a window that ends before it starts. A test window that does not start
 * after its train window ends is a warning (the test is then not fully out of sample).
 */
export function safeParsePeriods(json: unknown): PeriodsResult {
  const list = Array.isArray(json) ? json : (json as {periods?: unknown} | null)?.periods;
  if (!Array.isArray(list)) {
    return {ok: false, issues: ['expected {"periods": [{"name": …, "train": [start, end], "test": [start, end]}, …]}']};
  }
  if (list.length === 0) return {ok: false, issues: ["the list of periods is empty; give at least one period"]};
  const issues: string[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const periods: Period[] = [];
  list.forEach((item, i) => {
    const p = item as Record<string, unknown> | null;
    const rawName = p && typeof p === "object" ? p.name : undefined;
    const where = `period ${i + 1}${typeof rawName === "string" && rawName.trim() ? ` (${rawName})` : ""}`;
    if (!p || typeof p !== "object" || Array.isArray(p)) {
      issues.push(`${where}: expected an object with name, train and test, got ${JSON.stringify(item)}`);
      return;
    }
    const before = issues.length;
    const name = typeof rawName === "string" ? rawName.trim() : "";
    if (!name) issues.push(`${where}: needs a name (text), got ${JSON.stringify(rawName ?? null)}`);
    else if (seen.has(name)) issues.push(`${where}: the name "${name}" is used twice; period names must be unique`);
    seen.add(name);
    const windows = {} as Record<WindowName, [string, string]>;
    for (const w of WINDOWS) {
      const range = p[w];
      if (!Array.isArray(range) || range.length !== 2) {
        issues.push(`${where}: ${w} must be [start, end], two dates like "2024-02-01", got ${JSON.stringify(range ?? null)}`);
        continue;
      }
      const bad = range.filter((d) => !isIsoDate(d));
      if (bad.length) {
        issues.push(`${where}: ${w} has ${bad.map((d) => JSON.stringify(d)).join(" and ")}, not a date like "2024-02-01"`);
        continue;
      }
      const [start, end] = range as [string, string];
      if (end < start) {
        issues.push(`${where}: ${w} ends (${end}) before it starts (${start})`);
        continue;
      }
      windows[w] = [start, end];
    }
    if (issues.length > before) return;
    if (windows.test[0] <= windows.train[1]) {
      warnings.push(`${name}: the test window starts (${windows.test[0]}) on or before the train window ends (${windows.train[1]}), so the test is not fully out of sample`);
    }
    periods.push({name, train: windows.train, test: windows.test});
  });
  return issues.length ? {ok: false, issues} : {ok: true, periods, warnings};
}

/** Validates periods (parsed JSON). @throws {PeriodsError} listing every problem */
export function parsePeriods(json: unknown, source = "periods"): Period[] {
  const result = safeParsePeriods(json);
  if (!result.ok) throw new PeriodsError(result.issues, source);
  return result.periods;
}

/** Parses and validates periods JSON text. @throws {PeriodsError} for invalid JSON or invalid periods */
export function parsePeriodsText(text: string, source = "periods"): {periods: Period[]; warnings: string[]} {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    throw new PeriodsError([`not valid JSON at line ${at.line}, column ${at.column}: ${at.message}`], source);
  }
  const result = safeParsePeriods(json);
  if (!result.ok) throw new PeriodsError(result.issues, source);
  return {periods: result.periods, warnings: result.warnings};
}

/**
 * Who is in every window besides its dates: the population the other pages count (its from/to
 * cut every window, its split and wirehouses select leads, its maturity labels them).
 */
export type BacktestPopulation = Population;

/** The population fields of backtest options (which also carry thresholds, columns, …). */
export function populationOf(options: BacktestPopulation): Population {
  const {from, to, split, excludeWirehouse, analysisDate, maturityDays} = options;
  return Object.fromEntries(Object.entries({from, to, split, excludeWirehouse, analysisDate, maturityDays}).filter(([, v]) => v !== undefined));
}

/** The population of one window, as `tierlab report --from --to` would use it: the window within the population's dates. */
export function windowPopulation(period: Period, window: WindowName, base: BacktestPopulation = {}): Population {
  const [start, end] = period[window];
  return {...populationOf(base), from: base.from && base.from > start ? base.from : start, to: base.to && base.to < end ? base.to : end};
}

/**
 * The one aggregate query of a backtest: per (period_index, window_name, tier) the leads, labeled
 * leads and conversions. The leads are scored once, restricted to the span of all windows and
 * counted per (tier, contact day); those daily counts (a few thousand rows, whatever the table's
 * size) are joined to the windows and summed, so a lead in several overlapping windows counts in
 * each. Plain SQL that DuckDB and BigQuery both accept; every date goes through dateLiteral.
 */
export function backtestSql(
  rules: RuleSet,
  periods: readonly Period[],
  base: BacktestPopulation = {},
  dialect: Dialect = "duckdb",
  table: string = LEADS_TABLE,
  columns?: readonly ColumnInfo[]
): string {
  if (periods.length === 0) throw new PeriodsError(["no periods to backtest"]);
  const starts = periods.flatMap((p) => [p.train[0], p.test[0]]).sort();
  const ends = periods.flatMap((p) => [p.train[1], p.test[1]]).sort();
  const span = windowPopulation({name: "span", train: [starts[0], ends[ends.length - 1]], test: [starts[0], ends[ends.length - 1]]}, "train", base);
  const windows = periods.flatMap((p, i) =>
    WINDOWS.map(
      (w) =>
        `SELECT ${i} AS period_index, ${literal(w, dialect)} AS window_name, ` +
        `${dateLiteral(p[w][0], dialect)} AS window_start, ${dateLiteral(p[w][1], dialect)} AS window_end`
    )
  );
  const int = dialect === "bigquery" ? "INT64" : "BIGINT";
  const sum = (c: string) => `CAST(SUM(daily.${c}) AS ${int}) AS ${c}`;
  return [
    `SELECT w.period_index, w.window_name, daily.tier, ${sum("leads")}, ${sum("labeled")}, ${sum("conversions")}`,
    "FROM (",
    "  SELECT tier, contacted, COUNT(*) AS leads, COUNT(label) AS labeled, COALESCE(SUM(label), 0) AS conversions",
    "  FROM (",
    scoredLeadsSql({
      tiers: [[compileTierCase(rules, {dialect, columns, indent: "    "}), "tier"]],
      where: span,
      labelFor: {analysisDate: base.analysisDate, maturityDays: base.maturityDays},
      extra: [[quoteIdentifier("contacted_date", dialect), "contacted"]],
      dialect,
      table,
      indent: "    "
    }),
    "  ) AS scored",
    "  GROUP BY tier, contacted",
    ") AS daily",
    "JOIN (",
    windows.map((s) => `  ${s}`).join("\n  UNION ALL\n"),
    ") AS w ON daily.contacted BETWEEN w.window_start AND w.window_end",
    "GROUP BY w.period_index, w.window_name, daily.tier"
  ].join("\n");
}

/**
 * The contact days (since 1970-01-01, both ends inclusive) a window takes in {@link backtestSql}
 * and {@link csiSql}: their `daily.contacted BETWEEN w.window_start AND w.window_end`, for counts
 * kept per contact day (src/lib/backtest/backtest-columns.ts); null for a date that is not one.
 */
export function windowDays(period: Period, window: WindowName): [number, number] | null {
  const [start, end] = period[window].map(dayNumber);
  return start === null || end === null ? null : [start, end];
}

/**
 * One aggregate query for the CSI: per (period_index, window_name, column_name, band) the leads,
 * band as in bandCaseSql (NULL: missing). The population's leads (its dates cutting every window)
 * are counted per contact day first, then joined to the windows, as the backtest query does.
 */
export function csiSql(
  bands: readonly BandDefinition[],
  periods: readonly Period[],
  base: BacktestPopulation = {},
  dialect: Dialect = "duckdb",
  table: string = LEADS_TABLE
): string {
  const starts = periods.flatMap((p) => [p.train[0], p.test[0]]).sort();
  const ends = periods.flatMap((p) => [p.train[1], p.test[1]]).sort();
  const span = windowPopulation({name: "span", train: [starts[0], ends[ends.length - 1]], test: [starts[0], ends[ends.length - 1]]}, "train", base);
  const windows = periods.flatMap((p, i) =>
    WINDOWS.map((w) => `SELECT ${i} AS period_index, ${literal(w, dialect)} AS window_name, ${dateLiteral(p[w][0], dialect)} AS window_start, ${dateLiteral(p[w][1], dialect)} AS window_end`)
  );
  const from = quoteTable(table, dialect);
  const contacted = quoteIdentifier("contacted_date", dialect);
  const perColumn = bands.map(
    (b, i) =>
      `    SELECT ${contacted} AS contacted, ${i} AS column_index, ${bandCaseSql(b.column, b.edges, dialect)} AS band\n    FROM ${from}\n    WHERE ${populationWhere(span, dialect)}`
  );
  const int = dialect === "bigquery" ? "INT64" : "BIGINT";
  return [
    `SELECT w.period_index, w.window_name, daily.column_index, daily.band, CAST(SUM(daily.leads) AS ${int}) AS leads`,
    "FROM (",
    "  SELECT contacted, column_index, band, COUNT(*) AS leads",
    "  FROM (",
    perColumn.join("\n    UNION ALL\n"),
    "  ) AS banded",
    "  GROUP BY contacted, column_index, band",
    ") AS daily",
    "JOIN (",
    windows.map((s) => `  ${s}`).join("\n  UNION ALL\n"),
    ") AS w ON daily.contacted BETWEEN w.window_start AND w.window_end",
    "GROUP BY w.period_index, w.window_name, daily.column_index, daily.band"
  ].join("\n");
}

/** Test lifts of one tier or group across the periods, summarised. Nulls are periods without a lift. */
export interface Stability {
  id: string;
  label: string;
  /** "tier" for a tier; "group" for a group that is not simply one tier of the same id. */
  level: "tier" | "group";
  fallback: boolean;
  /** Test lift (rate / the test window's population rate) per period, in period order. */
  lifts: (number | null)[];
  /** How many periods have a lift (the statistics below are over these). */
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Sample standard deviation (n − 1); null for fewer than two lifts. */
  sd: number | null;
}

/** Mean, min, max and sample SD of the lifts that are defined. */
export function summarizeLifts(lifts: readonly (number | null)[]): Pick<Stability, "n" | "mean" | "min" | "max" | "sd"> {
  const defined = lifts.filter((l): l is number => l !== null && Number.isFinite(l));
  return {
    n: defined.length,
    mean: mean(defined),
    min: defined.length ? Math.min(...defined) : null,
    max: defined.length ? Math.max(...defined) : null,
    sd: sampleSd(defined)
  };
}

const SEEDS_GATES = [
  ["backtest-mean-lift", "BACKTEST-1"],
  ["backtest-lift-sd", "BACKTEST-2"],
  ["backtest-min-lift", "BACKTEST-3"]
] as const;

/** A gate of the backtest; per-period gates name their period. */
export type BacktestGate = Gate & {period?: string};

export interface BacktestPeriod {
  name: string;
  train: Report;
  test: Report;
  /** train vs test: lift within maxLiftChange per group, Tier 1 conversion shift. */
  gates: Gate[];
  /** PSI of the tier mix (leads per tier) from the train to the test window (stability.ts). */
  psi: number | null;
  /** CSI of each band column from the train to the test window, by column name. */
  csi: Record<string, number | null>;
  /** The test window's AUC, Gini and KS over its labeled leads, tiers in rule order. */
  discrimination: Discrimination;
}

/** The test windows' AUC, Gini and KS across the periods. */
export interface DiscriminationSummary {
  auc: Summary;
  gini: Summary;
  ks: Summary;
}

export interface Backtest {
  rules: string;
  version?: string;
  fallback: string;
  periods: Period[];
  results: BacktestPeriod[];
  /** Every tier, then every group that is not simply one tier. */
  stability: Stability[];
  /** The first group's test lift per period (the seeds' "Tier 1 lift"). */
  tier1: Stability;
  /** BACKTEST-1 (mean), -2 (sample SD), -3 (minimum) over Tier 1, then each period's train/test gates. */
  gates: BacktestGate[];
  /** The band columns with a CSI (in every period's `csi`), in their order. */
  csiColumns: {column: string; label: string}[];
  discrimination: DiscriminationSummary;
  thresholds: Thresholds;
  population: BacktestPopulation & {cutoff: string | null};
  sql: string;
}

export interface BacktestOptions extends BacktestPopulation {
  thresholds?: Partial<Thresholds>;
  table?: string;
  columns?: readonly ColumnInfo[];
  /** Band columns (data/signals.json's "bands") whose CSI each period gets; columns the table lacks are left out. */
  bands?: readonly BandDefinition[];
}

function whole(row: Row, key: string): number {
  const v = Number(row[key]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`backtest counts: ${key} must be a whole number ≥ 0, got ${JSON.stringify(row[key])}`);
  return v;
}

/** Builds the backtest from the rows of {@link backtestSql} (from any engine). */
export function backtestFromCounts(
  rules: RuleSet,
  periods: readonly Period[],
  rows: readonly Row[],
  options: {thresholds?: Partial<Thresholds>; sql?: string; csi?: {bands: readonly BandDefinition[]; rows: readonly Row[]}} & BacktestPopulation = {}
): Backtest {
  const csiBandList = options.csi?.bands ?? [];
  const csi = options.csi ? csiFromCounts(csiBandList, periods, options.csi.rows) : periods.map(() => ({}));
  const thresholds = resolveThresholds(options.thresholds);
  const buckets = periods.map(() => ({train: [] as TierCount[], test: [] as TierCount[]}));
  for (const row of rows) {
    const i = Number(row.period_index);
    const w = String(row.window_name) as WindowName;
    if (!Number.isInteger(i) || !buckets[i] || !WINDOWS.includes(w)) {
      throw new Error(`backtest counts: unexpected period ${JSON.stringify(row.period_index)} / window ${JSON.stringify(row.window_name)}`);
    }
    buckets[i][w].push({tier: String(row.tier), leads: whole(row, "leads"), labeled: whole(row, "labeled"), conversions: whole(row, "conversions")});
  }
  const base = populationOf(options);
  const results: BacktestPeriod[] = periods.map((period, i) => {
    const [train, test] = WINDOWS.map((w) =>
      reportFromCounts(rules, buckets[i][w], {population: windowPopulation(period, w, base), thresholds, sql: options.sql})
    );
    return {name: period.name, train, test, gates: [...twoWindowGates(train, test, thresholds), testTierOrder(test)], psi: tierPsi(train, test), csi: csi[i], discrimination: reportDiscrimination(test)};
  });

  // Ids, labels and order come from the rule set (an empty report), lifts from each test window.
  const empty = reportFromCounts(rules, [], {thresholds});
  const stabilityOf = (level: "tier" | "group", row: TierStats, pick: (r: Report) => TierStats | undefined): Stability => {
    const lifts = results.map((r) => pick(r.test)?.lift ?? null);
    return {id: row.id, label: row.label, level, fallback: row.fallback, lifts, ...summarizeLifts(lifts)};
  };
  const isPlainTier = (g: GroupStats) => g.tiers.length === 1 && g.tiers[0] === g.id;
  const stability = [
    ...empty.tiers.map((t) => stabilityOf("tier", t, (r) => r.tiers.find((x) => x.id === t.id))),
    ...empty.groups.filter((g) => !isPlainTier(g)).map((g) => stabilityOf("group", g, (r) => r.groups.find((x) => x.id === g.id)))
  ];
  const first = empty.groups[0];
  const tier1 = stabilityOf(isPlainTier(first) ? "tier" : "group", first, (r) => r.groups[0]);
  const tier1Id = first.id;
  const tier1Gates = backtestGates(tier1.lifts, thresholds);

  const gates: BacktestGate[] = [
    // In the seeds' order and names: BACKTEST-1 mean, BACKTEST-2 SD, BACKTEST-3 minimum.
    ...SEEDS_GATES.map(([id, name]) => {
      const g = tier1Gates.find((x) => x.id === id)!;
      return {...g, label: `${name}: ${g.label}`, detail: `${tier1Id}: ${g.detail ?? ""}`.replace(/: $/, "")};
    }),
    ...results.flatMap((r) =>
      r.gates.map((g) => ({...g, id: `${r.name}:${g.id}`, label: `${r.name}: ${g.label}`, period: r.name}))
    )
  ];
  return {
    rules: rules.name,
    ...(rules.version !== undefined ? {version: rules.version} : {}),
    fallback: rules.fallback.id,
    periods: periods.map((p) => ({name: p.name, train: [...p.train], test: [...p.test]})),
    results,
    stability,
    tier1,
    gates,
    csiColumns: csiBandList.map((b) => ({column: b.column, label: b.label ?? b.column})),
    discrimination: {
      auc: summarize(results.map((r) => r.discrimination.auc)),
      gini: summarize(results.map((r) => r.discrimination.gini)),
      ks: summarize(results.map((r) => r.discrimination.ks))
    },
    thresholds,
    population: {...base, cutoff: maturityCutoff(base)},
    sql: options.sql ?? ""
  };
}

/** The test window's tier-order gate (its report's), so the backtest checks the order out of sample too. */
function testTierOrder(test: Report): Gate {
  const g = test.gates.find((x) => x.id === "tier-order")!;
  return {...g, label: `Test window: ${g.label.charAt(0).toLowerCase()}${g.label.slice(1)}`};
}

/** Runs the one backtest query on a connector and builds the backtest. */
export async function runBacktest(conn: Connector, rules: RuleSet, periods: readonly Period[], options: BacktestOptions = {}): Promise<Backtest> {
  const checked = parseRuleSet(rules, options.columns);
  const sql = backtestSql(checked, periods, options, conn.dialect, options.table, options.columns);
  const rows = await conn.query(sql);
  const bands = csiBands(options.bands ?? [], options.columns);
  const csi = bands.length ? {bands, rows: await conn.query(csiSql(bands, periods, options, conn.dialect, options.table))} : undefined;
  return backtestFromCounts(checked, periods, rows, {...options, sql, csi});
}

/** A report as the backtest JSON carries it: population, tiers, groups, gates. */
export interface WindowJson {
  population: PopulationStats;
  tiers: TierStats[];
  groups: GroupStats[];
  gates: Gate[];
}

export interface BacktestJson {
  rules: string;
  periods: {name: string; psi: number | null; csi: Record<string, number | null>; train: WindowJson; test: WindowJson & {discrimination: Discrimination}}[];
  stability: {id: string; label: string; level: "tier" | "group"; lifts: (number | null)[]; mean: number | null; min: number | null; max: number | null; sd: number | null}[];
  gates: BacktestGate[];
  discrimination: DiscriminationSummary;
}

const windowJson = (r: Report): WindowJson => ({population: r.population, tiers: r.tiers, groups: r.groups, gates: r.gates});

/** The `tierlab backtest --format json` document. */
export function backtestJson(bt: Backtest): BacktestJson {
  return {
    rules: bt.rules,
    periods: bt.results.map((r) => ({name: r.name, psi: r.psi, csi: r.csi, train: windowJson(r.train), test: {...windowJson(r.test), discrimination: r.discrimination}})),
    stability: bt.stability.map((s) => ({id: s.id, label: s.label, level: s.level, lifts: s.lifts, mean: s.mean, min: s.min, max: s.max, sd: s.sd})),
    gates: bt.gates,
    discrimination: bt.discrimination
  };
}
