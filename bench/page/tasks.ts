/**
 * The benchmark's tasks, shared word for word by both engines: `bench/run.ts` imports this file
 * on native DuckDB, and the bench page (a copy of this file in the site copy's src/) runs it on
 * DuckDB-WASM. Each task calls the same src/lib code a page calls, through a {@link Connector}.
 *
 * Imports are relative to this file (`../../src/lib/…`); when the site copy is built they are
 * rewritten to `./lib/…` (see bench/site.ts). Nothing here may import Node or browser APIs.
 */
import {parsePeriods, runBacktest} from "../../src/lib/backtest/backtest.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {compareRuleSets, comparisonSql, tierDeltas} from "../../src/lib/tiers/compare.js";
import type {Connector} from "../../src/lib/connector.js";
import {tierCountsSql} from "../../src/lib/tiers/report.js";
import {previewEdit} from "../../src/components/previewEdit.js";
import {TierPreview} from "../../src/lib/tiers/preview.js";
import {safeParseRuleSet} from "../../src/lib/rules/parse.js";
import type {Condition, RuleSet} from "../../src/lib/rules/types.js";
import {crossStats, investigateSignals, parseSignalsConfig, type BandDefinition} from "../../src/lib/signals/signals.js";
import {backtestTask} from "./tasks-backtest.js";
import {signalsTask} from "./tasks-signals.js";
import type {PreviewSource} from "../../src/lib/tiers/preview-source.js";
import {columnDistribution} from "../../src/lib/lead-arrays.js";
import {countGrid, planGrid, readLeadColumns, signaturesFromColumns, sweepColumns, sweepSql, type LeadColumns, type Sweep} from "../../src/lib/tiers/sweep.js";
import {evaluateGrid, freedThresholds, tune, tuneAxes, tuneLimits} from "../../src/lib/tiers/tune.js";
import {tierReport} from "../../src/lib/tiers/report.js";
import {resolveThresholds} from "../../src/lib/tiers/gates.js";
import {ruleColumns} from "../../src/lib/rules/js-compile.js";
import type {Population} from "../../src/lib/population.js";

/** The inputs every task reads: the deployed rule set, the periods file and the signals file (parsed JSON). */
export interface BenchInputs {
  rules: unknown;
  periods: unknown;
  signals: unknown;
}

export interface TaskContext {
  conn: Connector;
  inputs: BenchInputs;
  columns: readonly ColumnInfo[];
  /** The leads table (default `leads`). */
  table?: string;
  /** Ids of the codes in the cached compare-tier column (set by cacheCompareTiers). */
  cachedIds?: string[];
  /**
   * A window's leads as typed columns, as the tier page's "Suggest" panel gets them (from the
   * columns file, on the bench page); without it, read from the engine once per window.
   */
  windowColumns?: (population: Population, names: readonly string[]) => Promise<LeadColumns | null>;
  /** The page's columns file, on the bench page (the backtest counts from it; natively its layout is read from the engine). */
  source?: PreviewSource | null;
}

/** One timed run: milliseconds and a digest of the result (to check both engines agree). */
export interface Sample {
  ms: number;
  digest: string;
}

export interface Measured {
  /** Median of the samples after the warm-up. */
  median: number;
  min: number;
  max: number;
  samples: number[];
  /** Digest of the warm-up run (the same edit in both engines). */
  digest: string;
}

/** Tasks of the results table, and extra measurements that explain them. */
export const TASKS = ["edit-loop", "edit-loop-sql", "edit-js", "edit-sql", "edit-parse", "tier-query", "two-tier-queries", "edit-int-codes", "edit-cached-compare", "backtest", "backtest-sql", "backtest-edit", "signals", "signals-bands", "signals-cross", "sweep", "sweep-sql", "tune", "tune-sql", "tune-page"] as const;
export type TaskName = (typeof TASKS)[number];

const now = () => performance.now();

/** The numeric thresholds (`lt`, `lte`, `gt`, `gte`) of a rule set, as [conditions, key] pairs. */
function thresholds(rules: RuleSet): [Record<string, unknown>, string][] {
  const found: [Record<string, unknown>, string][] = [];
  for (const tier of rules.tiers) {
    const lists: Condition[][] = [...(tier.when ? [tier.when] : []), ...(tier.anyOf ?? [])];
    for (const list of lists) {
      for (const c of list as unknown as Record<string, unknown>[]) {
        for (const key of ["lte", "lt", "gte", "gt"]) if (typeof c[key] === "number") found.push([c, key]);
      }
    }
  }
  return found;
}

/**
 * The deployed rule set with one threshold changed, different for every iteration `i` (so no
 * engine can reuse anything): the first numeric threshold moves by i − 4, then 16 − i … in turn.
 */
export function editedRules(base: unknown, i: number): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as RuleSet;
  const found = thresholds(copy);
  if (found.length === 0) throw new Error("the rule set has no numeric threshold to edit");
  const [condition, key] = found[i % found.length];
  condition[key] = (condition[key] as number) + (i % 2 === 0 ? 1 : -1) * (1 + Math.floor(i / found.length));
  return copy;
}

/** A canonical, order-independent text of rows of counts (for comparing engines). */
export function digestRows(rows: readonly Record<string, unknown>[]): string {
  return rows
    .map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]])))
    .sort()
    .join("\n");
}

/** A tiny 32-bit FNV-1a hash, so digests stay short in the results. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; ++i) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

function parsed(json: unknown, columns: readonly ColumnInfo[]): RuleSet {
  const result = safeParseRuleSet(json, columns);
  if (!result.ok) throw new Error(`rule set does not parse: ${result.issues.join("; ")}`);
  return result.ruleSet;
}

/**
 * SQL with integer tier codes instead of the tier ids in its CASEs (an experiment: GROUP BY small
 * integers instead of strings). `ids[code]` is the id a code stands for, to map results back.
 */
export function intCodesSql(sql: string): {sql: string; ids: string[]} {
  const codes = new Map<string, number>();
  const out = sql.replace(/\b(THEN|ELSE) '((?:[^']|'')*)'/g, (_, keyword: string, id: string) => {
    if (!codes.has(id)) codes.set(id, codes.size);
    return `${keyword} ${codes.get(id)}`;
  });
  return {sql: out, ids: [...codes.keys()].map((id) => id.replace(/''/g, "'"))};
}

/** Rows of the joint aggregate with tier codes mapped back to ids. */
function decodeTiers(rows: readonly Record<string, unknown>[], fromIds: readonly string[], toIds: readonly string[]): Record<string, unknown>[] {
  return rows.map((r) => ({...r, tier_from: fromIds[Number(r.tier_from)], tier_to: toIds[Number(r.tier_to)]}));
}

/** The column that holds the compared (deployed) rule set's tier code once {@link cacheCompareTiers} ran. */
export const CACHED_COLUMN = "__bench_tier_compare";

/**
 * Experiment setup: stores the compared rule set's tier of every lead as a UTINYINT column of
 * `leads` (done once per compared rule set, not per edit). Returns the time taken and the ids.
 */
export async function cacheCompareTiers(ctx: TaskContext): Promise<{ms: number; ids: string[]}> {
  const table = ctx.table ?? "leads";
  const rules = parsed(ctx.inputs.rules, ctx.columns);
  const {sql, ids} = intCodesSql(tierCountsSql(rules, {}, ctx.conn.dialect, table, ctx.columns));
  const tierCase = /SELECT (CASE[\s\S]*?END) AS tier,/.exec(sql)![1];
  const t0 = now();
  await ctx.conn.query(`ALTER TABLE "${table}" ADD COLUMN IF NOT EXISTS ${CACHED_COLUMN} UTINYINT`);
  await ctx.conn.query(`UPDATE "${table}" SET ${CACHED_COLUMN} = ${tierCase}`);
  return {ms: now() - t0, ids};
}

export async function dropCachedTiers(ctx: TaskContext): Promise<void> {
  await ctx.conn.query(`ALTER TABLE "${ctx.table ?? "leads"}" DROP COLUMN IF EXISTS ${CACHED_COLUMN}`);
}

/** The edit's joint aggregate reading the compared tiers from {@link CACHED_COLUMN}: one CASE per lead instead of two. */
export function cachedCompareSql(edited: RuleSet, deployed: RuleSet, ctx: TaskContext): {sql: string; ids: string[]} {
  const full = comparisonSql(edited, deployed, {}, ctx.conn.dialect, ctx.table, ctx.columns);
  const withoutFrom = full.replace(/SELECT CASE[\s\S]*?END AS tier_from,/, `SELECT ${CACHED_COLUMN} AS tier_from,`);
  return intCodesSql(withoutFrom);
}

/** The tier page's preview per connector and table (it keeps the population's typed columns between edits). */
const previews = new WeakMap<Connector, Map<string, TierPreview>>();
function previewFor(ctx: TaskContext, table: string): TierPreview {
  const byTable = previews.get(ctx.conn) ?? new Map<string, TierPreview>();
  previews.set(ctx.conn, byTable);
  let preview = byTable.get(table);
  if (!preview) byTable.set(table, (preview = new TierPreview(ctx.conn, ctx.columns, table)));
  return preview;
}

/** The thresholds of the deployed rule set's Tier 1 a sweep task cycles through (a new one each run). */
const SWEPT: {condition: string; bound: "low" | "high" | null}[] = [
  {condition: "2.2", bound: null},
  {condition: "1.1", bound: "low"},
  {condition: "1.4", bound: null},
  {condition: "3.1", bound: "high"},
  {condition: "1.2", bound: "high"},
  {condition: "3.3", bound: null}
];

/** The population's typed columns per connector, table and population (read once, as the tier page keeps them). */
const leadColumns = new WeakMap<Connector, Map<string, LeadColumns>>();
async function columnsFor(ctx: TaskContext, table: string, rules: RuleSet, population: Population): Promise<LeadColumns> {
  const byKey = leadColumns.get(ctx.conn) ?? new Map<string, LeadColumns>();
  leadColumns.set(ctx.conn, byKey);
  const key = JSON.stringify([table, population]);
  let leads = byKey.get(key);
  if (!leads) {
    const read = await readLeadColumns(ctx.conn, ctx.columns, population, ruleColumns(rules), table);
    if ("reason" in read) throw new Error(`the sweep cannot read the leads: ${read.reason}`);
    byKey.set(key, (leads = read));
  }
  return leads;
}

const sweepDigest = (s: Sweep) => hash(s.points.map((p) => `${p.value}:${p.leads}:${p.conversions}`).join(","));

/** One run of a task; `i` picks the edit (0 is the warm-up). */
export async function runOnce(task: TaskName, ctx: TaskContext, i: number): Promise<Sample> {
  const {conn, inputs, columns} = ctx;
  const table = ctx.table ?? "leads";
  switch (task) {
    case "edit-loop": {
      // What the tier page recomputes after one edit: validate the edited rules (a cell of its
      // own), then previewEdit — TierPreview: both reports, the migration matrix and the gates,
      // counted by the JavaScript loop over the population's typed columns (read by SQL in the
      // warm-up run) — and the deltas. No debounce (the page waits 150 ms only above 1M leads).
      const preview = previewFor(ctx, table);
      const edited = editedRules(inputs.rules, i);
      const t0 = now();
      const result = safeParseRuleSet(edited, columns);
      if (!result.ok) throw new Error(`edited rule set does not parse: ${result.issues.join("; ")}`);
      const outcome = await previewEdit({preview, edited: result.ruleSet, compare: inputs.rules, population: {}, columns, rows: 0, invalidation: new Promise(() => {})});
      if (!outcome?.comparison) throw outcome?.error ?? new Error("the preview was superseded");
      if (outcome.comparison.countedBy !== "loop") throw new Error(`the preview fell back to SQL: ${outcome.comparison.reason}`);
      const deltas = tierDeltas(outcome.comparison);
      const ms = now() - t0;
      return {ms, digest: hash(digestRows(outcome.comparison.matrix as unknown as Record<string, unknown>[]) + deltas.length)};
    }
    case "edit-loop-sql": {
      // The edit loop before the preview: the same, with both rule sets counted by one SQL scan
      // (compareRuleSets) on every edit.
      const edited = editedRules(inputs.rules, i);
      const t0 = now();
      const result = safeParseRuleSet(edited, columns);
      if (!result.ok) throw new Error(`edited rule set does not parse: ${result.issues.join("; ")}`);
      const comparison = await compareRuleSets(conn, result.ruleSet, inputs.rules as RuleSet, {columns, table});
      const deltas = tierDeltas(comparison);
      const ms = now() - t0;
      return {ms, digest: hash(digestRows(comparison.matrix as unknown as Record<string, unknown>[]) + deltas.length)};
    }
    case "edit-js": {
      // The edit loop's JavaScript alone: the same calls, on a connector that answers the joint
      // query instantly with rows fetched beforehand (validation, SQL compilation, reports, deltas).
      const edited = editedRules(inputs.rules, i);
      const sql = comparisonSql(parsed(edited, columns), parsed(inputs.rules, columns), {}, conn.dialect, table, columns);
      const rows = await conn.query(sql);
      const instant: Connector = {dialect: conn.dialect, query: async () => rows};
      const t0 = now();
      const result = safeParseRuleSet(edited, columns);
      if (!result.ok) throw new Error(`edited rule set does not parse: ${result.issues.join("; ")}`);
      const comparison = await compareRuleSets(instant, result.ruleSet, inputs.rules as RuleSet, {columns, table});
      const deltas = tierDeltas(comparison);
      const ms = now() - t0;
      return {ms, digest: hash(digestRows(comparison.matrix as unknown as Record<string, unknown>[]) + deltas.length)};
    }
    case "edit-sql": {
      // Only the one scan of the edit loop (the joint aggregate), SQL text built beforehand.
      const sql = comparisonSql(parsed(editedRules(inputs.rules, i), columns), parsed(inputs.rules, columns), {}, conn.dialect, table, columns);
      const t0 = now();
      const rows = await conn.query(sql);
      return {ms: now() - t0, digest: hash(digestRows(rows))};
    }
    case "edit-parse": {
      // Only the validation of the edited rule set (zod), no query.
      const edited = editedRules(inputs.rules, i);
      const t0 = now();
      const result = safeParseRuleSet(edited, columns);
      const ms = now() - t0;
      return {ms, digest: String(result.ok)};
    }
    case "tier-query": {
      // The baseline: one raw tier CASE … GROUP BY query for one rule set.
      const sql = tierCountsSql(parsed(editedRules(inputs.rules, i), columns), {}, conn.dialect, table, columns);
      const t0 = now();
      const rows = await conn.query(sql);
      return {ms: now() - t0, digest: hash(digestRows(rows))};
    }
    case "two-tier-queries": {
      // The alternative to one joint scan: one tier query per rule set (and still no matrix).
      const a = tierCountsSql(parsed(editedRules(inputs.rules, i), columns), {}, conn.dialect, table, columns);
      const b = tierCountsSql(parsed(inputs.rules, columns), {}, conn.dialect, table, columns);
      const t0 = now();
      const rows = [...(await conn.query(a)), ...(await conn.query(b))];
      return {ms: now() - t0, digest: hash(digestRows(rows))};
    }
    case "edit-int-codes": {
      // The joint scan with integer tier codes in the CASE instead of tier-id strings.
      const {sql, ids} = intCodesSql(comparisonSql(parsed(editedRules(inputs.rules, i), columns), parsed(inputs.rules, columns), {}, conn.dialect, table, columns));
      const t0 = now();
      const rows = await conn.query(sql);
      return {ms: now() - t0, digest: hash(digestRows(decodeTiers(rows, ids, ids)))};
    }
    case "edit-cached-compare": {
      // The joint scan with the compared rule set's tiers read from a stored column (see
      // cacheCompareTiers, which must have run) and integer codes for the edited rule set's.
      const compareIds = ctx.cachedIds;
      if (!compareIds) throw new Error("edit-cached-compare needs cacheCompareTiers first");
      const {sql, ids} = cachedCompareSql(parsed(editedRules(inputs.rules, i), columns), parsed(inputs.rules, columns), ctx);
      const t0 = now();
      const rows = await conn.query(sql);
      return {ms: now() - t0, digest: hash(digestRows(decodeTiers(rows, compareIds, ids)))};
    }
    case "backtest":
    case "backtest-edit":
      return backtestTask(task, ctx, i);
    case "signals-bands":
    case "signals-cross":
      return signalsTask(task, ctx, i);
    case "backtest-sql": {
      // runBacktest: all periods of data/periods.json, one scan (tierlab backtest; the page's path before the columns file).
      const t0 = now();
      const periods = parsePeriods(inputs.periods);
      const bt = await runBacktest(conn, inputs.rules as RuleSet, periods, {columns, table});
      const ms = now() - t0;
      return {ms, digest: hash(JSON.stringify(bt.results.map((r) => [r.train.tiers.map((t) => [t.leads, t.conversions]), r.test.tiers.map((t) => [t.leads, t.conversions])])))};
    }
    case "sweep": {
      // The tier page's sweep of one threshold: the loop over the population's typed columns (read
      // in the warm-up), every observed value or 100 quantiles; a different threshold each run.
      const rules = parsed(inputs.rules, columns);
      const leads = await columnsFor(ctx, table, rules, {});
      const t0 = now();
      const s = await sweepColumns(leads, rules, {tier: rules.tiers[0].id, ...SWEPT[i % SWEPT.length]});
      const ms = now() - t0;
      if ("reason" in s) throw new Error(`the sweep fell back to SQL: ${s.reason}`);
      return {ms, digest: sweepDigest(s)};
    }
    case "sweep-sql": {
      // The same sweep by its one aggregate query (what tierlab sweep and BigQuery run).
      const rules = parsed(inputs.rules, columns);
      const t0 = now();
      const s = await sweepSql(conn, rules, {tier: rules.tiers[0].id, ...SWEPT[i % SWEPT.length]}, {columns, table});
      return {ms: now() - t0, digest: sweepDigest(s)};
    }
    case "tune": {
      // The tier page's suggestion for Tier 1: two thresholds (1.4, 2.2) × 50 values each, counted
      // by the loop over the TRAIN population's typed columns (read in the warm-up) and ranked on
      // them; the holdout and backtests of the shown candidates are report-sized queries (tune-sql).
      const rules = parsed(inputs.rules, columns);
      const fit: Population = {split: "TRAIN"};
      const leads = await columnsFor(ctx, table, rules, fit);
      const current = await tierReport(conn, rules, {population: fit, columns, table});
      const t0 = now();
      const freed = freedThresholds(rules, {tier: rules.tiers[0].id, free: ["1.4", "2.2"]}, columns);
      const plan = planGrid(rules, freed);
      const signatures = await signaturesFromColumns(plan, leads);
      if ("reason" in signatures) throw new Error(`the tuner fell back to SQL: ${signatures.reason}`);
      const axes = tuneAxes(freed, freed.map((f) => columnDistribution(leads.columns.get(f.column)!, leads.rows)), 50);
      const grid = await countGrid(plan, signatures, axes);
      const evaluation = await evaluateGrid(grid, tuneLimits({tier: rules.tiers[0].id, free: []}, current, resolveThresholds()), 5);
      const ms = now() - t0;
      return {ms, digest: hash(`${evaluation.evaluated}:${evaluation.best.map((cell) => grid.valuesOf(cell).join("/")).join(",")}`)};
    }
    case "tune-sql": {
      // tierlab tune for Tier 1 (1.4, 2.2 × 50): fit and holdout by one aggregate query each, the
      // shown candidates' and the current rules' backtests over data/periods.json.
      const rules = parsed(inputs.rules, columns);
      const t0 = now();
      const result = await tune(conn, rules, {tier: rules.tiers[0].id, free: ["1.4", "2.2"]}, {fit: {split: "TRAIN"}, holdout: {split: "TEST"}, periods: parsePeriods(inputs.periods), columns, table});
      const ms = now() - t0;
      return {ms, digest: hash(`${result.evaluated}:${result.candidates.map((c) => Object.values(c.values).join("/")).join(",")}`)};
    }
    case "tune-page": {
      // The tier page's "Suggest" for Tier 1 (1.4, 2.2 × 50), all of it: tune() with the fit and
      // holdout counted by the loop over the windows' typed columns (the columns file on the bench
      // page, as the panel does; read from the engine once per window natively), the current rules'
      // reports and the shown candidates' backtests by SQL.
      const rules = parsed(inputs.rules, columns);
      const names = ruleColumns(rules);
      const leadColumns = ctx.windowColumns ? (p: Population) => ctx.windowColumns!(p, names) : (p: Population) => columnsFor(ctx, table, rules, p);
      const t0 = now();
      const result = await tune(conn, rules, {tier: rules.tiers[0].id, free: ["1.4", "2.2"]}, {fit: {split: "TRAIN"}, holdout: {split: "TEST"}, periods: parsePeriods(inputs.periods), columns, table, slice: 1 << 15, leadColumns});
      const ms = now() - t0;
      return {ms, digest: hash(`${result.evaluated}:${result.candidates.map((c) => Object.values(c.values).join("/")).join(",")}`)};
    }
    case "signals": {
      // The signals page: every signal (one query), every band column (one query each) and the
      // default cross of two bands (one query) — investigateSignals plus crossStats.
      const t0 = now();
      const config = parseSignalsConfig(inputs.signals, columns);
      const report = await investigateSignals(conn, config, {columns, table});
      const [ca, cb] = config.cross ?? [config.bands[0].column, config.bands[1].column];
      const band = (c: string) => config.bands.find((b) => b.column === c) as BandDefinition;
      const cross = await crossStats(conn, band(ca), band(cb), {columns, table});
      const ms = now() - t0;
      const counts = [report.population.leads, ...report.signals.map((s) => s.conversions), ...report.bands.flatMap((b) => b.bands.map((x) => x.leads)), ...cross.cells.map((c) => c.leads)];
      return {ms, digest: hash(counts.join(","))};
    }
  }
}

/** A warm-up run (i = 0), then `repeats` timed runs; the median of the timed runs. */
export async function measure(run: (i: number) => Promise<Sample>, repeats: number): Promise<Measured> {
  const warm = await run(0);
  const samples: number[] = [];
  for (let i = 1; i <= repeats; ++i) samples.push((await run(i)).ms);
  return {median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples, digest: warm.digest};
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs one task with a warm-up and `repeats` timed runs. */
export function measureTask(task: TaskName, ctx: TaskContext, repeats: number): Promise<Measured> {
  return measure((i) => runOnce(task, ctx, i), repeats);
}

/**
 * SQL that makes a copy of `leads` with every integer column widened to BIGINT and every other
 * number to DOUBLE — what a BigQuery export (INT64, FLOAT64) gives when nothing narrows it.
 */
export function wideTableSql(columns: readonly ColumnInfo[], from = "leads", to = "leads_wide"): string {
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const list = columns.map((c) => {
    if (c.kind !== "number") return q(c.name);
    return /INT/i.test(c.type) ? `CAST(${q(c.name)} AS BIGINT) AS ${q(c.name)}` : `CAST(${q(c.name)} AS DOUBLE) AS ${q(c.name)}`;
  });
  return `CREATE OR REPLACE TABLE ${q(to)} AS SELECT ${list.join(", ")} FROM ${q(from)}`;
}

