/**
 * Band and cross statistics without a query per redraw. A band column's statistics need only, per
 * population, the leads, labeled leads and conversions of each of the column's values (its
 * histogram, one GROUP BY query): any band edges are then sums over it. A cross needs the pair's
 * joint counts, and a pair of columns can have nearly as many distinct value pairs as leads
 * (tenure × firm size: 673,286 of 1M), so the band columns and the label are read once per
 * population instead (typed arrays, as the tier page reads its columns), each lead's value coded
 * by its position among the column's distinct values, and a cross is one pass over the codes.
 *
 * Both give exactly what bandStats / crossStats give (the same result builders, fed rows equal to
 * what bandSql / crossSql return; test/unit/signals-histogram.test.ts checks it against that SQL).
 * Where JavaScript cannot compare a column's values exactly like SQL (DECIMAL, NaN, integers past
 * 2^53, see columnRead), or a histogram would be too large to be worth it, they run that SQL.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {columnDistribution, type TypedColumn} from "../lead-arrays.js";
import {LEADS_TABLE, type Population} from "../population.js";
import {checkValues, numberRead, type ColumnRead} from "../rules/js-compile.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {quoteIdentifier, type Dialect} from "../sql.js";
import {readLeadColumns} from "../tiers/sweep.js";
import {bandColumnResult, bandStats, checkBand, crossResult, crossStats, type BandColumnResult, type BandDefinition, type CrossResult} from "./signals.js";

/** Above this many distinct values a column's bands are counted by their SQL instead (the histogram would cost more to move than to recount). */
export const HISTOGRAM_LIMIT = 50_000;

/** A column's counts by value over one population. */
export interface Histogram {
  column: string;
  /** The distinct non-NULL values (any order). */
  values: Float64Array;
  leads: Float64Array;
  labeled: Float64Array;
  conversions: Float64Array;
  /** Leads whose value is NULL. */
  missing: {leads: number; labeled: number; conversions: number};
  sql: string;
}

/** Why the fast path does not apply (the caller runs the SQL instead). */
export interface Declined {
  reason: string;
}

export interface HistogramOptions {
  dialect?: Dialect;
  population?: Population;
  table?: string;
  /** Return at most this many rows (a LIMIT), to tell a histogram that is too large. */
  limit?: number;
}

/** One query: each value of `column` in the population with its leads, labeled leads and conversions. */
export function histogramSql(column: string, options: HistogramOptions = {}): string {
  const dialect = options.dialect ?? "duckdb";
  const inner = scoredLeadsSql({tiers: [], where: options.population ?? {}, extra: [[quoteIdentifier(column, dialect), "v"]], dialect, table: options.table, indent: "  "});
  const limit = options.limit === undefined ? "" : `\nLIMIT ${options.limit}`;
  return `SELECT v, COUNT(*) AS leads, COUNT(label) AS labeled, COALESCE(SUM(label), 0) AS conversions\nFROM (\n${inner}\n) AS scored\nGROUP BY v${limit}`;
}

/** Whether JavaScript compares the column's values exactly like SQL (and how to check them). */
function readable(column: string, columns: readonly ColumnInfo[] | undefined): ColumnRead {
  const info = columns?.find((c) => c.name === column);
  if (!info) return {ok: false, reason: `the type of ${column} is not known`};
  return numberRead(info);
}

/** Reads a column's histogram (one query), or says why the bands must be counted by SQL. */
export async function readHistogram(conn: Connector, column: string, options: HistogramOptions & {columns?: readonly ColumnInfo[]} = {}): Promise<Histogram | Declined> {
  const read = readable(column, options.columns);
  if (!read.ok) return {reason: read.reason};
  const limit = options.limit ?? HISTOGRAM_LIMIT;
  const sql = histogramSql(column, {...options, dialect: options.dialect ?? conn.dialect, limit: limit + 1});
  const rows = await conn.query(sql);
  if (rows.length > limit) return {reason: `${column} has more than ${limit} distinct values`};
  const values = rows.filter((r) => r.v !== null);
  const h: Histogram = {
    column,
    values: Float64Array.from(values, (r) => Number(r.v)),
    leads: Float64Array.from(values, (r) => Number(r.leads)),
    labeled: Float64Array.from(values, (r) => Number(r.labeled)),
    conversions: Float64Array.from(values, (r) => Number(r.conversions)),
    missing: {leads: 0, labeled: 0, conversions: 0},
    sql
  };
  const nulls = rows.find((r) => r.v === null);
  if (nulls) h.missing = {leads: Number(nulls.leads), labeled: Number(nulls.labeled), conversions: Number(nulls.conversions)};
  const why = checkValues(column, read, {values: h.values, valid: null});
  return why ? {reason: why} : h;
}

/** The band of a (non-NULL) value: 0 below the first edge, i in [eᵢ₋₁, eᵢ), n from the last (bandCaseSql's numbering). */
export function bandIndex(edges: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value < edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The rows bandSql would return for these edges: one per non-empty band, `band` NULL for missing. */
export function bandRowsFromHistogram(h: Histogram, edges: readonly number[]): Row[] {
  const n = edges.length + 1;
  const sums = new Float64Array(n * 4);
  for (let k = 0; k < h.values.length; ++k) {
    const v = h.values[k];
    const at = bandIndex(edges, v) * 4;
    sums[at] += h.leads[k];
    sums[at + 1] += h.labeled[k];
    sums[at + 2] += h.conversions[k];
    if (v !== Math.floor(v)) sums[at + 3] += h.leads[k];
  }
  const rows: Row[] = [];
  for (let i = 0; i < n; ++i) {
    if (sums[i * 4] > 0) rows.push({band: i, leads: sums[i * 4], labeled: sums[i * 4 + 1], conversions: sums[i * 4 + 2], fractional: sums[i * 4 + 3]});
  }
  if (h.missing.leads > 0) rows.push({band: null, ...h.missing, fractional: 0});
  return rows;
}

/** A band column's statistics from its histogram: what {@link bandStats} gives, without a query. */
export function bandStatsFromHistogram(band: BandDefinition, h: Histogram): BandColumnResult {
  if (band.column !== h.column) throw new Error(`the histogram is of ${h.column}, not ${band.column}`);
  return bandColumnResult(band, bandRowsFromHistogram(h, band.edges), h.sql);
}

/**
 * A column of the population as codes: each lead's position in the column's sorted distinct values
 * (`distinct.length` for NULL), so that a redraw maps a few thousand values to bands, not a million.
 */
export interface CodedColumn {
  distinct: Float64Array;
  codes: Uint16Array | Uint32Array;
  /** Whether any value is not a whole number (bands are then labelled `a to < b`). */
  fractional: boolean;
}

/** Band columns of a population, coded, and each lead's label: 0 unlabeled, 1 labeled and not converted, 2 converted. */
export interface CodedLeads {
  rows: number;
  columns: ReadonlyMap<string, CodedColumn>;
  label: Uint8Array;
  sql: string;
}

/** Whole numbers within this range are coded through a table indexed by value, others by a search of the distinct values. */
const DENSE_RANGE = 1 << 22;

export function codeColumn(column: TypedColumn, rows: number): CodedColumn {
  const {values, valid} = column;
  const distinct = columnDistribution(column, rows).values;
  const d = distinct.length;
  // (As the SQL's labels see it: x = floor(x), which infinities meet.)
  const fractional = distinct.some((v) => v !== Math.floor(v));
  let position: (v: number) => number;
  if (!fractional && d > 0 && distinct[d - 1] - distinct[0] < DENSE_RANGE) {
    const min = distinct[0];
    const rank = new Int32Array(distinct[d - 1] - min + 1);
    for (let k = 0; k < d; ++k) rank[distinct[k] - min] = k;
    position = (v) => rank[v - min];
  } else {
    position = (v) => {
      let lo = 0;
      let hi = d - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (distinct[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
  }
  const missing = d;
  const codes = missing < 0xffff ? new Uint16Array(rows) : new Uint32Array(rows);
  for (let r = 0; r < rows; ++r) codes[r] = valid !== null && valid[r] === 0 ? missing : position(values[r]);
  return {distinct, codes, fractional};
}

/** Reads band columns and the label of a population (one query) and codes them, or says why the cross must be counted by SQL. */
export async function readCodedLeads(conn: Connector, names: readonly string[], options: {population?: Population; table?: string; columns?: readonly ColumnInfo[]} = {}): Promise<CodedLeads | Declined> {
  if (conn.dialect !== "duckdb") return {reason: "the columns are read from DuckDB only"};
  for (const name of names) {
    const read = readable(name, options.columns);
    if (!read.ok) return {reason: read.reason};
  }
  const population = options.population ?? {};
  const read = await readLeadColumns(conn, options.columns!, population, names, options.table ?? LEADS_TABLE);
  if ("reason" in read) return read;
  const label = new Uint8Array(read.rows);
  const {values: y, valid: labeled} = read.label;
  for (let r = 0; r < read.rows; ++r) {
    if (labeled !== null && labeled[r] === 0) continue;
    if (y[r] !== 0 && y[r] !== 1) return {reason: `a label is ${y[r]}, not 0 or 1`};
    label[r] = 1 + y[r];
  }
  const columns = new Map(names.map((n) => [n, codeColumn(read.columns.get(n)!, read.rows)]));
  const sql = `-- counted in JavaScript from the population's columns, read once:\n${scoredLeadsSql({tiers: [], where: population, extra: names.map((n) => [quoteIdentifier(n, "duckdb"), quoteIdentifier(n, "duckdb")] as const), table: options.table})}`;
  return {rows: read.rows, columns, label, sql};
}

/** Each code's band (the last code, NULL, in the missing band `edges.length + 1`). */
function bandsOfCodes(column: CodedColumn, edges: readonly number[]): Uint8Array {
  const bands = new Uint8Array(column.distinct.length + 1);
  column.distinct.forEach((v, k) => (bands[k] = bandIndex(edges, v)));
  bands[column.distinct.length] = edges.length + 1;
  return bands;
}

/** The rows crossSql would return for these edges: one per non-empty band pair, NULL for missing. */
export function crossRowsFromColumns(leads: CodedLeads, a: BandDefinition, b: BandDefinition): Row[] {
  const ca = leads.columns.get(a.column);
  const cb = leads.columns.get(b.column);
  if (!ca || !cb) throw new Error(`${ca ? b.column : a.column} was not read`);
  const na = a.edges.length + 2;
  const nb = b.edges.length + 2;
  const bandA = bandsOfCodes(ca, a.edges);
  const bandB = bandsOfCodes(cb, b.edges);
  // Counts per cell and label code (unlabeled, not converted, converted): one increment per lead.
  const counts = new Float64Array(na * nb * 3);
  const {codes: xa} = ca;
  const {codes: xb} = cb;
  const label = leads.label;
  for (let r = 0; r < leads.rows; ++r) counts[(bandA[xa[r]] * nb + bandB[xb[r]]) * 3 + label[r]]++;
  const rows: Row[] = [];
  for (let i = 0; i < na; ++i) {
    for (let j = 0; j < nb; ++j) {
      const at = (i * nb + j) * 3;
      const leadsIn = counts[at] + counts[at + 1] + counts[at + 2];
      if (leadsIn === 0) continue;
      rows.push({a: i === na - 1 ? null : i, b: j === nb - 1 ? null : j, leads: leadsIn, labeled: counts[at + 1] + counts[at + 2], conversions: counts[at + 2], a_fractional: ca.fractional ? 1 : 0, b_fractional: cb.fractional ? 1 : 0});
    }
  }
  return rows;
}

/** A cross from the population's coded columns: what {@link crossStats} gives, without a query. */
export function crossStatsFromColumns(a: BandDefinition, b: BandDefinition, leads: CodedLeads, population?: Population): CrossResult {
  return crossResult(a, b, crossRowsFromColumns(leads, a, b), population, leads.sql);
}

/** Histograms kept (each at most {@link HISTOGRAM_LIMIT} values): several populations' worth of band columns. */
const HISTOGRAMS_KEPT = 100;

export interface SignalCountsOptions {
  columns?: readonly ColumnInfo[];
  table?: string;
  /** The columns a cross may pair (all read at the first cross of a population, so that changing the pair needs no query). */
  crossColumns?: readonly string[];
  /** How many populations' columns to keep (each a few bytes per lead and column). */
  populations?: number;
  histogramLimit?: number;
  /**
   * The first cross of a population by its SQL, and the columns read after it for the next ones:
   * a cross query costs less than reading the columns, so a population's first numbers come sooner.
   */
  scanFirst?: boolean;
}

/**
 * The signals page's counts, kept per population: each band column's histogram and the recent
 * cross pairs' columns, read on first use; every band and cross is then derived without a query.
 * Where the fast path declines, the result comes from bandStats / crossStats (the reason in `declined`).
 */
export class SignalCounts {
  private readonly histograms = new Map<string, Promise<Histogram | Declined>>();
  private readonly leads = new Map<string, Promise<CodedLeads | Declined>>();
  /** Why the last band or cross of a column or pair was counted by SQL (keyed like the caches). */
  readonly declined = new Map<string, string>();

  constructor(
    private readonly conn: Connector,
    private readonly options: SignalCountsOptions = {}
  ) {}

  private cached<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>, keep = Infinity): Promise<T> {
    let entry = cache.get(key);
    if (entry) cache.delete(key); // re-inserted: the map's order is the order of use
    else entry = read();
    cache.set(key, entry);
    entry.catch(() => cache.get(key) === entry && cache.delete(key)); // a failed read is not kept
    while (cache.size > keep) cache.delete(cache.keys().next().value!);
    return entry;
  }

  /** A band column's statistics over a population (its histogram read on first use). */
  async band(band: BandDefinition, population: Population = {}): Promise<BandColumnResult> {
    const {columns, table} = this.options;
    checkBand(band, columns);
    const key = JSON.stringify([population, band.column]);
    const h = await this.cached(this.histograms, key, () => readHistogram(this.conn, band.column, {population, table, columns, limit: this.options.histogramLimit}), HISTOGRAMS_KEPT);
    if ("reason" in h) {
      this.declined.set(key, h.reason);
      return bandStats(this.conn, band, {population, table, columns});
    }
    return bandStatsFromHistogram(band, h);
  }

  /** The cross of two band columns over a population (the pair's columns read on first use). */
  async cross(a: BandDefinition, b: BandDefinition, population: Population = {}): Promise<CrossResult> {
    const {columns, table} = this.options;
    checkBand(a, columns);
    checkBand(b, columns);
    // (Columns JavaScript cannot compare exactly are left out, so that they send only their own crosses to SQL.)
    const others = (this.options.crossColumns ?? []).filter((c) => readable(c, columns).ok);
    const wanted = [...new Set([...others, a.column, b.column])].sort();
    const key = JSON.stringify([population, ...wanted]);
    const read = () => this.cached(this.leads, key, () => readCodedLeads(this.conn, wanted, {population, table, columns}), this.options.populations ?? 2);
    if (this.options.scanFirst && !this.leads.has(key)) {
      const result = await crossStats(this.conn, a, b, {population, table, columns});
      // (Not awaited: the next cross waits for it. A failed read is dropped by `cached` and retried then.)
      if (!this.leads.has(key)) void read().catch(() => {});
      return result;
    }
    const leads = await read();
    if ("reason" in leads) {
      this.declined.set(key, leads.reason);
      return crossStats(this.conn, a, b, {population, table, columns});
    }
    return crossStatsFromColumns(a, b, leads, population);
  }
}
