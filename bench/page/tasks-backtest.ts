/**
 * The backtest page's tasks, for both engines (like tasks.ts, whose context and samples they use):
 *
 * - `backtest`: the deployed rule set over data/periods.json's four periods × two windows, as the
 *   backtest page counts it from the leads' typed columns (src/lib/backtest/backtest-columns.ts):
 *   one pass over the leads per run (a new counter each time), no kept counts;
 * - `backtest-edit`: one period's date changed (a different one each run), and everything the page
 *   recomputes then: the periods checked, the rule set's backtest with the bands' CSI and the
 *   compared rule set's, from the per-day counts kept since the warm-up.
 *
 * The typed columns are the page's columns file when the context has it (`source`, on the bench
 * page); without it they are read from the engine once per connector (the columns file's layout,
 * by one query), as the tier page holds them. Imports are relative to this file (see tasks.ts).
 */
import {parsePeriods, type Period} from "../../src/lib/backtest/backtest.js";
import {BacktestCounter, countBacktest, type CountedBacktest} from "../../src/lib/backtest/backtest-columns.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import type {Connector} from "../../src/lib/connector.js";
import {queryColumns} from "../../src/lib/lead-arrays.js";
import {columnRead} from "../../src/lib/rules/js-compile.js";
import {safeParseRuleSet} from "../../src/lib/rules/parse.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {parseSignalsConfig, type BandDefinition} from "../../src/lib/signals/signals.js";
import {literal, quoteIdentifier, quoteTable} from "../../src/lib/sql.js";
import {COLUMNS_FILE, previewFeatures, type PreviewSource} from "../../src/lib/tiers/preview-source.js";
import {editedRules, hash, type Sample, type TaskContext} from "./tasks.js";

/** The context these tasks read: tasks.ts's, and the page's columns file when there is one. */
export type BacktestContext = TaskContext & {source?: PreviewSource | null};

const now = () => performance.now();

/** The leads' typed columns as the columns file holds them, read from the engine by one query. */
export async function engineSource(conn: Connector, schema: readonly ColumnInfo[], table = "leads"): Promise<PreviewSource> {
  const relation = quoteTable(table, conn.dialect);
  const features = previewFeatures(schema);
  const split = quoteIdentifier(COLUMNS_FILE.split, conn.dialect);
  const hasSplit = schema.some((c) => c.name === COLUMNS_FILE.split && c.kind === "string");
  const splits = hasSplit ? (await conn.query(`SELECT DISTINCT ${split} AS v FROM ${relation} WHERE ${split} IS NOT NULL ORDER BY v`)).map((r) => String(r.v)) : [];
  const cast = (c: ColumnInfo) => {
    const read = columnRead(c);
    return read.ok && read.cast === "tinyint" ? `CAST(${quoteIdentifier(c.name)} AS TINYINT)` : quoteIdentifier(c.name);
  };
  const selects = [
    `CAST(date_diff('day', DATE '1970-01-01', ${quoteIdentifier(COLUMNS_FILE.date)}) AS INTEGER) AS d`,
    `CAST(${quoteIdentifier(COLUMNS_FILE.target)} AS TINYINT) AS t`,
    ...(hasSplit ? [`CAST(${splits.length ? `CASE ${split} ${splits.map((v, k) => `WHEN ${literal(v)} THEN ${k}`).join(" ")} END` : "NULL"} AS TINYINT) AS s`] : []),
    ...features.map((c, k) => `${cast(c)} AS f${k}`)
  ];
  const batch = await queryColumns(conn, `SELECT ${selects.join(", ")} FROM ${relation}`, ["d", "t", ...(hasSplit ? ["s"] : []), ...features.map((_, k) => `f${k}`)]);
  return {
    rows: batch.rows,
    schema: [...schema],
    provenance: null,
    days: batch.columns.get("d")!.values,
    split: hasSplit ? {codes: batch.columns.get("s")!, values: splits} : null,
    target: batch.columns.get("t")!,
    features: new Map(features.map((c, k) => [c.name, batch.columns.get(`f${k}`)!]))
  };
}

/** The typed columns per connector and table, and the page's counter (kept between edits). */
const held = new WeakMap<Connector, Map<string, {source: PreviewSource; counter: BacktestCounter}>>();
async function holder(ctx: BacktestContext): Promise<{source: PreviewSource; counter: BacktestCounter}> {
  const table = ctx.table ?? "leads";
  const byTable = held.get(ctx.conn) ?? new Map<string, {source: PreviewSource; counter: BacktestCounter}>();
  held.set(ctx.conn, byTable);
  let h = byTable.get(table);
  if (!h) {
    const source = ctx.source && !ctx.table ? ctx.source : await engineSource(ctx.conn, ctx.columns, table);
    byTable.set(table, (h = {source, counter: new BacktestCounter(source)}));
  }
  return h;
}

function parsed(json: unknown, columns: readonly ColumnInfo[]): RuleSet {
  const result = safeParseRuleSet(json, columns);
  if (!result.ok) throw new Error(`rule set does not parse: ${result.issues.join("; ")}`);
  return result.ruleSet;
}

/** What the page's cells hold while periods change, per inputs. */
type PageInputs = {backtested: RuleSet; compared: RuleSet; bands: BandDefinition[]};
const pages = new WeakMap<object, WeakMap<object, PageInputs>>();
function pageInputs(ctx: BacktestContext): PageInputs {
  const bySchema = pages.get(ctx.inputs) ?? new WeakMap<object, PageInputs>();
  pages.set(ctx.inputs, bySchema);
  let held = bySchema.get(ctx.columns);
  if (!held) {
    held = {backtested: parsed(ctx.inputs.rules, ctx.columns), compared: parsed(editedRules(ctx.inputs.rules, 1), ctx.columns), bands: parseSignalsConfig(ctx.inputs.signals, ctx.columns).bands};
    bySchema.set(ctx.columns, held);
  }
  return held;
}

/** Period `i mod n` with its test window ending 3–21 days later (run 0: the periods as given). */
function editedPeriods(periods: readonly Period[], i: number): unknown {
  if (i === 0) return periods;
  const k = i % periods.length;
  const end = new Date(Date.parse(periods[k].test[1] + "T00:00:00Z") + ((i % 7) + 1) * 3 * 86_400_000).toISOString().slice(0, 10);
  return periods.map((p, j) => (j === k ? {...p, test: [p.test[0], end]} : p));
}

/** The counts (and stability indices) of backtests, for both engines to agree on. */
function digest(backtests: readonly CountedBacktest[]): string {
  const counts = backtests.map((bt) => [
    bt.countedBy,
    bt.results.map((r) => [r.train, r.test].map((w) => w.tiers.map((t) => [t.leads, t.labeled, t.conversions]))),
    bt.results.map((r) => [r.psi, ...Object.values(r.csi)].map((v) => (v === null ? null : v.toFixed(9))))
  ]);
  return hash(JSON.stringify(counts));
}

export async function backtestTask(name: "backtest" | "backtest-edit", ctx: BacktestContext, i: number): Promise<Sample> {
  const {source, counter} = await holder(ctx);
  const engine = async () => ctx.conn;
  const options = {columns: ctx.columns, table: ctx.table};
  if (name === "backtest") {
    const rules = parsed(ctx.inputs.rules, ctx.columns);
    const periods = parsePeriods(ctx.inputs.periods);
    const t0 = now();
    const bt = await countBacktest(new BacktestCounter(source), engine, rules, periods, options);
    const ms = now() - t0;
    if (bt.countedBy !== "file") throw new Error(`the backtest fell back to SQL: ${bt.reason}`);
    return {ms, digest: digest([bt])};
  }
  // The page's rule sets and bands, the same objects in every run, as the page's cells hold them:
  // the deployed rule set and, compared, the same with a threshold moved.
  const {backtested, compared, bands} = pageInputs(ctx);
  const typed = editedPeriods(parsePeriods(ctx.inputs.periods), i);
  const t0 = now();
  const periods = parsePeriods(typed);
  const bt = await countBacktest(counter, engine, backtested, periods, {...options, bands});
  const other = await countBacktest(counter, engine, compared, periods, options);
  const ms = now() - t0;
  if (bt.countedBy !== "file" || other.countedBy !== "file") throw new Error(`the backtest fell back to SQL: ${bt.reason ?? other.reason}`);
  return {ms, digest: digest([bt, other])};
}
