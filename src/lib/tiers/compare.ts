/**
 * Two rule sets over the same population in ONE scan: both tier assignments per lead, grouped by
 * the pair. From those counts come both reports and the migration matrix (leads moving from a
 * tier of one rule set to a tier of the other) — everything the tier page redraws after an edit.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector} from "../connector.js";
import type {Thresholds} from "./gates.js";
import {LEADS_TABLE, type Population} from "../population.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {reportFromCounts, type Report, type TierCount} from "./report.js";
import {compileCheckedTierCase, tierOrder} from "../rules/compile.js";
import {parseRuleSet} from "../rules/parse.js";
import type {RuleSet} from "../rules/types.js";
import {type Dialect} from "../sql.js";

export interface MigrationCell {
  /** Tier under the compared (deployed) rule set. */
  from: string;
  /** Tier under the edited rule set. */
  to: string;
  leads: number;
  labeled: number;
  conversions: number;
}

export interface Comparison {
  current: Report;
  compare: Report;
  matrix: MigrationCell[];
  sql: string;
}

/** The joint aggregate: one row per (compare tier, current tier) pair. Validates both rule sets. */
export function comparisonSql(current: RuleSet, compare: RuleSet, population: Population = {}, dialect: Dialect = "duckdb", table = LEADS_TABLE, columns?: readonly ColumnInfo[]): string {
  return checkedComparisonSql(parseRuleSet(current, columns), parseRuleSet(compare, columns), population, dialect, table);
}

export interface SqlOptions {
  /**
   * Tiers as their positions (0 …, the fallback last) instead of their ids: the same counts,
   * grouped by a number instead of a string, which is cheaper to group (docs/performance.md).
   */
  codes?: boolean;
}

/**
 * {@link comparisonSql} for rule sets already validated by parseRuleSet. When both compile to the
 * same CASE (the tier page opens that way: the edited rules start as the deployed ones), every
 * lead stays in its tier, and the CASE runs once.
 */
export function checkedComparisonSql(current: RuleSet, compare: RuleSet, population: Population, dialect: Dialect, table = LEADS_TABLE, options: SqlOptions = {}): string {
  const yields = options.codes ? "index" : "id";
  const from = compileCheckedTierCase(compare, {dialect, indent: "  ", yields});
  const to = compileCheckedTierCase(current, {dialect, indent: "  ", yields});
  const same = from === to;
  return [
    ...(same ? ["-- Both rule sets assign the same tiers: one CASE, every lead stays in its tier."] : []),
    `SELECT tier_from, ${same ? "tier_from AS tier_to" : "tier_to"}, COUNT(*) AS leads, COUNT(label) AS labeled, COALESCE(SUM(label), 0) AS conversions`,
    "FROM (",
    scoredLeadsSql({tiers: same ? [[from, "tier_from"]] : [[from, "tier_from"], [to, "tier_to"]], where: population, dialect, table, indent: "  "}),
    ") AS scored",
    same ? "GROUP BY tier_from" : "GROUP BY tier_from, tier_to"
  ].join("\n");
}

/** Sums joint counts by one side. */
function marginal(cells: MigrationCell[], side: "from" | "to"): TierCount[] {
  const sums = new Map<string, TierCount>();
  for (const c of cells) {
    const key = c[side];
    const s = sums.get(key) ?? {tier: key, leads: 0, labeled: 0, conversions: 0};
    s.leads += c.leads;
    s.labeled += c.labeled;
    s.conversions += c.conversions;
    sums.set(key, s);
  }
  return [...sums.values()];
}

/**
 * Both reports and the migration matrix from one query. With `codes`, the query groups tier
 * positions (see {@link SqlOptions}); the comparison's `sql` is still the query by tier ids, which
 * gives the same numbers and is the one people read.
 */
export async function compareRuleSets(
  conn: Connector,
  current: RuleSet,
  compare: RuleSet,
  options: {population?: Population; thresholds?: Partial<Thresholds>; columns?: readonly ColumnInfo[]; table?: string} & SqlOptions = {}
): Promise<Comparison> {
  const a = parseRuleSet(current, options.columns);
  const b = parseRuleSet(compare, options.columns);
  const population = options.population ?? {};
  const sql = checkedComparisonSql(a, b, population, conn.dialect, options.table);
  const run = options.codes ? checkedComparisonSql(a, b, population, conn.dialect, options.table, {codes: true}) : sql;
  const [fromIds, toIds] = [tierOrder(b), tierOrder(a)];
  const tier = (value: unknown, ids: string[]) => (options.codes ? ids[Number(value)] : String(value));
  const matrix = (await conn.query(run)).map((r) => ({
    from: tier(r.tier_from, fromIds),
    to: tier(r.tier_to, toIds),
    leads: Number(r.leads),
    labeled: Number(r.labeled),
    conversions: Number(r.conversions)
  }));
  return comparisonFromMatrix(a, b, matrix, {population: options.population, thresholds: options.thresholds, sql});
}

/** Both reports from the joint counts of two validated rule sets (by whichever engine counted them). */
export function comparisonFromMatrix(
  current: RuleSet,
  compare: RuleSet,
  matrix: MigrationCell[],
  options: {population?: Population; thresholds?: Partial<Thresholds>; sql: string}
): Comparison {
  return {current: reportFromCounts(current, marginal(matrix, "to"), options), compare: reportFromCounts(compare, marginal(matrix, "from"), options), matrix, sql: options.sql};
}

export interface TierDelta {
  id: string;
  label: string;
  status: "both" | "new" | "removed";
  leads: number | null;
  compareLeads: number | null;
  rate: number | null;
  compareRate: number | null;
}

/** Per tier (matched by id), the edited rule set against the compared one. */
export function tierDeltas(c: Comparison, level: "tiers" | "groups" = "tiers"): TierDelta[] {
  const before = new Map(c.compare[level].map((t) => [t.id, t]));
  const after = new Map(c.current[level].map((t) => [t.id, t]));
  const rows: TierDelta[] = c.current[level].map((t) => {
    const old = before.get(t.id);
    return {id: t.id, label: t.label, status: old ? "both" : "new", leads: t.leads, compareLeads: old?.leads ?? null, rate: t.rate, compareRate: old?.rate ?? null};
  });
  for (const t of c.compare[level]) {
    if (!after.has(t.id)) rows.push({id: t.id, label: t.label, status: "removed", leads: null, compareLeads: t.leads, rate: null, compareRate: t.rate});
  }
  return rows;
}
