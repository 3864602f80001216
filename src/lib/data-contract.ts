/**
 * The data contract: which columns a leads table must have, what
 * types they may be, and the checks every source goes through. Pure SQL over a Connector, so the
 * Node loader, the CLI and the browser validate the same way.
 */
import {columnKind, type ColumnInfo, type ColumnKind} from "./column-info.js";
import type {Connector} from "./connector.js";
import {literal, quoteIdentifier, quoteTable} from "./sql.js";

export const REQUIRED_COLUMNS = ["lead_id", "contacted_date", "target"] as const;

/** Known features and the kind rules expect them to be. Any other column is carried through. */
export const KNOWN_COLUMNS: Record<string, ColumnKind> = {
  advisor_crd: "number",
  mql_date: "date",
  split: "string",
  current_firm_tenure_months: "number",
  industry_tenure_months: "number",
  firm_net_change_12mo: "number",
  firm_rep_count_at_contact: "number",
  num_prior_firms: "number",
  is_wirehouse: "number",
  pit_moves_3yr: "number",
  pit_restlessness_ratio: "number"
};

export interface Problem {
  level: "error" | "warning";
  column?: string;
  message: string;
}

/** A data file or table that breaks the contract; `problems` lists every error found. */
export class DataError extends Error {
  readonly problems: Problem[];
  constructor(source: string, problems: Problem[]) {
    const errors = problems.filter((p) => p.level === "error");
    super(`${source}: ${errors.map((p) => p.message).join("; ")}`);
    this.name = "DataError";
    this.problems = problems;
  }
}

/** The columns of a table or query, with their kinds (DuckDB `DESCRIBE`). */
export async function describeColumns(conn: Connector, relation: string): Promise<ColumnInfo[]> {
  const rows = await conn.query(`DESCRIBE ${relation}`);
  return rows.map((r) => ({name: String(r.column_name), type: String(r.column_type), kind: columnKind(String(r.column_type))}));
}

/** Type checks that need only the column list. */
export function checkColumns(columns: ColumnInfo[]): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const name of REQUIRED_COLUMNS) {
    if (!byName.has(name)) {
      problems.push({level: "error", column: name, message: `required column "${name}" is missing (columns found: ${columns.map((c) => c.name).join(", ") || "none"})`});
    }
  }
  const id = byName.get("lead_id");
  if (id && id.kind !== "string" && id.kind !== "number") {
    problems.push({level: "error", column: "lead_id", message: `column "lead_id" is ${id.type}; expected text or an integer`});
  }
  const target = byName.get("target");
  if (target && target.kind !== "number" && target.kind !== "boolean") {
    problems.push({level: "error", column: "target", message: `column "target" is ${target.type}; expected 0, 1 or NULL as a number`});
  }
  for (const name of ["contacted_date", "mql_date"]) {
    const c = byName.get(name);
    if (c && c.kind !== "date" && c.kind !== "string") {
      problems.push({level: "error", column: name, message: `column "${name}" is ${c.type}; expected a date`});
    }
  }
  for (const [name, kind] of Object.entries(KNOWN_COLUMNS)) {
    const c = byName.get(name);
    if (!c || kind !== "number") continue;
    if (c.kind === "string") {
      problems.push({level: "error", column: name, message: `column "${name}" is stored as text (${c.type}) but rules compare it with numbers; export it as a number`});
    } else if (c.kind !== "number" && c.kind !== "boolean") {
      problems.push({level: "error", column: name, message: `column "${name}" is ${c.type}; expected a number`});
    }
  }
  return problems;
}

/** The SELECT list that turns a raw source into the normalized `leads` table. */
export function normalizedSelect(columns: ColumnInfo[]): string {
  return columns
    .map((c) => {
      const q = quoteIdentifier(c.name);
      if (c.name === "lead_id") return `CAST(${q} AS VARCHAR) AS ${q}`;
      if (c.name === "target") return `CAST(${q} AS TINYINT) AS ${q}`;
      if (c.name === "contacted_date" || c.name === "mql_date") return `CAST(${q} AS DATE) AS ${q}`;
      if (c.kind === "boolean" && KNOWN_COLUMNS[c.name] === "number") return `CAST(${q} AS TINYINT) AS ${q}`;
      return q;
    })
    .join(", ");
}

/** Value checks on a raw table (before normalization): rows, target values, dates, duplicates, empty columns. */
export async function checkValues(conn: Connector, table: string, columns: ColumnInfo[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const t = quoteTable(table);
  const names = new Set(columns.map((c) => c.name));
  const [{n}] = await conn.query(`SELECT COUNT(*) AS n FROM ${t}`);
  if (Number(n) === 0) return [{level: "error", message: "the data has zero rows"}];

  if (names.has("target")) {
    const target = quoteIdentifier("target");
    const bad = await conn.query(
      `SELECT CAST(${target} AS VARCHAR) AS v, COUNT(*) AS n FROM ${t} WHERE ${target} IS NOT NULL AND CAST(${target} AS DOUBLE) NOT IN (0, 1) GROUP BY 1 ORDER BY 2 DESC LIMIT 5`
    );
    if (bad.length) {
      problems.push({level: "error", column: "target", message: `column "target" must be 0, 1 or NULL; found ${bad.map((r) => `${r.v} (${r.n} rows)`).join(", ")}`});
    }
  }
  for (const name of ["contacted_date", "mql_date"]) {
    if (!names.has(name)) continue;
    const q = quoteIdentifier(name);
    const unparsed = await conn.query(
      `SELECT CAST(${q} AS VARCHAR) AS v FROM ${t} WHERE ${q} IS NOT NULL AND TRY_CAST(${q} AS DATE) IS NULL LIMIT 3`
    );
    if (unparsed.length) {
      const [{k}] = await conn.query(`SELECT COUNT(*) AS k FROM ${t} WHERE ${q} IS NOT NULL AND TRY_CAST(${q} AS DATE) IS NULL`);
      problems.push({level: "error", column: name, message: `column "${name}" has ${k} values that are not dates, e.g. ${unparsed.map((r) => JSON.stringify(r.v)).join(", ")}`});
      continue;
    }
    const [range] = await conn.query(
      `SELECT COUNT(*) FILTER (WHERE TRY_CAST(${q} AS DATE) < DATE '2000-01-01' OR TRY_CAST(${q} AS DATE) > DATE '2100-12-31') AS k, MIN(TRY_CAST(${q} AS DATE)) AS lo, MAX(TRY_CAST(${q} AS DATE)) AS hi FROM ${t}`
    );
    if (Number(range.k) > 0) {
      problems.push({level: "error", column: name, message: `column "${name}" has ${range.k} dates outside 2000–2100 (range ${range.lo} to ${range.hi})`});
    }
  }
  if (names.has("contacted_date")) {
    const [{k}] = await conn.query(`SELECT COUNT(*) AS k FROM ${t} WHERE ${quoteIdentifier("contacted_date")} IS NULL`);
    if (Number(k) > 0) problems.push({level: "error", column: "contacted_date", message: `column "contacted_date" is empty in ${k} rows; every lead needs a contact date`});
  }
  if (names.has("lead_id")) {
    const dup = await duplicateIds(conn, table);
    if (dup.count > 0) {
      problems.push({level: "warning", column: "lead_id", message: `${dup.count} lead_id values appear more than once (e.g. ${dup.examples.map((e) => JSON.stringify(e)).join(", ")}); every row is counted`});
    }
  }
  const allNull = await emptyColumns(conn, table, columns);
  for (const name of allNull) {
    const required = (REQUIRED_COLUMNS as readonly string[]).includes(name);
    problems.push({level: required ? "error" : "warning", column: name, message: `column "${name}" is entirely NULL`});
  }
  return problems;
}

/** Duplicate lead ids: how many ids repeat, with a few examples. */
export async function duplicateIds(conn: Connector, table: string): Promise<{count: number; rows: number; examples: string[]}> {
  const id = quoteIdentifier("lead_id");
  if (conn.dialect === "duckdb") {
    // As many distinct hashes as rows proves every id distinct, and counting hashes is cheaper than
    // grouping the ids themselves; otherwise (a repeat, or a rare collision) the ids are grouped.
    const [{repeats}] = await conn.query(`SELECT COUNT(*) - COUNT(DISTINCT hash(${id})) AS repeats FROM ${quoteTable(table)}`);
    if (Number(repeats) === 0) return {count: 0, rows: 0, examples: []};
  }
  const rows = await conn.query(
    `SELECT CAST(${id} AS VARCHAR) AS id, COUNT(*) AS n, COUNT(*) OVER () AS ids, SUM(COUNT(*)) OVER () AS dup_rows FROM ${quoteTable(table)} GROUP BY ${id} HAVING COUNT(*) > 1 ORDER BY n DESC, id LIMIT 3`
  );
  if (!rows.length) return {count: 0, rows: 0, examples: []};
  return {count: Number(rows[0].ids), rows: Number(rows[0].dup_rows), examples: rows.map((r) => String(r.id))};
}

async function emptyColumns(conn: Connector, table: string, columns: ColumnInfo[]): Promise<string[]> {
  if (!columns.length) return [];
  const list = columns.map((c, i) => `COUNT(${quoteIdentifier(c.name)}) AS ${quoteIdentifier("c" + i)}`).join(", ");
  const [row] = await conn.query(`SELECT ${list} FROM ${quoteTable(table)}`);
  return columns.filter((_, i) => Number(row["c" + i]) === 0).map((c) => c.name);
}

/** Out-of-range rules for the data check panel: a SQL condition that flags a bad value. */
export const RANGE_RULES: {column: string; rule: string; bad: (q: string) => string}[] = [
  {column: "current_firm_tenure_months", rule: "0–720 months", bad: (q) => `${q} < 0 OR ${q} > 720`},
  {column: "industry_tenure_months", rule: "0–720 months", bad: (q) => `${q} < 0 OR ${q} > 720`},
  {column: "firm_rep_count_at_contact", rule: "≥ 1 rep", bad: (q) => `${q} < 1`},
  {column: "num_prior_firms", rule: "0–50", bad: (q) => `${q} < 0 OR ${q} > 50`},
  {column: "is_wirehouse", rule: "0 or 1", bad: (q) => `${q} NOT IN (0, 1)`},
  {column: "pit_moves_3yr", rule: "0–36", bad: (q) => `${q} < 0 OR ${q} > 36`},
  {column: "pit_restlessness_ratio", rule: "≥ 0", bad: (q) => `${q} < 0`},
  {column: "target", rule: "0, 1 or NULL", bad: (q) => `${q} NOT IN (0, 1)`},
  {column: "split", rule: "TRAIN, GAP or TEST", bad: (q) => `${q} NOT IN (${["TRAIN", "GAP", "TEST"].map((s) => literal(s)).join(", ")})`}
];

export interface ColumnCheck {
  column: string;
  type: string;
  nulls: number;
  nullShare: number;
  outOfRange: number | null;
  rule: string | null;
}

/** The data check panel: nulls per column and out-of-range counts, in one scan. */
export async function columnChecks(conn: Connector, table: string, columns: ColumnInfo[]): Promise<ColumnCheck[]> {
  const t = quoteTable(table);
  const rules = new Map(RANGE_RULES.map((r) => [r.column, r]));
  const parts = [`COUNT(*) AS n`];
  columns.forEach((c, i) => {
    const q = quoteIdentifier(c.name);
    parts.push(`COUNT(*) - COUNT(${q}) AS ${quoteIdentifier("null" + i)}`);
    const r = rules.get(c.name);
    if (r && (c.kind === "number" || c.kind === "boolean" || c.kind === "string")) {
      parts.push(`COUNT(*) FILTER (WHERE ${r.bad(q)}) AS ${quoteIdentifier("bad" + i)}`);
    }
  });
  const [row] = await conn.query(`SELECT ${parts.join(", ")} FROM ${t}`);
  const n = Number(row.n);
  return columns.map((c, i) => {
    const r = rules.get(c.name);
    const bad = row["bad" + i];
    return {
      column: c.name,
      type: c.type,
      nulls: Number(row["null" + i]),
      nullShare: n ? Number(row["null" + i]) / n : 0,
      outOfRange: bad === undefined ? null : Number(bad),
      rule: bad === undefined || !r ? null : r.rule
    };
  });
}
