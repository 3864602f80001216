/**
 * The overview of a leads table (the seeds' Phase 0.1 "data landscape", done live): volume,
 * labels, baseline rate, splits, wirehouse share, monthly volume and rate, and the data checks.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {columnChecks, describeColumns, duplicateIds, type ColumnCheck} from "../data-contract.js";
import {describePopulation, labelExpression, populationWhere, type Population} from "../population.js";
import {quoteIdentifier, quoteTable} from "../sql.js";
import {wilson} from "../stats.js";

export interface Rate {
  leads: number;
  labeled: number;
  conversions: number;
  /** conversions / labeled; null when nothing is labeled. */
  rate: number | null;
  /** Wilson 95% interval of the rate; null when nothing is labeled. */
  ci: [number, number] | null;
}

export interface SplitRow extends Rate {
  split: string;
  from: string | null;
  to: string | null;
}

export interface MonthRow extends Rate {
  /** First day of the month, YYYY-MM-01. */
  month: string;
}

export interface Overview {
  /** The population's leads (the checks below are over every row of the table). */
  population: Rate & {from: string | null; to: string | null; description: string};
  wirehouse: {leads: number; share: number | null} | null;
  splits: SplitRow[];
  monthly: MonthRow[];
  checks: {columns: ColumnCheck[]; duplicateIds: {count: number; rows: number; examples: string[]}};
  columns: ColumnInfo[];
}

/** Counts → a {@link Rate} with its Wilson interval. */
export function toRate(row: Row): Rate {
  const leads = Number(row.leads);
  const labeled = Number(row.labeled);
  const conversions = Number(row.conversions ?? 0);
  return {leads, labeled, conversions, rate: labeled ? conversions / labeled : null, ci: wilson(conversions, labeled)};
}

/** Leads, labeled leads and conversions, labeled as the population says (maturity), over `FROM … WHERE` the population. */
function counts(population: Population): string {
  const label = labelExpression(population);
  return `COUNT(*) AS leads, COUNT(${label}) AS labeled, COALESCE(SUM(${label}), 0) AS conversions`;
}

/**
 * Every overview number for a table, computed with a handful of aggregate queries: over the
 * population (the pages' one population, maturity included), the data checks over every row.
 */
export async function overview(conn: Connector, table = "leads", options: {population?: Population} = {}): Promise<Overview> {
  const population = options.population ?? {};
  const t = quoteTable(table);
  const columns = await describeColumns(conn, t);
  const names = new Set(columns.map((c) => c.name));
  const COUNTS = counts(population);
  const from = `${t} WHERE ${populationWhere(population)}`;
  const [total] = await conn.query(
    `SELECT ${COUNTS}, MIN("contacted_date") AS date_from, MAX("contacted_date") AS date_to FROM ${from}`
  );
  let wirehouse: Overview["wirehouse"] = null;
  if (names.has("is_wirehouse")) {
    const [w] = await conn.query(`SELECT COUNT(*) FILTER (WHERE ${quoteIdentifier("is_wirehouse")} = 1) AS n FROM ${from}`);
    const leads = Number(total.leads);
    wirehouse = {leads: Number(w.n), share: leads ? Number(w.n) / leads : null};
  }
  let splits: SplitRow[] = [];
  if (names.has("split")) {
    const rows = await conn.query(
      `SELECT "split" AS split, ${COUNTS}, MIN("contacted_date") AS date_from, MAX("contacted_date") AS date_to FROM ${from} GROUP BY "split" ORDER BY MIN("contacted_date"), "split"`
    );
    splits = rows.map((r) => ({split: r.split === null ? "(none)" : String(r.split), from: str(r.date_from), to: str(r.date_to), ...toRate(r)}));
  }
  const monthly = (
    await conn.query(
      `SELECT strftime(date_trunc('month', "contacted_date"), '%Y-%m-%d') AS month, ${COUNTS} FROM ${from} GROUP BY 1 ORDER BY 1`
    )
  ).map((r) => ({month: String(r.month), ...toRate(r)}));
  return {
    population: {...toRate(total), from: str(total.date_from), to: str(total.date_to), description: describePopulation(population)},
    wirehouse,
    splits,
    monthly,
    checks: {columns: await columnChecks(conn, table, columns), duplicateIds: await duplicateIds(conn, table)},
    columns
  };
}

function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
