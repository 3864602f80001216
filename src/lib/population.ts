/**
 * A population: which leads a statistic is computed over (a date window, a split, wirehouses in or
 * out) and which of them count as labeled (maturity). Turned into SQL here and only here.
 */
import {isIsoDate} from "./dates.js";
import {dateLiteral, literal, quoteIdentifier, type Dialect} from "./sql.js";

export interface Population {
  /** First contacted_date included (YYYY-MM-DD, inclusive). */
  from?: string;
  /** Last contacted_date included (YYYY-MM-DD, inclusive). */
  to?: string;
  /** Only this split (TRAIN, GAP, TEST). */
  split?: string;
  /** Drop wirehouse leads (is_wirehouse = 1). */
  excludeWirehouse?: boolean;
  /**
   * Maturity: with an analysis date and a window in days, leads contacted after
   * `analysisDate - maturityDays` count in volume but are unlabeled (not yet mature), whatever their target.
   */
  analysisDate?: string;
  maturityDays?: number;
}

export const LEADS_TABLE = "leads";

/** The WHERE condition selecting the population (`TRUE` for everything). */
export function populationWhere(population: Population = {}, dialect: Dialect = "duckdb"): string {
  const parts: string[] = [];
  const date = quoteIdentifier("contacted_date", dialect);
  if (population.from) parts.push(`${date} >= ${dateLiteral(population.from, dialect)}`);
  if (population.to) parts.push(`${date} <= ${dateLiteral(population.to, dialect)}`);
  if (population.split) parts.push(`${quoteIdentifier("split", dialect)} = ${literal(population.split, dialect)}`);
  if (population.excludeWirehouse) parts.push(`COALESCE(${quoteIdentifier("is_wirehouse", dialect)}, 0) <> 1`);
  return parts.length ? parts.join(" AND ") : "TRUE";
}

/**
 * The label of a lead as a SQL expression: `target` (0/1) when the lead is labeled and mature,
 * NULL otherwise. COUNT(label) is the labeled count and SUM(label) the conversions.
 */
export function labelExpression(population: Population = {}, dialect: Dialect = "duckdb"): string {
  const target = `CAST(${quoteIdentifier("target", dialect)} AS ${dialect === "bigquery" ? "INT64" : "INTEGER"})`;
  const cutoff = maturityCutoff(population);
  if (cutoff === null) return target;
  return `CASE WHEN ${quoteIdentifier("contacted_date", dialect)} <= ${dateLiteral(cutoff, dialect)} THEN ${target} END`;
}

/** The last contacted_date that counts as mature, or null when no maturity rule is set. */
export function maturityCutoff(population: Population): string | null {
  if (!population.analysisDate) return null;
  const days = population.maturityDays ?? 0;
  if (!Number.isInteger(days) || days < 0) throw new Error(`maturity window must be a whole number of days ≥ 0, got ${days}`);
  if (!isIsoDate(population.analysisDate)) throw new Error(`analysis date is not a date: ${JSON.stringify(population.analysisDate)}`);
  const t = Date.parse(population.analysisDate + "T00:00:00Z");
  return new Date(t - days * 86_400_000).toISOString().slice(0, 10);
}

/** A short human description ("TRAIN, 2024-02-01 – 2024-06-30, no wirehouses"). */
export function describePopulation(population: Population = {}): string {
  const parts: string[] = [];
  if (population.split) parts.push(population.split);
  if (population.from || population.to) parts.push(`${population.from ?? "start"} – ${population.to ?? "end"}`);
  if (population.excludeWirehouse) parts.push("no wirehouses");
  if (population.analysisDate) parts.push(`mature by ${maturityCutoff(population)}`);
  return parts.length ? parts.join(", ") : "all leads";
}

/** The site's maturity defaults (config.json's `site`; none for the command line). */
export interface PopulationDefaults {
  analysisDate?: string | null;
  maturityDays?: number | null;
}

/**
 * A population as the address (`#s=…`), the controls and the command line state it. The maturity
 * fields say null for "none" and are left out for "the site's default": links made before they
 * carried the maturity leave them out, so they open on the site's.
 */
export interface PopulationState extends Omit<Population, "analysisDate" | "maturityDays"> {
  analysisDate?: string | null;
  maturityDays?: number | null;
}

/** A population that cannot be used; the message names the field. */
export class PopulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PopulationError";
  }
}

/**
 * The one population of a page or command: what `state` says, the site's maturity where it says
 * nothing. A maturity window without an analysis date is dropped (it counts back from that date:
 * the controls say so, the command line refuses it first). Throws a {@link PopulationError} for a
 * value SQL would refuse or misread, so that every caller reports it the same way.
 */
export function resolvePopulation(site: PopulationDefaults = {}, state: PopulationState = {}): Population {
  const analysisDate = state.analysisDate === undefined ? site.analysisDate : state.analysisDate;
  const maturityDays = state.maturityDays === undefined ? site.maturityDays : state.maturityDays;
  for (const key of ["from", "to", "analysisDate"] as const) {
    const value = key === "analysisDate" ? analysisDate : state[key];
    if (value != null && !isIsoDate(value)) throw new PopulationError(`${key === "analysisDate" ? "analysis date" : key} must be a date like 2024-06-30, got ${JSON.stringify(value)}`);
  }
  if (state.from && state.to && state.to < state.from) throw new PopulationError(`the window ends (${state.to}) before it starts (${state.from})`);
  if (maturityDays != null && !(Number.isInteger(maturityDays) && maturityDays >= 0)) throw new PopulationError(`maturity window must be a whole number of days ≥ 0, got ${JSON.stringify(maturityDays)}`);
  if (state.split != null && typeof state.split !== "string") throw new PopulationError(`split must be text, got ${JSON.stringify(state.split)}`);
  const p: Population = {};
  if (state.split) p.split = state.split;
  if (state.from) p.from = state.from;
  if (state.to) p.to = state.to;
  if (state.excludeWirehouse === true) p.excludeWirehouse = true;
  if (analysisDate) {
    p.analysisDate = analysisDate;
    if (maturityDays != null) p.maturityDays = maturityDays;
  }
  return p;
}

/** A resolved population as a link carries it: every maturity field stated, so the link opens on it whatever the site's defaults. */
export function populationState(population: Population): PopulationState {
  return {...population, analysisDate: population.analysisDate ?? null, maturityDays: population.maturityDays ?? null};
}
