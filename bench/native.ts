/**
 * The native side of the benchmark: `@duckdb/node-api` through the CLI's NodeConnector, with one
 * thread (the headline's denominator) and with DuckDB's default thread count.
 */
import {literal} from "../src/lib/sql.js";
import {describeColumns} from "../src/lib/data-contract.js";
import {NodeConnector} from "../loaders/node-duckdb.js";
import type {Dataset} from "./data.js";
import {cacheCompareTiers, dropCachedTiers, measure, measureTask, wideTableSql, type BenchInputs, type Measured, type TaskName} from "./page/tasks.js";

export interface NativeRun {
  threads: number;
  load: Measured;
  tasks: Partial<Record<TaskName, Measured>>;
  /** Loading the DuckDB database file instead: ATTACH + CREATE TABLE AS (experiment). */
  loadDuckdbFile?: Measured;
  /** The edit loop on `leads_wide` (BIGINT/DOUBLE columns). */
  wide?: Measured;
  /** The joint scan with the compared rule set's tiers stored in a column (setup once, then per edit). */
  cachedCompare?: {setupMs: number; scan: Measured};
  version: string;
}

const TASK_ORDER: TaskName[] = ["edit-loop", "edit-loop-sql", "edit-js", "edit-sql", "edit-parse", "tier-query", "two-tier-queries", "edit-int-codes", "backtest", "backtest-sql", "backtest-edit", "signals", "signals-bands", "signals-cross", "sweep", "sweep-sql", "tune", "tune-sql", "tune-page"];

export async function runNative(
  data: Dataset,
  threads: number | undefined,
  inputs: BenchInputs,
  options: {repeats: number; experiments: boolean; duckdbFile?: string; log: (m: string) => void}
): Promise<NativeRun> {
  const conn = await NodeConnector.open(threads ? {threads} : {});
  try {
    const [{t}] = await conn.query("SELECT current_setting('threads') AS t");
    const [{v}] = await conn.query("SELECT version() AS v");
    const label = `native ${t} thread${Number(t) === 1 ? "" : "s"} ${data.rows}`;
    // load: the Parquet file into an in-memory table, as the CLI does (without its validation).
    const load = await measure(async () => {
      const t0 = performance.now();
      await conn.run(`CREATE OR REPLACE TABLE leads AS SELECT * FROM read_parquet(${literal(data.parquet)})`);
      return {ms: performance.now() - t0, digest: ""};
    }, options.repeats);
    options.log(`  ${label}: load ${load.median.toFixed(1)} ms`);
    const columns = await describeColumns(conn, "leads");
    const ctx = {conn, inputs, columns};
    const tasks: Partial<Record<TaskName, Measured>> = {};
    for (const task of TASK_ORDER) {
      tasks[task] = await measureTask(task, ctx, options.repeats);
      options.log(`  ${label}: ${task} ${tasks[task]!.median.toFixed(1)} ms`);
    }
    const run: NativeRun = {threads: Number(t), load, tasks, version: String(v)};
    if (options.experiments) {
      await conn.run(wideTableSql(columns));
      run.wide = await measureTask("edit-loop", {...ctx, table: "leads_wide", columns: await describeColumns(conn, "leads_wide")}, options.repeats);
      options.log(`  ${label}: edit-loop on BIGINT/DOUBLE columns ${run.wide.median.toFixed(1)} ms`);
      await conn.run("DROP TABLE leads_wide");
      const {ms, ids} = await cacheCompareTiers(ctx);
      run.cachedCompare = {setupMs: ms, scan: await measureTask("edit-cached-compare", {...ctx, cachedIds: ids}, options.repeats)};
      await dropCachedTiers(ctx);
      options.log(`  ${label}: joint scan with the compared tiers cached ${run.cachedCompare.scan.median.toFixed(1)} ms (caching them ${ms.toFixed(0)} ms)`);
      if (options.duckdbFile) {
        const file = options.duckdbFile;
        run.loadDuckdbFile = await measure(async () => {
          const t0 = performance.now();
          await conn.run(`ATTACH ${literal(file)} AS src (READ_ONLY)`);
          await conn.run(`CREATE OR REPLACE TABLE leads_copy AS SELECT * FROM src.leads`);
          const ms = performance.now() - t0;
          await conn.run("DETACH src");
          return {ms, digest: ""};
        }, options.repeats);
        await conn.run("DROP TABLE IF EXISTS leads_copy");
        options.log(`  ${label}: load from the DuckDB file ${run.loadDuckdbFile.median.toFixed(1)} ms`);
      }
    }
    return run;
  } finally {
    conn.close();
  }
}
