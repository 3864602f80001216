/**
 * The backtest counted from typed columns (the tier page's columns file) instead of SQL, with the
 * same numbers: {@link backtestSql}'s rows and {@link csiSql}'s, built in JavaScript and handed to
 * {@link backtestFromCounts}, so every lift, interval, gate, PSI and CSI comes out of the same code.
 *
 * Like the SQL, it counts per contact day first, then sums days over each window. The per-day
 * counts depend only on the rule set (or band column) and the population — not on the periods —
 * so they are kept: after one pass over the leads, a changed period is a few sums per window.
 * Which leads and labels: {@link sourceRows} (the JavaScript twin of populationWhere and
 * labelExpression, property-tested against them); each lead's tier: the rule set's compiled loop
 * (compileTierIndex, the twin of its CASE); a band: the same loop over the band's edges stated as
 * a rule set (bandRules); which days a window takes: {@link windowDays}, beside the SQL's join.
 * Anything the file cannot give exactly (a column it lacks, an operator the loop declines) is a
 * reason, and the caller asks the engine.
 */
import type {Connector, Row} from "../connector.js";
import type {Population} from "../population.js";
import {LOOP_SLICE} from "../rules/js-compile.js";
import {parseRuleSet} from "../rules/parse.js";
import type {RuleSet} from "../rules/types.js";
import type {BandDefinition} from "../signals/signals.js";
import {sourceRows, type PreviewSource} from "../tiers/preview-source.js";
import {inSlices} from "../yield.js";
import {backtestFromCounts, backtestSql, populationOf, runBacktest, WINDOWS, windowDays, type Backtest, type BacktestOptions, type Period} from "./backtest.js";
import {csiBands} from "./stability.js";

/**
 * Counts per contact day of one population, by category (a tier, a band), kept cumulative:
 * `cum[(d * width + c) * stride + k]` sums days `first` … `first + d − 1` (row 0 is zeros), k = 0
 * leads, 1 labeled, 2 conversions (stride 3) or leads alone (stride 1).
 */
export interface DayTotals {
  first: number;
  days: number;
  width: number;
  stride: 1 | 3;
  cum: Float64Array;
}

/** The sums over days `from` … `to` (inclusive; days outside the data count nothing), per category × stride. */
export function sumDays(t: DayTotals, [from, to]: readonly [number, number]): Float64Array {
  const size = t.width * t.stride;
  const out = new Float64Array(size);
  const a = Math.max(from, t.first) - t.first;
  const b = Math.min(to, t.first + t.days - 1) - t.first;
  if (a > b) return out;
  const hi = (b + 1) * size;
  const lo = a * size;
  for (let j = 0; j < size; ++j) out[j] = t.cum[hi + j] - t.cum[lo + j];
  return out;
}

/** Per-day counts made cumulative in place of a fresh array (one row of zeros first). */
function cumulate(counts: Float64Array, days: number, size: number): Float64Array {
  const cum = new Float64Array((days + 1) * size);
  for (let d = 0; d < days; ++d) {
    const from = d * size;
    const to = from + size;
    for (let j = 0; j < size; ++j) cum[to + j] = cum[from + j] + counts[from + j];
  }
  return cum;
}

/**
 * A band column as a rule set whose tier index is bandCaseSql's band: tier j is `column < edges[j]`
 * (the first that holds wins, as in the CASE), then "present" (at or above the last edge); the
 * fallback is the missing band (NULL, which no comparison matches).
 */
export function bandRules(band: BandDefinition): RuleSet {
  return {
    name: `bands of ${band.column}`,
    tiers: [...band.edges.map((e, j) => ({id: String(j), label: "", when: [{column: band.column, lt: e}]})), {id: String(band.edges.length), label: "", when: [{column: band.column, isNull: false}]}],
    fallback: {id: "missing", label: ""}
  } as RuleSet;
}

/** The days the source's leads span (its first and last contact day), once per source. */
const spans = new WeakMap<PreviewSource, {first: number; days: number}>();
function daySpan(source: PreviewSource): {first: number; days: number} {
  let span = spans.get(source);
  if (!span) {
    let lo = Infinity;
    let hi = -Infinity;
    const days = source.days;
    for (let i = 0; i < source.rows; ++i) {
      const d = days[i];
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    span = source.rows ? {first: lo, days: hi - lo + 1} : {first: 0, days: 0};
    spans.set(source, span);
  }
  return span;
}

/** One pass over the population's leads: per day and tier of `rules`, leads, labeled and conversions. */
async function countTiers(source: PreviewSource, rules: RuleSet, population: Population): Promise<DayTotals | {reason: string}> {
  const rows = await sourceRows(source, rules, population, []);
  if ("reason" in rows) return rows;
  const {first, days} = daySpan(source);
  const width = rules.tiers.length + 1;
  const counts = new Float64Array(days * width * 3);
  const tier = rows.from.values;
  const lv = rows.label.values;
  const ln = rows.label.valid;
  const picked = rows.picked;
  const day = source.days;
  await inSlices(rows.rows, LOOP_SLICE, (start, end) => {
    for (let k = start; k < end; ++k) {
      const c = ((day[picked === null ? k : picked[k]] - first) * width + tier[k]) * 3;
      counts[c] += 1;
      if (ln === null || ln[k] === 1) {
        counts[c + 1] += 1;
        counts[c + 2] += lv[k];
      }
    }
  });
  return {first, days, width, stride: 3, cum: cumulate(counts, days, width * 3)};
}

/** One pass per band column over the population's leads: per day and band, leads. */
async function countBands(source: PreviewSource, band: BandDefinition, population: Population): Promise<DayTotals | {reason: string}> {
  const rules = bandRules(band);
  const rows = await sourceRows(source, rules, population, []);
  if ("reason" in rows) return rows;
  const {first, days} = daySpan(source);
  const width = band.edges.length + 2;
  const counts = new Float64Array(days * width);
  const code = rows.from.values;
  const picked = rows.picked;
  const day = source.days;
  await inSlices(rows.rows, LOOP_SLICE, (start, end) => {
    for (let k = start; k < end; ++k) counts[(day[picked === null ? k : picked[k]] - first) * width + code[k]] += 1;
  });
  return {first, days, width, stride: 1, cum: cumulate(counts, days, width)};
}

/** Kept per-day counts, by what they count; the oldest go first beyond this many. */
const KEPT = 24;

/** How a backtest was counted: from the columns file, or why not (the caller then runs the SQL). */
export type ColumnsBacktest = {ok: true; backtest: Backtest} | {ok: false; reason: string};

/**
 * Backtests from a columns file, keeping each rule set's and band column's per-day counts for the
 * population, so that changing a period (or the thresholds) counts no lead again.
 */
export class BacktestCounter {
  private readonly kept = new Map<string, Promise<DayTotals | {reason: string}>>();

  constructor(readonly source: PreviewSource) {}

  /**
   * The backtest of `rules` over `periods`, exactly as {@link runBacktest} on the engine would
   * give it (its `sql` is that query's text), or the reason the file cannot count it. Throws as
   * runBacktest does for an invalid rule set or no periods.
   */
  async run(rules: RuleSet, periods: readonly Period[], options: BacktestOptions = {}): Promise<ColumnsBacktest> {
    const checked = parseRuleSet(rules, options.columns);
    const sql = backtestSql(checked, periods, options, "duckdb", options.table, options.columns);
    if (options.table !== undefined && options.table !== "leads") return {ok: false, reason: `the columns file holds the leads table, not ${options.table}`};
    const ranges = periods.map((p) => WINDOWS.map((w) => windowDays(p, w)));
    if (ranges.some((r) => r.includes(null))) return {ok: false, reason: "a period's dates are not calendar dates"};
    const population = populationOf(options);
    const tiers = await this.totals(["tiers", checked.tiers, checked.fallback, population], () => countTiers(this.source, checked, population));
    if ("reason" in tiers) return {ok: false, reason: tiers.reason};
    const ids = [...checked.tiers.map((t) => t.id), checked.fallback.id];
    const rows: Row[] = [];
    periods.forEach((_, i) =>
      WINDOWS.forEach((w, j) => {
        const sums = sumDays(tiers, ranges[i][j]!);
        ids.forEach((tier, t) => {
          if (sums[t * 3] > 0) rows.push({period_index: i, window_name: w, tier, leads: sums[t * 3], labeled: sums[t * 3 + 1], conversions: sums[t * 3 + 2]});
        });
      })
    );
    const bands = csiBands(options.bands ?? [], options.columns);
    let csi: {bands: typeof bands; rows: Row[]} | undefined;
    if (bands.length) {
      const csiRows: Row[] = [];
      for (const [c, band] of bands.entries()) {
        const totals = await this.totals(["band", band.column, band.edges, population], () => countBands(this.source, band, population));
        if ("reason" in totals) return {ok: false, reason: totals.reason};
        periods.forEach((_, i) =>
          WINDOWS.forEach((w, j) => {
            const sums = sumDays(totals, ranges[i][j]!);
            sums.forEach((leads, b) => {
              if (leads > 0) csiRows.push({period_index: i, window_name: w, column_index: c, band: b === band.edges.length + 1 ? null : b, leads});
            });
          })
        );
      }
      csi = {bands, rows: csiRows};
    }
    return {ok: true, backtest: backtestFromCounts(checked, periods, rows, {...options, sql, csi})};
  }

  private totals(key: unknown[], count: () => Promise<DayTotals | {reason: string}>): Promise<DayTotals | {reason: string}> {
    const text = JSON.stringify(key);
    let kept = this.kept.get(text);
    if (kept) {
      this.kept.delete(text);
    } else {
      kept = count();
      kept.catch(() => this.kept.delete(text));
    }
    this.kept.set(text, kept);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value as string);
    return kept;
  }
}

/** A backtest and how it was counted: from the columns file, or by SQL on the engine (and why). */
export type CountedBacktest = Backtest & {countedBy: "file" | "sql"; reason: string | null};

/**
 * The backtest from the columns file when `counter` can count it, else {@link runBacktest} on the
 * engine (asked for only then), saying why.
 */
export async function countBacktest(counter: BacktestCounter | null, engine: () => Promise<Connector>, rules: RuleSet, periods: readonly Period[], options: BacktestOptions = {}): Promise<CountedBacktest> {
  const viaFile: ColumnsBacktest = counter ? await counter.run(rules, periods, options) : {ok: false, reason: "there is no columns file"};
  if (viaFile.ok) return {...viaFile.backtest, countedBy: "file", reason: null};
  return {...(await runBacktest(await engine(), rules, periods, options)), countedBy: "sql", reason: viaFile.reason};
}
