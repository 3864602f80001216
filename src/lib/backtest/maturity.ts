/**
 * Maturity (the seeds' Phase 0.2, "Target Variable Definition & Right-Censoring Analysis"): how
 * long conversions take (days from contacted_date to mql_date), the window that captures a given
 * share of them (90%: the seeds' 43 days), and what a chosen analysis date and window leave
 * censored — leads contacted after `analysisDate − maturityDays`, which count in volume but not in
 * rates. One aggregate query ({@link maturitySql}); quantiles are computed here from its histogram.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {LEADS_TABLE, maturityCutoff, populationWhere, type Population} from "../population.js";
import {dateLiteral, quoteIdentifier, quoteTable, type Dialect} from "../sql.js";

/** Whether the table has the column the distribution needs. */
export function hasMqlDate(columns: readonly ColumnInfo[]): boolean {
  return columns.some((c) => c.name === "mql_date" && (c.kind === "date" || c.kind === "string"));
}

/**
 * One row per days-to-MQL value (NULL for leads without an mql_date): leads, and with a maturity
 * cutoff the leads contacted after it (censored) and how many of those have a target.
 */
export function maturitySql(population: Population = {}, dialect: Dialect = "duckdb", table: string = LEADS_TABLE): string {
  const contacted = quoteIdentifier("contacted_date", dialect);
  const mql = quoteIdentifier("mql_date", dialect);
  const target = quoteIdentifier("target", dialect);
  const diff = dialect === "bigquery" ? `DATE_DIFF(${mql}, ${contacted}, DAY)` : `DATE_DIFF('day', ${contacted}, ${mql})`;
  const cutoff = maturityCutoff(population);
  const late = cutoff === null ? "FALSE" : `${contacted} > ${dateLiteral(cutoff, dialect)}`;
  // The window does not restrict who is counted here: only the split, dates and wirehouses do.
  const where = populationWhere({from: population.from, to: population.to, split: population.split, excludeWirehouse: population.excludeWirehouse}, dialect);
  return [
    `SELECT CASE WHEN ${mql} IS NOT NULL THEN ${diff} END AS days,`,
    "  COUNT(*) AS leads,",
    `  COUNT(CASE WHEN ${late} THEN 1 END) AS censored,`,
    `  COUNT(CASE WHEN ${late} AND ${target} IS NOT NULL THEN 1 END) AS censored_labeled`,
    `FROM ${quoteTable(table, dialect)}`,
    `WHERE ${where}`,
    "GROUP BY 1"
  ].join("\n");
}

export interface DaysCount {
  days: number;
  conversions: number;
}

export interface Maturity {
  /** Leads counted (the population, whatever their maturity). */
  leads: number;
  /** Leads with an mql_date on or after their contact date (the distribution's n). */
  conversions: number;
  /** Leads whose mql_date is before their contact date: left out of the distribution. */
  beforeContact: number;
  /** Conversions per whole number of days, ascending. */
  distribution: DaysCount[];
  mean: number | null;
  /** Quantiles with linear interpolation between order statistics (PERCENTILE_CONT, quantile_cont). */
  median: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  /** The share the recommended window must capture (0.9). */
  capture: number;
  /** The smallest whole number of days d with share(days ≤ d) ≥ capture. */
  captureWindow: number | null;
  analysisDate: string | null;
  maturityDays: number | null;
  /** Last contacted_date that counts as mature; null when no analysis date is set. */
  cutoff: string | null;
  /** Share of conversions within the chosen window (days ≤ maturityDays); null without a window. */
  windowCapture: number | null;
  /** What the chosen analysis date and window leave censored; null when none is set. */
  censored: {leads: number; share: number | null; labeled: number} | null;
  sql?: string;
}

/** The q-quantile (0 ≤ q ≤ 1) of values given as a sorted histogram, interpolating linearly (type 7). */
export function histogramQuantile(distribution: readonly DaysCount[], q: number): number | null {
  const n = distribution.reduce((s, d) => s + d.conversions, 0);
  if (n === 0) return null;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const at = (k: number): number => {
    let seen = 0;
    for (const d of distribution) {
      seen += d.conversions;
      if (k < seen) return d.days;
    }
    return distribution[distribution.length - 1].days;
  };
  const lo = Math.floor(h);
  const a = at(lo);
  const b = at(Math.min(n - 1, lo + 1));
  return a + (h - lo) * (b - a);
}

/** The smallest whole number of days d such that at least `capture` of conversions took ≤ d days. */
export function captureWindow(distribution: readonly DaysCount[], capture = 0.9): number | null {
  const n = distribution.reduce((s, d) => s + d.conversions, 0);
  if (n === 0) return null;
  let seen = 0;
  for (const d of distribution) {
    seen += d.conversions;
    if (seen >= capture * n - 1e-9) return Math.max(0, d.days);
  }
  return distribution[distribution.length - 1].days;
}

/** Builds the maturity summary from the rows of {@link maturitySql}. */
export function maturityFromRows(rows: readonly Row[], population: Population = {}, options: {capture?: number; sql?: string} = {}): Maturity {
  const capture = options.capture ?? 0.9;
  let leads = 0;
  let censored = 0;
  let censoredLabeled = 0;
  let beforeContact = 0;
  const byDays = new Map<number, number>();
  for (const r of rows) {
    const n = Number(r.leads);
    leads += n;
    censored += Number(r.censored ?? 0);
    censoredLabeled += Number(r.censored_labeled ?? 0);
    if (r.days === null || r.days === undefined) continue;
    const days = Number(r.days);
    if (days < 0) beforeContact += n;
    else byDays.set(days, (byDays.get(days) ?? 0) + n);
  }
  const distribution = [...byDays].map(([days, conversions]) => ({days, conversions})).sort((a, b) => a.days - b.days);
  const conversions = distribution.reduce((s, d) => s + d.conversions, 0);
  const cutoff = maturityCutoff(population);
  const days = population.maturityDays ?? null;
  const within = days === null ? 0 : distribution.filter((d) => d.days <= days).reduce((s, d) => s + d.conversions, 0);
  return {
    leads,
    conversions,
    beforeContact,
    distribution,
    mean: conversions ? distribution.reduce((s, d) => s + d.days * d.conversions, 0) / conversions : null,
    median: histogramQuantile(distribution, 0.5),
    p90: histogramQuantile(distribution, 0.9),
    p95: histogramQuantile(distribution, 0.95),
    p99: histogramQuantile(distribution, 0.99),
    capture,
    captureWindow: captureWindow(distribution, capture),
    analysisDate: population.analysisDate ?? null,
    maturityDays: days,
    cutoff,
    windowCapture: days === null || conversions === 0 ? null : within / conversions,
    censored: cutoff === null ? null : {leads: censored, share: leads ? censored / leads : null, labeled: censoredLabeled},
    ...(options.sql !== undefined ? {sql: options.sql} : {})
  };
}

/** Runs the maturity query; null when the table has no mql_date column. */
export async function maturityAnalysis(conn: Connector, population: Population = {}, options: {columns?: readonly ColumnInfo[]; table?: string; capture?: number} = {}): Promise<Maturity | null> {
  if (options.columns && !hasMqlDate(options.columns)) return null;
  const sql = maturitySql(population, conn.dialect, options.table);
  return maturityFromRows(await conn.query(sql), population, {capture: options.capture, sql});
}
