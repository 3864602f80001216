/**
 * The tier page's interactive loop: after every edit, both reports and the migration matrix for
 * the edited rule set against the compared one — the numbers compareRuleSets gives — fast enough
 * for millions of leads.
 *
 * How: once per (population, compared rule set, columns used), ONE SQL query reads the population's
 * leads into typed arrays — the compared rule set's tier (computed by SQL's CASE), the label, and
 * the columns the edited rules test. Each edit then compiles the edited rule set to a JavaScript
 * loop (rules/js-compile.ts) that counts leads per (compared tier, edited tier) pair. Nothing but
 * the edited CASE runs per edit, and it runs without a round trip to the database.
 *
 * When the edited rules test something the loop cannot compare exactly like SQL (a text column,
 * a DECIMAL, NaN in the data), the comparison runs as SQL (compareRuleSets) and says why.
 */
import type {ColumnInfo} from "./columns.js";
import {checkedComparisonSql, compareRuleSets, comparisonFromMatrix, type Comparison, type MigrationCell} from "./compare.js";
import type {Connector} from "./connector.js";
import type {Thresholds} from "./gates.js";
import {labelExpression, LEADS_TABLE, populationWhere, type Population} from "./population.js";
import {compileCheckedTierCase, tierOrder} from "./rules/compile.js";
import {checkValues, columnRead, compileTierKernel, ruleColumns, type ColumnRead} from "./rules/js-compile.js";
import type {RuleSet} from "./rules/types.js";
import {quoteIdentifier, quoteTable} from "./sql.js";
import {queryColumns, type ColumnBatch, type TypedColumn} from "./typed-columns.js";
import {yieldToPage} from "./yield.js";

export interface PreviewComparison extends Comparison {
  /** `javascript`: the loop over typed columns; `sql`: compareRuleSets (see `reason`). */
  engine: "javascript" | "sql";
  /** Why the SQL path was taken. */
  reason?: string;
  /** Milliseconds spent reading the population into typed columns for this call (0 when cached). */
  readMs: number;
}

interface Prepared {
  key: string;
  names: string[];
  batch: ColumnBatch;
  from: TypedColumn;
  label: TypedColumn;
  /** Columns (of `names`) whose values break an exactness promise, with the reason. */
  inexact: Map<string, string>;
}

const FROM = "tier_from";
/** Leads counted between two yields to the event loop (~10–40 ms of work on a laptop). */
const SLICE = 1 << 20;
const LABEL = "label";

/** Keeps the population's typed columns between edits; one per page (and per connector). */
export class TierPreview {
  private prepared: Prepared | null = null;
  private readonly reads: Map<string, ColumnRead>;

  constructor(
    private readonly conn: Connector,
    private readonly schema: readonly ColumnInfo[],
    private readonly table = LEADS_TABLE,
    /** Leads counted between two yields to the event loop. */
    private readonly slice = SLICE
  ) {
    this.reads = new Map(schema.map((c) => [c.name, columnRead(c)]));
  }

  /**
   * Both rule sets over the population, as {@link compareRuleSets} computes them. `current` and
   * `compare` must be valid for this table (parseRuleSet with its columns).
   */
  async compare(current: RuleSet, compare: RuleSet, options: {population?: Population; thresholds?: Partial<Thresholds>} = {}): Promise<PreviewComparison> {
    const population = options.population ?? {};
    const sql = checkedComparisonSql(current, compare, population, this.conn.dialect, this.table);
    const viaSql = async (reason: string): Promise<PreviewComparison> => ({
      ...(await compareRuleSets(this.conn, current, compare, {...options, columns: this.schema, table: this.table})),
      engine: "sql",
      reason,
      readMs: 0
    });
    if (this.conn.dialect !== "duckdb") return viaSql("the preview loop runs only on DuckDB");
    const used = ruleColumns(current);
    for (const name of used) {
      const read = this.reads.get(name);
      if (!read) return viaSql(`${name} is not a column of the data`);
      if (!read.ok) return viaSql(read.reason);
    }
    const before = this.prepared;
    const t0 = performance.now();
    const prepared = await this.prepare(compare, population, used);
    const readMs = prepared === before ? 0 : performance.now() - t0;
    for (const name of used) {
      const why = prepared.inexact.get(name);
      if (why) return {...(await viaSql(why)), readMs};
    }
    const kinds = new Map(prepared.names.map((n) => [n, this.schema.find((c) => c.name === n)!.kind === "boolean" ? ("boolean" as const) : ("number" as const)]));
    const nullable = new Set(prepared.names.filter((n) => prepared.batch.columns.get(n)!.valid !== null));
    const compiled = compileTierKernel(current, prepared.names, kinds, nullable, prepared.label.valid !== null);
    if (!compiled.ok) return {...(await viaSql(compiled.reason)), readMs};
    const fromIds = tierOrder(compare);
    const toIds = tierOrder(current);
    const counts = new Float64Array(fromIds.length * toIds.length * 3);
    const inputs = {rows: prepared.batch.rows, columns: prepared.names.map((n) => prepared.batch.columns.get(n)!), from: prepared.from.values, label: prepared.label};
    // In slices, yielding between them, so a browser tab stays responsive on millions of leads.
    for (let start = 0; start < inputs.rows; start += this.slice) {
      if (start > 0) await yieldToPage();
      compiled.kernel(inputs, counts, start, Math.min(start + this.slice, inputs.rows));
    }
    const matrix: MigrationCell[] = [];
    for (let f = 0; f < fromIds.length; ++f) {
      for (let t = 0; t < toIds.length; ++t) {
        const cell = (f * toIds.length + t) * 3;
        if (counts[cell] > 0) matrix.push({from: fromIds[f], to: toIds[t], leads: counts[cell], labeled: counts[cell + 1], conversions: counts[cell + 2]});
      }
    }
    return {...comparisonFromMatrix(current, compare, matrix, {population, thresholds: options.thresholds, sql}), engine: "javascript", readMs};
  }

  /** Forgets the typed columns (after the data is reloaded). */
  reset(): void {
    this.prepared = null;
  }

  /** The typed columns for this population and compared rule set, holding at least `used`. */
  private async prepare(compare: RuleSet, population: Population, used: readonly string[]): Promise<Prepared> {
    const key = JSON.stringify([population, compare]);
    const have = this.prepared;
    if (have && have.key === key && used.every((n) => have.names.includes(n))) return have;
    // Keep the columns already read (the next edit likely tests them again), add the new ones.
    const names = [...new Set([...(have && have.key === key ? have.names : []), ...used])];
    const selects = [
      `CAST(${compileCheckedTierCase(compare, {dialect: "duckdb", yields: "index"})} AS SMALLINT) AS ${FROM}`,
      `CAST(${labelExpression(population, "duckdb")} AS TINYINT) AS ${LABEL}`,
      ...names.map((n, k) => `${this.readExpression(n)} AS c${k}`)
    ];
    const sql = `SELECT ${selects.join(",\n  ")}\nFROM ${quoteTable(this.table, "duckdb")}\nWHERE ${populationWhere(population, "duckdb")}`;
    const aliases = [FROM, LABEL, ...names.map((_, k) => `c${k}`)];
    const raw = await queryColumns(this.conn, sql, aliases);
    const columns = new Map<string, TypedColumn>();
    const inexact = new Map<string, string>();
    names.forEach((n, k) => {
      const column = raw.columns.get(`c${k}`)!;
      columns.set(n, column);
      const read = this.reads.get(n) as Extract<ColumnRead, {ok: true}>;
      const why = checkValues(n, read, column);
      if (why) inexact.set(n, why);
    });
    this.prepared = {key, names, batch: {rows: raw.rows, columns}, from: raw.columns.get(FROM)!, label: raw.columns.get(LABEL)!, inexact};
    return this.prepared;
  }

  private readExpression(name: string): string {
    const read = this.reads.get(name) as Extract<ColumnRead, {ok: true}>;
    const column = quoteIdentifier(name, "duckdb");
    return read.cast === "none" ? column : `CAST(${column} AS ${read.cast === "double" ? "DOUBLE" : "TINYINT"})`;
  }
}
