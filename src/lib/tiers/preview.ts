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
 *
 * With a `source` (the tier page's columns file, preview-source.ts), the typed columns come from it
 * instead, without a query: a population, its labels and the compared tiers are selected in
 * JavaScript exactly as the SQL selects them, so the first numbers need not wait for the engine.
 * A rule on a column the file does not hold, or a population it cannot select, is read as above.
 *
 * With `scanFirst` (the tier page), a comparison whose population is not read yet (and not in the
 * columns file) is answered by that one SQL scan, which is quicker than the read, and
 * the read starts right after it: the numbers come sooner, and the edits after them are counted by
 * the loop.
 */
import type {ColumnInfo} from "../column-info.js";
import {checkedComparisonSql, compareRuleSets, comparisonFromMatrix, type Comparison, type MigrationCell} from "./compare.js";
import type {Connector} from "../connector.js";
import type {Thresholds} from "./gates.js";
import {LEADS_TABLE, type Population} from "../population.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {compileCheckedTierCase, tierOrder} from "../rules/compile.js";
import {checkValues, columnRead, compileTierKernel, LOOP_SLICE, loopKinds, ruleColumns, type ColumnRead} from "../rules/js-compile.js";
import type {RuleSet} from "../rules/types.js";
import {quoteIdentifier} from "../sql.js";
import {queryColumns, type ColumnBatch, type TypedColumn} from "../lead-arrays.js";
import {sourceRows, type PreviewSource} from "./preview-source.js";
import {yieldToPage} from "../yield.js";

export interface PreviewComparison extends Comparison {
  /** `loop`: the compiled JavaScript loop over typed columns; `sql`: compareRuleSets (see `reason`). */
  countedBy: "loop" | "sql";
  /** Why the SQL path was taken. */
  reason?: string;
  /** Milliseconds spent reading the population into typed columns for this call (0 when cached). */
  readMs: number;
  /** Where the loop's typed columns came from (loop only): the columns file or the engine. */
  columnsFrom?: "file" | "engine";
}

interface Prepared {
  key: string;
  names: string[];
  batch: ColumnBatch;
  from: TypedColumn;
  label: TypedColumn;
  /** Columns (of `names`) whose values break an exactness promise, with the reason. */
  inexact: Map<string, string>;
  /** Where the typed columns came from: the page's columns file or a query on the engine. */
  origin: "file" | "engine";
}

/** A read of the population in progress (or done): what it holds once it resolves. */
interface Reading {
  key: string;
  names: string[];
  done: Promise<Prepared>;
  /** Whether `done` has resolved. */
  settled: boolean;
}

export interface PreviewOptions {
  /** Leads counted between two yields to the event loop. */
  slice?: number;
  /**
   * Answer a comparison whose population is not read yet by one SQL scan, and read the population
   * after it, for the next comparisons (see the module's comment). Off by default.
   */
  scanFirst?: boolean;
  /**
   * The page's columns file (src/lib/tiers/preview-source.ts): populations it can select are counted
   * from it, without a query (the engine is then needed only for what the file does not hold).
   */
  source?: PreviewSource | null;
}

/** Why a scan-first comparison came from SQL (shown on the tier page). */
export const SCAN_FIRST_REASON = "it is the first result for this population; the leads are being read into the browser for the next edits";

const FROM = "tier_from";
const LABEL = "label";

/** Keeps the population's typed columns between edits; one per page (and per connector). */
export class TierPreview {
  /** The latest read of the population (the next comparison with the same key reuses it). */
  private reading: Reading | null = null;
  private readonly reads: Map<string, ColumnRead>;
  private readonly slice: number;
  private readonly scanFirst: boolean;
  private readonly source: PreviewSource | null;

  constructor(
    private readonly conn: Connector,
    private readonly schema: readonly ColumnInfo[],
    private readonly table = LEADS_TABLE,
    options: PreviewOptions = {}
  ) {
    this.reads = new Map(schema.map((c) => [c.name, columnRead(c)]));
    this.slice = options.slice ?? LOOP_SLICE;
    this.scanFirst = options.scanFirst ?? false;
    this.source = options.source ?? null;
  }

  /**
   * Both rule sets over the population, as {@link compareRuleSets} computes them. `current` and
   * `compare` must be valid for this table (parseRuleSet with its columns).
   */
  async compare(current: RuleSet, compare: RuleSet, options: {population?: Population; thresholds?: Partial<Thresholds>} = {}): Promise<PreviewComparison> {
    const population = options.population ?? {};
    const sql = checkedComparisonSql(current, compare, population, this.conn.dialect, this.table);
    const viaSql = async (reason: string): Promise<PreviewComparison> => ({
      ...(await compareRuleSets(this.conn, current, compare, {...options, columns: this.schema, table: this.table, codes: true})),
      countedBy: "sql",
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
    const key = JSON.stringify([population, compare]);
    const t0 = performance.now();
    const waited = !this.holds(key, used) || !this.reading!.settled;
    if (!this.holds(key, used) && this.source) await this.readFile(this.source, key, compare, population, used);
    if (this.scanFirst && !this.holds(key, used)) {
      const first = await viaSql(SCAN_FIRST_REASON);
      // Started after the scan (the engine answers queries in order), not awaited; a failed read
      // is forgotten, so the next comparison reads again (and reports the error, if it lasts).
      this.read(key, compare, population, used).catch(() => {});
      return first;
    }
    const prepared = await this.read(key, compare, population, used);
    const readMs = waited ? performance.now() - t0 : 0;
    for (const name of used) {
      const why = prepared.inexact.get(name);
      if (why) return {...(await viaSql(why)), readMs};
    }
    const kinds = loopKinds(this.schema, prepared.names);
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
    return {...comparisonFromMatrix(current, compare, matrix, {population, thresholds: options.thresholds, sql}), countedBy: "loop", readMs, columnsFrom: prepared.origin};
  }

  /** Forgets the typed columns (after the data is reloaded). */
  reset(): void {
    this.reading = null;
  }

  /** Whether the latest read (done or in progress) is of this population and holds `used`. */
  private holds(key: string, used: readonly string[]): boolean {
    return this.reading !== null && this.reading.key === key && used.every((n) => this.reading!.names.includes(n));
  }

  /** The typed columns for this population and compared rule set, holding at least `used`: the latest read if it does, else a new one. */
  private read(key: string, compare: RuleSet, population: Population, used: readonly string[]): Promise<Prepared> {
    if (this.holds(key, used)) return this.reading!.done;
    const names = this.namesFor(key, used);
    const reading: Reading = {key, names, done: this.prepare(key, compare, population, names), settled: false};
    this.reading = reading;
    reading.done.then(
      () => (reading.settled = true),
      () => {
        if (this.reading === reading) this.reading = null;
      }
    );
    return reading.done;
  }

  /** The columns a new read takes: those already read for this key (the next edit likely tests them again) and `used`. */
  private namesFor(key: string, used: readonly string[]): string[] {
    return [...new Set([...(this.reading?.key === key ? this.reading.names : []), ...used])];
  }

  /**
   * Takes the population from the columns file when it can give exactly what the SQL would (the
   * latest reading then holds it); leaves things as they are when it cannot.
   */
  private async readFile(source: PreviewSource, key: string, compare: RuleSet, population: Population, used: readonly string[]): Promise<void> {
    const names = this.namesFor(key, used);
    const rows = await sourceRows(source, compare, population, names);
    if ("reason" in rows) return;
    const columns = new Map(names.map((n) => [n, rows.columns.get(n)!]));
    const prepared: Prepared = {key, names, batch: {rows: rows.rows, columns}, from: rows.from, label: rows.label, inexact: this.inexact(columns), origin: "file"};
    this.reading = {key, names, done: Promise.resolve(prepared), settled: true};
  }

  /** The columns whose values break what columnRead promised, with the reason. */
  private inexact(columns: ReadonlyMap<string, TypedColumn>): Map<string, string> {
    const inexact = new Map<string, string>();
    for (const [name, column] of columns) {
      const why = checkValues(name, this.reads.get(name) as Extract<ColumnRead, {ok: true}>, column);
      if (why) inexact.set(name, why);
    }
    return inexact;
  }

  /** Reads the population's typed columns: the compared rule set's tier, the label and `names`. */
  private async prepare(key: string, compare: RuleSet, population: Population, names: string[]): Promise<Prepared> {
    const sql = scoredLeadsSql({
      tiers: [[`CAST(${compileCheckedTierCase(compare, {dialect: "duckdb", yields: "index"})} AS SMALLINT)`, FROM]],
      where: population,
      labelCast: "TINYINT",
      extra: names.map((n, k) => [this.readExpression(n), `c${k}`] as const),
      table: this.table
    });
    const aliases = [FROM, LABEL, ...names.map((_, k) => `c${k}`)];
    const raw = await queryColumns(this.conn, sql, aliases);
    const columns = new Map(names.map((n, k) => [n, raw.columns.get(`c${k}`)!]));
    return {key, names, batch: {rows: raw.rows, columns}, from: raw.columns.get(FROM)!, label: raw.columns.get(LABEL)!, inexact: this.inexact(columns), origin: "engine"};
  }

  private readExpression(name: string): string {
    const read = this.reads.get(name) as Extract<ColumnRead, {ok: true}>;
    const column = quoteIdentifier(name, "duckdb");
    return read.cast === "none" ? column : `CAST(${column} AS ${read.cast === "double" ? "DOUBLE" : "TINYINT"})`;
  }
}
