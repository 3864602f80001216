/**
 * Signal investigation (the seeds' "Strongest Converting Signals", done live): named signals
 * (AND-lists of rule conditions), conversion by band of a numeric column, and the cross of two
 * banded columns. Every statistic of a signal list, of a column's bands or of a cross comes from
 * ONE aggregate query, built here for DuckDB or BigQuery. Lift is always against the rate of the
 * population the query ran over (all leads matching the date window / split / wirehouse filter).
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {toRate, type Rate} from "../overview/overview.js";
import {describePopulation, labelExpression, LEADS_TABLE, populationWhere, type Population} from "../population.js";
import {compileCondition} from "../rules/compile.js";
import {describeCondition} from "../rules/conditions.js";
import {conditionProblems, show} from "../rules/rule-set-schema.js";
import type {Condition} from "../rules/types.js";
import {literal, quoteIdentifier, quoteTable, type Dialect} from "../sql.js";
import {binaryInformationValue, evidence, informationValue, type Evidence} from "./iv.js";

/** Cells of a cross with fewer labeled leads than this are greyed out. */
export const MIN_LABELED = 30;

/** What the lift of every signal, band and cell is measured against. */
export const LIFT_BASE = "population rate (all leads in the population)";

export interface Published {
  rate: number | null;
  lift: number | null;
  note?: string;
}

export interface SignalDefinition {
  id: string;
  label: string;
  /** Conditions ANDed together, in the rule-set condition format. */
  when: Condition[];
  /** The seeds' published rate and lift (against their own baseline), when there is one. */
  published?: Published;
}

export interface BandDefinition {
  column: string;
  label?: string;
  /** Ascending band starts: bands are [e₀, e₁), [e₁, e₂) …, plus `< e₀` and `≥ eₙ`. */
  edges: number[];
}

export interface SignalsConfig {
  description?: string;
  published?: {baseline?: {rate: number; leads?: number; source?: string}};
  signals: SignalDefinition[];
  bands: BandDefinition[];
  /** The default pair of band columns for the cross. */
  cross?: [string, string];
}

/** Signal definitions or band edges that cannot be used; `issues` are readable sentences. */
export class SignalsError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(issues.length === 1 ? issues[0] : `invalid signals (${issues.length} problems):\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "SignalsError";
    this.issues = issues;
  }
}

export interface SqlOptions {
  dialect?: Dialect;
  population?: Population;
  /** The leads table (default `leads`; a `project.dataset.table` path for BigQuery). */
  table?: string;
}

export interface RunOptions extends SqlOptions {
  /** The table's schema: when given, columns and comparisons are checked before any SQL runs. */
  columns?: readonly ColumnInfo[];
}

/** Counts, rate, Wilson interval, lift vs the population rate, and share of the population's leads. */
export interface Stat extends Rate {
  lift: number | null;
  share: number | null;
}

export interface PopulationStat extends Rate {
  description: string;
}

export interface SignalResult extends Stat {
  id: string;
  label: string;
  /** The conditions in words. */
  definition: string;
  published: Published | null;
  /** Information value of "in the signal" vs "not" (iv.ts); null when the population has no conversions or no non-conversions. */
  iv: number | null;
}

export interface Band {
  label: string;
  /** Smallest value in the band (null: open below). */
  min: number | null;
  /** Largest value in the band for whole-number data (null: open above, or fractional data). */
  max: number | null;
  /** The band holds values strictly below this (the next edge; null: open above). */
  lessThan: number | null;
}

export type BandStat = Band & Stat & Evidence;

export interface BandColumnResult {
  column: string;
  label: string;
  edges: number[];
  /** Whether every value in the population is a whole number (bands are then labelled min–max). */
  wholeNumbers: boolean;
  bands: BandStat[];
  /** Leads whose value is NULL: in no band (its WoE and IV term count in the column's IV). */
  missing: Stat & Evidence;
  /** The column's information value: the sum of its bands' terms, the missing band included. */
  iv: number | null;
  sql: string;
}

export interface CrossCell extends Stat {
  /** Band label on each axis ("missing" for NULL). */
  a: string;
  b: string;
  /** Fewer than {@link MIN_LABELED} labeled leads. */
  thin: boolean;
}

export interface CrossResult {
  a: {column: string; label: string; bands: string[]};
  b: {column: string; label: string; bands: string[]};
  cells: CrossCell[];
  population: PopulationStat;
  sql: string;
}

export interface SignalsResult {
  population: PopulationStat;
  /** Ranked by rate, highest first (no labeled leads last). */
  signals: SignalResult[];
  liftBase: string;
  sql: string;
}

export interface SignalsReport extends SignalsResult {
  bands: BandColumnResult[];
}

// ---------------------------------------------------------------------------------------------
// Validation

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems with band edges: a non-empty list of finite numbers, strictly ascending. */
export function edgeProblems(edges: unknown): string[] {
  if (!Array.isArray(edges) || edges.length === 0) return [`edges must be a non-empty list of numbers, got ${show(edges)}`];
  const bad = edges.findIndex((e) => typeof e !== "number" || !Number.isFinite(e));
  if (bad >= 0) return [`edge ${bad + 1} is not a number: ${show(edges[bad])}`];
  for (let i = 1; i < edges.length; ++i) {
    if (edges[i] <= edges[i - 1]) return [`edges must be strictly ascending, but ${edges[i]} comes after ${edges[i - 1]}`];
  }
  if (edges.length > 50) return [`at most 50 edges, got ${edges.length}`];
  return [];
}

/**
 * Band starts typed by an analyst ("12, 37, 49" — commas or spaces, − accepted as minus).
 * @throws {SignalsError} naming the token that is not a number or the edge out of order
 */
export function parseEdges(text: string): number[] {
  const tokens = text.replace(/\u2212/g, "-").split(/[,;\s]+/).filter((t) => t !== "");
  if (tokens.length === 0) throw new SignalsError(["give at least one band start, e.g. 12, 37, 49"]);
  const edges = tokens.map((t) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN));
  const bad = edges.findIndex((e) => !Number.isFinite(e));
  if (bad >= 0) throw new SignalsError([`"${tokens[bad]}" is not a number; give band starts separated by commas, e.g. 12, 37, 49`]);
  const problems = edgeProblems(edges);
  if (problems.length) throw new SignalsError(problems);
  return edges;
}

/** Problems with one band definition; with `columns`, the column must exist and be numeric. */
export function bandProblems(raw: unknown, columns?: readonly ColumnInfo[]): string[] {
  if (!isRecord(raw)) return [`must be an object like {"column": "x", "edges": [1, 10]}, got ${show(raw)}`];
  const problems: string[] = [];
  const unknown = Object.keys(raw).filter((k) => !["column", "label", "edges"].includes(k));
  if (unknown.length) problems.push(`unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}`);
  if (typeof raw.column !== "string" || raw.column === "") problems.push(`needs a "column"`);
  if (raw.label !== undefined && typeof raw.label !== "string") problems.push(`"label" must be text, got ${show(raw.label)}`);
  problems.push(...edgeProblems(raw.edges));
  if (typeof raw.column === "string" && raw.column && columns) {
    const info = columns.find((c) => c.name === raw.column);
    // Reuse the rule validator's wording (unknown column, did-you-mean, kind mismatch) via an `lt` condition.
    if (!info) problems.push(...conditionProblems({column: raw.column, lt: 0}, columns));
    else if (info.kind !== "number") problems.push(`bands need a numeric column, but "${raw.column}" is a ${info.kind} column (${info.type})`);
  }
  return problems;
}

/** Problems with one signal definition (conditions checked like rule-set conditions). */
export function signalProblems(raw: unknown, columns?: readonly ColumnInfo[]): string[] {
  if (!isRecord(raw)) return [`must be an object like {"id": "x", "label": "…", "when": [ … ]}, got ${show(raw)}`];
  const problems: string[] = [];
  const unknown = Object.keys(raw).filter((k) => !["id", "label", "when", "published", "description"].includes(k));
  if (unknown.length) problems.push(`unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}`);
  if (typeof raw.id !== "string" || raw.id === "") problems.push(`needs an "id" (text)`);
  if (typeof raw.label !== "string") problems.push(`needs a "label" (text)`);
  if (!Array.isArray(raw.when) || raw.when.length === 0) {
    problems.push(`needs "when": a non-empty list of conditions, got ${show(raw.when)}`);
  } else {
    raw.when.forEach((condition, i) => {
      const column = isRecord(condition) && typeof condition.column === "string" ? ` (${condition.column})` : "";
      for (const p of conditionProblems(condition, columns)) problems.push(`condition ${i + 1}${column}: ${p}`);
    });
  }
  if (raw.published !== undefined) {
    const p = raw.published;
    if (!isRecord(p)) problems.push(`"published" must be {"rate": …, "lift": …}, got ${show(p)}`);
    else {
      if (p.rate !== null && p.rate !== undefined && !(typeof p.rate === "number" && p.rate >= 0 && p.rate <= 1)) problems.push(`published rate must be between 0 and 1, got ${show(p.rate)}`);
      if (p.lift !== null && p.lift !== undefined && !(typeof p.lift === "number" && p.lift >= 0)) problems.push(`published lift must be a number ≥ 0, got ${show(p.lift)}`);
    }
  }
  return problems;
}

/** The published figures' lift base, `{"baseline": {"rate": 0–1, "leads": a whole number ≥ 0}}`: the baseline may be left out, and its leads; not its rate. */
function publishedOk(published: unknown): boolean {
  if (!isRecord(published)) return false;
  const base = published.baseline;
  if (base === undefined) return true;
  if (!isRecord(base) || typeof base.rate !== "number" || !(base.rate >= 0 && base.rate <= 1)) return false;
  return base.leads === undefined || (Number.isSafeInteger(base.leads) && (base.leads as number) >= 0);
}

/**
 * Validates signal definitions (`data/signals.json`, or an analyst's own file). With `columns`,
 * every condition's column must exist and fit its comparison, and band columns must be numeric.
 * @throws {SignalsError} listing every problem, each naming the signal or band
 */
export function parseSignalsConfig(json: unknown, columns?: readonly ColumnInfo[]): SignalsConfig {
  const issues: string[] = [];
  if (!isRecord(json)) throw new SignalsError([`signal definitions must be an object with "signals" and "bands", got ${show(json)}`]);
  const signals = json.signals;
  const bands = json.bands ?? [];
  if (!Array.isArray(signals)) issues.push(`"signals" must be a list of signals, got ${show(signals)}`);
  else {
    const seen = new Set<string>();
    signals.forEach((s, i) => {
      const id = isRecord(s) && typeof s.id === "string" && s.id ? s.id : null;
      for (const p of signalProblems(s, columns)) issues.push(`${id ? `signal "${id}"` : `signal ${i + 1}`}: ${p}`);
      if (id && seen.has(id)) issues.push(`signal id "${id}" is used twice; ids must be unique`);
      if (id) seen.add(id);
    });
  }
  if (!Array.isArray(bands)) issues.push(`"bands" must be a list of {"column", "edges"}, got ${show(bands)}`);
  else {
    bands.forEach((b, i) => {
      const name = isRecord(b) && typeof b.column === "string" && b.column ? `bands "${b.column}"` : `bands ${i + 1}`;
      for (const p of bandProblems(b, columns)) issues.push(`${name}: ${p}`);
    });
  }
  if (json.published !== undefined && !publishedOk(json.published)) {
    issues.push(`"published" must be {"baseline": {"rate": 0–1, "leads": a whole number}} (the published lifts' base), got ${show(json.published)}`);
  }
  const cross = json.cross;
  if (cross !== undefined) {
    const names = Array.isArray(bands) ? bands.map((b) => (isRecord(b) ? b.column : undefined)) : [];
    if (!Array.isArray(cross) || cross.length !== 2 || !cross.every((c) => typeof c === "string" && names.includes(c))) {
      issues.push(`"cross" must name two band columns, got ${show(cross)}`);
    }
  }
  if (issues.length) throw new SignalsError(issues);
  return json as unknown as SignalsConfig;
}

// ---------------------------------------------------------------------------------------------
// SQL

/**
 * An AND-list of conditions as one parenthesised SQL predicate, through the rule compiler's
 * {@link compileCondition}. With `columns`, the conditions are validated first.
 * @throws {SignalsError} when a condition is malformed or does not fit the table
 */
export function compileConditions(conditions: readonly Condition[], options: {dialect?: Dialect; columns?: readonly ColumnInfo[]} = {}): string {
  const issues = conditions.flatMap((c, i) => conditionProblems(c, options.columns).map((p) => `condition ${i + 1}: ${p}`));
  if (conditions.length === 0) issues.push("an empty condition list");
  if (issues.length) throw new SignalsError(issues);
  return `(${conditions.map((c) => compileCondition(c, options.dialect ?? "duckdb")).join(" AND ")})`;
}

/** Aggregates of (leads, labeled, conversions) over the rows where `predicate` holds (all rows when null). */
function countsSql(predicate: string | null, prefix: string, options: SqlOptions): string[] {
  const dialect = options.dialect ?? "duckdb";
  const label = labelExpression(options.population, dialect);
  const as = (name: string) => `AS ${quoteIdentifier(prefix + name, dialect)}`;
  if (predicate === null) return [`COUNT(*) ${as("leads")}`, `COUNT(${label}) ${as("labeled")}`, `COALESCE(SUM(${label}), 0) ${as("conversions")}`];
  if (dialect === "bigquery") {
    return [`COUNTIF(${predicate}) ${as("leads")}`, `COUNT(IF(${predicate}, ${label}, NULL)) ${as("labeled")}`, `COALESCE(SUM(IF(${predicate}, ${label}, NULL)), 0) ${as("conversions")}`];
  }
  const filter = `FILTER (WHERE ${predicate})`;
  return [`COUNT(*) ${filter} ${as("leads")}`, `COUNT(${label}) ${filter} ${as("labeled")}`, `COALESCE(SUM(${label}) ${filter}, 0) ${as("conversions")}`];
}

function fromWhere(options: SqlOptions): string {
  const dialect = options.dialect ?? "duckdb";
  return `FROM ${quoteTable(options.table ?? LEADS_TABLE, dialect)}\nWHERE ${populationWhere(options.population, dialect)}`;
}

/**
 * One aggregate query for the population and every signal: columns `leads, labeled, conversions`
 * and `s<i>_leads, s<i>_labeled, s<i>_conversions` for the i-th signal (0-based, input order).
 */
export function signalsSql(signals: readonly {when: Condition[]}[], options: RunOptions = {}): string {
  const dialect = options.dialect ?? "duckdb";
  const parts = countsSql(null, "", options);
  signals.forEach((s, i) => parts.push(...countsSql(compileConditions(s.when, {dialect, columns: options.columns}), `s${i}_`, options)));
  return `SELECT\n  ${parts.join(",\n  ")}\n${fromWhere(options)}`;
}

/** The band index of a column as SQL: NULL for NULL, 0 below the first edge, i in [eᵢ₋₁, eᵢ), n from the last. */
export function bandCaseSql(column: string, edges: readonly number[], dialect: Dialect = "duckdb"): string {
  const problems = edgeProblems(edges);
  if (problems.length) throw new SignalsError(problems.map((p) => `bands "${column}": ${p}`));
  const q = quoteIdentifier(column, dialect);
  const whens = edges.map((e, i) => `WHEN ${q} < ${literal(e, dialect)} THEN ${i}`);
  return `CASE WHEN ${q} IS NULL THEN NULL ${whens.join(" ")} ELSE ${edges.length} END`;
}

function fractionalSql(column: string, alias: string, dialect: Dialect): string {
  const q = quoteIdentifier(column, dialect);
  const test = `${q} <> FLOOR(${q})`;
  return `${dialect === "bigquery" ? `COUNTIF(${test})` : `COUNT(*) FILTER (WHERE ${test})`} AS ${quoteIdentifier(alias, dialect)}`;
}

/** One aggregate query for all bands of a column: one row per band index (NULL = missing). */
export function bandSql(band: BandDefinition, options: SqlOptions = {}): string {
  const dialect = options.dialect ?? "duckdb";
  const parts = [`${bandCaseSql(band.column, band.edges, dialect)} AS ${quoteIdentifier("band", dialect)}`, ...countsSql(null, "", options), fractionalSql(band.column, "fractional", dialect)];
  return `SELECT\n  ${parts.join(",\n  ")}\n${fromWhere(options)}\nGROUP BY 1\nORDER BY 1`;
}

/** One aggregate query for the cross of two banded columns: one row per (a, b) band pair. */
export function crossSql(a: BandDefinition, b: BandDefinition, options: SqlOptions = {}): string {
  const dialect = options.dialect ?? "duckdb";
  const parts = [
    `${bandCaseSql(a.column, a.edges, dialect)} AS ${quoteIdentifier("a", dialect)}`,
    `${bandCaseSql(b.column, b.edges, dialect)} AS ${quoteIdentifier("b", dialect)}`,
    ...countsSql(null, "", options),
    fractionalSql(a.column, "a_fractional", dialect),
    fractionalSql(b.column, "b_fractional", dialect)
  ];
  return `SELECT\n  ${parts.join(",\n  ")}\n${fromWhere(options)}\nGROUP BY 1, 2`;
}

// ---------------------------------------------------------------------------------------------
// Bands

const fmt = (n: number) => String(n);

/**
 * The bands for ascending edges. For whole-number data a band [a, b) is labelled `a–(b−1)` with
 * `max = b − 1` (edges rounded up); otherwise `a to < b` with `max` null.
 */
export function bandsFor(edges: readonly number[], wholeNumbers = true): Band[] {
  const problems = edgeProblems(edges);
  if (problems.length) throw new SignalsError(problems);
  const low = (e: number) => (wholeNumbers ? Math.ceil(e) : e);
  const high = (next: number) => (wholeNumbers ? Math.ceil(next) - 1 : null);
  const range = (min: number, max: number | null, next: number) => {
    if (max === null || max < min) return `${fmt(min)} to < ${fmt(next)}`;
    if (max === min) return fmt(min);
    return min < 0 || max < 0 ? `${fmt(min)} to ${fmt(max)}` : `${fmt(min)}–${fmt(max)}`;
  };
  const bands: Band[] = [{label: `< ${fmt(edges[0])}`, min: null, max: high(edges[0]), lessThan: edges[0]}];
  for (let i = 1; i < edges.length; ++i) {
    const min = low(edges[i - 1]);
    const max = high(edges[i]);
    bands.push({label: range(min, max, edges[i]), min, max, lessThan: edges[i]});
  }
  const last = low(edges[edges.length - 1]);
  bands.push({label: `≥ ${fmt(last)}`, min: last, max: null, lessThan: null});
  return bands;
}

function stat(row: Row | undefined, population: Rate): Stat {
  const r = toRate(row ?? {leads: 0, labeled: 0, conversions: 0});
  const lift = r.rate !== null && population.rate ? r.rate / population.rate : null;
  return {...r, lift, share: population.leads ? r.leads / population.leads : null};
}

/** Sums rows of counts into the population's counts. */
function total(rows: readonly Row[], population?: Population): PopulationStat {
  const sum = (k: string) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  return {...toRate({leads: sum("leads"), labeled: sum("labeled"), conversions: sum("conversions")}), description: describePopulation(population)};
}

export function checkBand(band: BandDefinition, columns?: readonly ColumnInfo[]): void {
  const problems = bandProblems(band, columns);
  if (problems.length) throw new SignalsError(problems.map((p) => `bands "${band.column}": ${p}`));
}

/**
 * A band column's result from its rows of counts by band index — `band` (NULL for missing),
 * `leads`, `labeled`, `conversions`, `fractional` (leads whose value is not a whole number), one row
 * per non-empty band — as {@link bandSql} returns them (or histogram.ts sums them from a histogram).
 */
export function bandColumnResult(band: BandDefinition, rows: readonly Row[], sql: string): BandColumnResult {
  const population = total(rows);
  const wholeNumbers = rows.every((r) => Number(r.fractional ?? 0) === 0);
  const byIndex = new Map(rows.map((r) => [r.band === null ? null : Number(r.band), r]));
  const bands = bandsFor(band.edges, wholeNumbers).map((b, i) => ({...b, ...stat(byIndex.get(i), population)}));
  const missing = stat(byIndex.get(null), population);
  return {
    column: band.column,
    label: band.label ?? band.column,
    edges: [...band.edges],
    wholeNumbers,
    bands: bands.map((b) => ({...b, ...evidence(b, population)})),
    missing: {...missing, ...evidence(missing, population)},
    iv: informationValue([...bands, missing], population),
    sql
  };
}

/** Conversion by band of one column (one query). Lift is against the rate of the whole population. */
export async function bandStats(conn: Connector, band: BandDefinition, options: RunOptions = {}): Promise<BandColumnResult> {
  checkBand(band, options.columns);
  const sql = bandSql(band, {...options, dialect: options.dialect ?? conn.dialect});
  return bandColumnResult(band, await conn.query(sql), sql);
}

/**
 * A cross's result from its rows of counts by band pair — `a`, `b` (band indexes, NULL for
 * missing), `leads`, `labeled`, `conversions`, `a_fractional`, `b_fractional` — as {@link crossSql}
 * returns them (or histogram.ts counts them from the population's columns).
 */
export function crossResult(a: BandDefinition, b: BandDefinition, rows: readonly Row[], population: Population | undefined, sql: string): CrossResult {
  const totals = total(rows, population);
  const labelsA = [...bandsFor(a.edges, rows.every((r) => Number(r.a_fractional ?? 0) === 0)).map((x) => x.label), "missing"];
  const labelsB = [...bandsFor(b.edges, rows.every((r) => Number(r.b_fractional ?? 0) === 0)).map((x) => x.label), "missing"];
  const key = (i: unknown, n: number) => (i === null ? n - 1 : Number(i));
  const byPair = new Map(rows.map((r) => [`${key(r.a, labelsA.length)},${key(r.b, labelsB.length)}`, r]));
  const cells: CrossCell[] = [];
  labelsA.forEach((la, i) =>
    labelsB.forEach((lb, j) => {
      const s = stat(byPair.get(`${i},${j}`), totals);
      cells.push({a: la, b: lb, ...s, thin: s.labeled < MIN_LABELED});
    })
  );
  return {a: {column: a.column, label: a.label ?? a.column, bands: labelsA}, b: {column: b.column, label: b.label ?? b.column, bands: labelsB}, cells, population: totals, sql};
}

/** The cross of two banded columns (one query): every band pair, plus "missing" on each axis. */
export async function crossStats(conn: Connector, a: BandDefinition, b: BandDefinition, options: RunOptions = {}): Promise<CrossResult> {
  checkBand(a, options.columns);
  checkBand(b, options.columns);
  const sql = crossSql(a, b, {...options, dialect: options.dialect ?? conn.dialect});
  return crossResult(a, b, await conn.query(sql), options.population, sql);
}

// ---------------------------------------------------------------------------------------------
// Signals

/** What the signals table is ranked by. */
export type SignalRank = "rate" | "iv";

/**
 * Highest rate (or IV) first; signals with none (no labeled leads) last; ties by more labeled
 * leads, then id.
 */
export function rankSignals<T extends {id: string; rate: number | null; labeled: number; iv?: number | null}>(signals: readonly T[], by: SignalRank = "rate"): T[] {
  const byId = (x: T, y: T) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  const value = (s: T) => (by === "iv" ? s.iv ?? null : s.rate);
  return [...signals].sort((x, y) => {
    const vx = value(x);
    const vy = value(y);
    if (vx === null || vy === null) return vx === vy ? byId(x, y) : vx === null ? 1 : -1;
    return vy - vx || y.labeled - x.labeled || byId(x, y);
  });
}

/** Every signal's counts, rate, Wilson interval and lift vs the population rate, from one query. */
export async function signalStats(conn: Connector, signals: readonly SignalDefinition[], options: RunOptions = {}): Promise<SignalsResult> {
  const issues = signals.flatMap((s, i) => signalProblems(s, options.columns).map((p) => `signal "${s?.id ?? i + 1}": ${p}`));
  if (issues.length) throw new SignalsError(issues);
  const sql = signalsSql(signals, {...options, dialect: options.dialect ?? conn.dialect});
  const rows = await conn.query(sql);
  if (rows.length !== 1) throw new Error(`the signals query returned ${rows.length} rows, expected 1`);
  const row = rows[0];
  const population: PopulationStat = {...toRate(row), description: describePopulation(options.population)};
  const results = signals.map((s, i): SignalResult => {
    const counts = {leads: row[`s${i}_leads`], labeled: row[`s${i}_labeled`], conversions: row[`s${i}_conversions`]};
    const st = stat(counts, population);
    return {id: s.id, label: s.label, definition: s.when.map(describeCondition).join(" and "), ...st, published: s.published ?? null, iv: binaryInformationValue(st, population)};
  });
  return {population, signals: rankSignals(results), liftBase: LIFT_BASE, sql};
}

/** The whole investigation: signals (one query) and each band column (one query each). */
export async function investigateSignals(conn: Connector, config: SignalsConfig, options: RunOptions = {}): Promise<SignalsReport> {
  parseSignalsConfig(config, options.columns);
  const result = await signalStats(conn, config.signals, options);
  const bands: BandColumnResult[] = [];
  for (const band of config.bands) bands.push(await bandStats(conn, band, options));
  return {...result, bands};
}

/** The report as the CLI's JSON: the issue's shape (population, signals, bands), SQL left out. */
export function reportJson(report: SignalsReport): unknown {
  const {leads, labeled, conversions, rate, ci, description} = report.population;
  return {
    population: {leads, labeled, conversions, rate, ci, description},
    liftBase: report.liftBase,
    signals: report.signals,
    bands: report.bands.map((b) => ({column: b.column, label: b.label, edges: b.edges, wholeNumbers: b.wholeNumbers, iv: b.iv, bands: b.bands, missing: b.missing}))
  };
}
