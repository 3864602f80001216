/**
 * The query every tier count starts from: the population's leads, each with its tier (one or more
 * rule sets' `CASE`), its label (see labelExpression) and whatever else the count needs. The report,
 * the comparison, the backtest and the tier page's column read all select from it.
 */
import type {Connector} from "./connector.js";
import {describePopulation, labelExpression, LEADS_TABLE, populationWhere, type Population} from "./population.js";
import {quoteTable, type Dialect} from "./sql.js";
import {wilson} from "./stats.js";
import type {PopulationStats} from "./tiers/types.js";

/** An expression and the name it is selected as. */
export type Selected = readonly [expression: string, alias: string];

export interface ScoredLeads {
  /** The tier expressions (compiled `CASE`s), first. */
  tiers: readonly Selected[];
  /** Which leads are selected. */
  where: Population;
  /** Whose maturity decides the label (default: `where`'s). */
  labelFor?: Population;
  /** A SQL type to cast the label to (the tier page reads it as a narrow integer). */
  labelCast?: string;
  /** Further expressions, after the label. */
  extra?: readonly Selected[];
  dialect?: Dialect;
  table?: string;
  /** Prefix of every line, to nest the query in a larger one. */
  indent?: string;
}

/** `SELECT <tiers>, <label> AS label, <extra> FROM <table> WHERE <population>`, one select per line. */
export function scoredLeadsSql(q: ScoredLeads): string {
  const {dialect = "duckdb", table = LEADS_TABLE, indent = ""} = q;
  const label = labelExpression(q.labelFor ?? q.where, dialect);
  const selects: Selected[] = [...q.tiers, [q.labelCast ? `CAST(${label} AS ${q.labelCast})` : label, "label"], ...(q.extra ?? [])];
  return [
    `${indent}SELECT ${selects.map(([expression, alias]) => `${expression} AS ${alias}`).join(`,\n${indent}  `)}`,
    `${indent}FROM ${quoteTable(table, dialect)}`,
    `${indent}WHERE ${populationWhere(q.where, dialect)}`
  ].join("\n");
}

/**
 * The population's own numbers (leads, labeled, conversions, rate, interval, in words), from one
 * query over {@link scoredLeadsSql}: what every page states under its population controls.
 */
export async function populationStats(conn: Connector, population: Population, options: {table?: string} = {}): Promise<PopulationStats> {
  const inner = scoredLeadsSql({tiers: [], where: population, dialect: conn.dialect, table: options.table, indent: "  "});
  const [row] = await conn.query(`SELECT COUNT(*) AS leads, COUNT(label) AS labeled, COALESCE(SUM(label), 0) AS conversions\nFROM (\n${inner}\n) AS scored`);
  const [leads, labeled, conversions] = [Number(row.leads), Number(row.labeled), Number(row.conversions)];
  return {leads, labeled, conversions, rate: labeled ? conversions / labeled : null, ci: wilson(conversions, labeled), description: describePopulation(population)};
}
