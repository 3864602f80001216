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
 * (compileTierIndex, the twin of its CASE); a band: {@link bandIndex}, the signals' twin of the
 * band CASE, tabulated once per value of a whole-number column's range;
 * which days a window takes: {@link windowDays}, beside the SQL's join.
 * Anything the file cannot give exactly (a column it lacks, an operator the loop declines) is a
 * reason, and the caller asks the engine.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import type {Population} from "../population.js";
import {LOOP_SLICE} from "../rules/js-compile.js";
import {parseRuleSet} from "../rules/parse.js";
import type {RuleSet} from "../rules/types.js";
import {bandIndex} from "../signals/histogram.js";
import type {BandDefinition} from "../signals/signals.js";
import {valueRange, type TypedColumn} from "../lead-arrays.js";
import {NO_TIERS, sourceRows, type PreviewSource} from "../tiers/preview-source.js";
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

/** Per-day counts as running sums over the days, in a fresh array whose first row is zeros. */
function cumulate(counts: Float64Array, days: number, size: number): Float64Array {
  const cum = new Float64Array((days + 1) * size);
  for (let d = 0; d < days; ++d) {
    const from = d * size;
    const to = from + size;
    for (let j = 0; j < size; ++j) cum[to + j] = cum[from + j] + counts[from + j];
  }
  return cum;
}

/** The days the source's leads span (its first and last contact day), once per source. */
const spans = new WeakMap<PreviewSource, {first: number; days: number}>();
function daySpan(source: PreviewSource): {first: number; days: number} {
  let span = spans.get(source);
  if (!span) {
    const {min, max} = valueRange({values: source.days, valid: null}, source.rows);
    span = source.rows ? {first: min, days: max - min + 1} : {first: 0, days: 0};
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

/** The population's leads (the file's rows, null: all of them), as sourceRows selects them. */
export type Picked = {rows: number; picked: Int32Array | null} | {reason: string};

/** Selects the population's rows from the file. */
export async function pickRows(source: PreviewSource, population: Population): Promise<Picked> {
  const rows = await sourceRows(source, NO_TIERS, population, []);
  return "reason" in rows ? rows : {rows: rows.rows, picked: rows.picked};
}

/** Whole-number arrays: a band of each value in the column's range can be tabulated. */
const isWhole = (v: ArrayLike<number>) => v instanceof Int8Array || v instanceof Int16Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Uint16Array;

/** Widest range of values a band table is made for (beyond it, each lead goes through the loop). */
const TABLE_RANGE = 1 << 20;

/** The smallest and largest present value of a column, once per column. */
const ranges = new WeakMap<TypedColumn, {lo: number; hi: number}>();
function rangeOf(column: TypedColumn): {lo: number; hi: number} {
  let range = ranges.get(column);
  if (!range) {
    const {min, max} = valueRange(column);
    ranges.set(column, (range = {lo: min, hi: max}));
  }
  return range;
}

/**
 * One pass per band column over the population's leads: per day and band, leads. Each lead's band
 * is {@link bandIndex} of its value (missing last) — for whole-number columns tabulated once per
 * value in the column's range.
 */
async function countBands(source: PreviewSource, band: BandDefinition, selection: Picked): Promise<DayTotals | {reason: string}> {
  if ("reason" in selection) return selection;
  const column = source.features.get(band.column);
  if (!column) return {reason: `the columns file does not hold ${band.column}`};
  const {lo, hi} = rangeOf(column);
  const {edges} = band;
  const width = edges.length + 2;
  const missing = width - 1;
  // (No present value at all: an empty table, every lead missing.)
  const table = isWhole(column.values) && hi - lo < TABLE_RANGE ? Int32Array.from({length: hi >= lo ? hi - lo + 1 : 0}, (_, k) => bandIndex(edges, lo + k)) : null;
  const {first, days} = daySpan(source);
  const counts = new Float64Array(days * width);
  const {picked, rows} = selection;
  const day = source.days;
  const {values, valid} = column;
  await inSlices(rows, LOOP_SLICE, (start, end) => {
    for (let k = start; k < end; ++k) {
      const i = picked === null ? k : picked[k];
      const b = valid !== null && valid[i] === 0 ? missing : table === null ? bandIndex(edges, values[i]) : table[values[i] - lo];
      counts[(day[i] - first) * width + b] += 1;
    }
  });
  return {first, days, width, stride: 1, cum: cumulate(counts, days, width)};
}

/** The key of a rule set checked without a schema. */
const NO_SCHEMA = {};

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
  private readonly picked = new Map<string, Promise<Picked>>();
  private readonly checked = new WeakMap<RuleSet, WeakMap<object, RuleSet>>();

  constructor(readonly source: PreviewSource) {}

  /**
   * The backtest of `rules` over `periods`, exactly as {@link runBacktest} on the engine would
   * give it (its `sql` is that query's text), or the reason the file cannot count it. Throws as
   * runBacktest does for an invalid rule set or no periods.
   */
  async run(rules: RuleSet, periods: readonly Period[], options: BacktestOptions = {}): Promise<ColumnsBacktest> {
    const checked = this.check(rules, options.columns);
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
        const totals = await this.totals(["band", band.column, band.edges, population], async () => countBands(this.source, band, await this.pick(population)));
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

  /**
   * The rule set checked against the columns, once per rule set and schema object (a page hands the
   * same objects again when only a period changes; validating takes longer than the sums).
   */
  private check(rules: RuleSet, columns?: readonly ColumnInfo[]): RuleSet {
    const key = columns ?? NO_SCHEMA;
    const bySchema = this.checked.get(rules) ?? new WeakMap<object, RuleSet>();
    this.checked.set(rules, bySchema);
    let checked = bySchema.get(key);
    if (!checked) bySchema.set(key, (checked = parseRuleSet(rules, columns)));
    return checked;
  }

  /** The population's rows for the bands (the last few populations kept). */
  private pick(population: Population): Promise<Picked> {
    const key = JSON.stringify(population);
    let picked = this.picked.get(key);
    if (!picked) {
      this.picked.set(key, (picked = pickRows(this.source, population)));
      if (this.picked.size > 4) this.picked.delete(this.picked.keys().next().value as string);
    }
    return picked;
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
  const viaFile: ColumnsBacktest = counter ? await counter.run(rules, periods, options) : {ok: false, reason: "the columns file could not be read"};
  if (viaFile.ok) return {...viaFile.backtest, countedBy: "file", reason: null};
  return {...(await runBacktest(await engine(), rules, periods, options)), countedBy: "sql", reason: viaFile.reason};
}
