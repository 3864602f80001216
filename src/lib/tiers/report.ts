/**
 * The tier report: per tier and per group, volume, labeled leads, conversions, rate with a Wilson
 * interval, share, lift vs the population and vs the fallback, a two-proportion test against the
 * fallback (Holm-corrected), the small-sample flag, and the gates. The database answers ONE
 * aggregate query ({@link tierCountsSql}); everything else is computed here from its counts, so
 * DuckDB (browser, CLI) and BigQuery (CLI) give the same report from the same SQL.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {resolveThresholds, tierGates, type Gate, type Thresholds} from "./gates.js";
import type {GroupStats, PopulationStats, TierCount, TierStats} from "./types.js";
import {describePopulation, LEADS_TABLE, type Population} from "../population.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {compileTierCase, groupOrder} from "../rules/compile.js";
import {parseRuleSet} from "../rules/parse.js";
import type {RuleSet} from "../rules/types.js";
import {type Dialect} from "../sql.js";
import {holm, katzRatioCi, twoProportionTest, wilson} from "../stats.js";
import {gainsRows, tierDiscrimination, type Discrimination, type GainsRow} from "./gains.js";

export type {GroupStats, PopulationStats, TierCount, TierStats} from "./types.js";

export interface Report {
  /** The rule set's name. */
  rules: string;
  version?: string;
  /** The fallback tier's id. */
  fallback: string;
  population: PopulationStats;
  tiers: TierStats[];
  groups: GroupStats[];
  /** The tiers in rule order (fallback last), cumulated: see ./gains.ts. */
  gains: GainsRow[];
  /** AUC (ties half), Gini and KS of the tier order over labeled leads; null where undefined. */
  discrimination: Discrimination;
  gates: Gate[];
  thresholds: Thresholds;
  /** The aggregate query the counts came from, when known. */
  sql?: string;
}

/**
 * The one aggregate query behind a tier report: tier, leads, labeled, conversions per tier.
 * `labeled` counts mature labels (see labelExpression), `conversions` sums them.
 */
export function tierCountsSql(
  rules: RuleSet,
  population: Population = {},
  dialect: Dialect = "duckdb",
  table: string = LEADS_TABLE,
  columns?: readonly ColumnInfo[]
): string {
  return [
    "SELECT tier, COUNT(*) AS leads, COUNT(label) AS labeled, COALESCE(SUM(label), 0) AS conversions",
    "FROM (",
    scoredLeadsSql({tiers: [[compileTierCase(rules, {dialect, columns, indent: "  "}), "tier"]], where: population, dialect, table, indent: "  "}),
    ") AS scored",
    "GROUP BY tier"
  ].join("\n");
}

export interface ReportOptions {
  population?: Population;
  thresholds?: Partial<Thresholds>;
  /** The leads table (default `leads`). */
  table?: string;
  /** The table's schema, to check the rule set's columns before querying. */
  columns?: readonly ColumnInfo[];
}

/** Runs the aggregate query on a connector and builds the report. */
export async function tierReport(conn: Connector, rules: RuleSet, options: ReportOptions = {}): Promise<Report> {
  const checked = parseRuleSet(rules, options.columns);
  const sql = tierCountsSql(checked, options.population, conn.dialect, options.table, options.columns);
  const rows = await conn.query(sql);
  return reportFromCounts(checked, rows, {population: options.population, thresholds: options.thresholds, sql});
}

function count(row: Row | TierCount, key: "leads" | "labeled" | "conversions"): number {
  const value = Number((row as Record<string, unknown>)[key] ?? 0);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`tier ${String(row.tier)}: ${key} must be a whole number ≥ 0, got ${row[key]}`);
  return value;
}

/**
 * Builds the report from per-tier counts (the rows of {@link tierCountsSql}, from any engine).
 * Tiers absent from the counts had no leads.
 */
export function reportFromCounts(
  rules: RuleSet,
  counts: readonly (Row | TierCount)[],
  options: {population?: Population; thresholds?: Partial<Thresholds>; sql?: string} = {}
): Report {
  const thresholds = resolveThresholds(options.thresholds);
  const byTier = new Map<string, {leads: number; labeled: number; conversions: number}>();
  const known = new Set([...rules.tiers.map((t) => t.id), rules.fallback.id]);
  for (const row of counts) {
    const tier = String(row.tier);
    if (!known.has(tier))
      throw new Error(`the counts name a tier the rule set does not have: ${JSON.stringify(row.tier)}`);
    const c = {leads: count(row, "leads"), labeled: count(row, "labeled"), conversions: count(row, "conversions")};
    if (c.labeled > c.leads || c.conversions > c.labeled) {
      const counted = `${c.leads} leads, ${c.labeled} labeled, ${c.conversions} conversions`;
      throw new Error(`tier ${tier}: counts do not add up (${counted}); is target 0/1?`);
    }
    byTier.set(tier, c);
  }
  const zero = {leads: 0, labeled: 0, conversions: 0};
  const totals = {...zero};
  for (const c of byTier.values()) {
    totals.leads += c.leads;
    totals.labeled += c.labeled;
    totals.conversions += c.conversions;
  }
  const population: PopulationStats = {
    ...totals,
    rate: totals.labeled ? totals.conversions / totals.labeled : null,
    ci: wilson(totals.conversions, totals.labeled),
    description: describePopulation(options.population)
  };

  const entries = [
    ...rules.tiers.map((t) => ({
      id: t.id,
      label: t.label,
      group: t.group ?? t.id,
      expected: t.expectedConversion,
      fallback: false
    })),
    {
      id: rules.fallback.id,
      label: rules.fallback.label,
      group: rules.fallback.id,
      expected: rules.fallback.expectedConversion,
      fallback: true
    }
  ];
  const tiers = statsRows(
    entries.map((e) => ({...e, ...(byTier.get(e.id) ?? zero)})),
    population,
    thresholds
  );

  const groupRows = groupOrder(rules).map((g) => {
    const members = entries.filter((e) => g.tiers.includes(e.id));
    const sum = (key: keyof typeof zero) => members.reduce((s, m) => s + (byTier.get(m.id) ?? zero)[key], 0);
    const single = members.length === 1 ? members[0] : undefined;
    return {
      id: g.id,
      label: single ? single.label : g.id,
      group: g.id,
      expected: single?.expected,
      fallback: members.some((m) => m.fallback),
      leads: sum("leads"),
      labeled: sum("labeled"),
      conversions: sum("conversions"),
      tiers: g.tiers
    };
  });
  const groups = statsRows(groupRows, population, thresholds).map((row, i) => ({...row, tiers: groupRows[i].tiers}));

  const report: Report = {
    rules: rules.name,
    ...(rules.version !== undefined ? {version: rules.version} : {}),
    fallback: rules.fallback.id,
    population,
    tiers,
    groups,
    gains: gainsRows(tiers, population),
    discrimination: tierDiscrimination(tiers),
    gates: [],
    thresholds,
    ...(options.sql !== undefined ? {sql: options.sql} : {})
  };
  report.gates = tierGates(report, thresholds);
  return report;
}

interface Counted {
  id: string;
  label: string;
  group: string;
  expected: number | undefined;
  fallback: boolean;
  leads: number;
  labeled: number;
  conversions: number;
}

/** Rates, intervals, lifts and Holm-corrected tests for the rows of one table (tiers or groups). */
function statsRows(rows: Counted[], population: PopulationStats, thresholds: Thresholds): TierStats[] {
  const fallback = rows.find((r) => r.fallback)!;
  const fallbackRate = fallback.labeled ? fallback.conversions / fallback.labeled : null;
  const tests = rows.map((r) =>
    r.fallback ? null : twoProportionTest(r.conversions, r.labeled, fallback.conversions, fallback.labeled)
  );
  const adjusted = holm(tests.map((t) => t?.pValue ?? null));
  return rows.map((r, i) => {
    const rate = r.labeled ? r.conversions / r.labeled : null;
    return {
      id: r.id,
      label: r.label,
      group: r.group,
      fallback: r.fallback,
      leads: r.leads,
      labeled: r.labeled,
      conversions: r.conversions,
      rate,
      ci: wilson(r.conversions, r.labeled),
      share: population.leads ? r.leads / population.leads : null,
      lift: ratio(rate, population.rate),
      liftCi: r.labeled && population.labeled ? katzRatioCi(r.conversions, r.labeled, population.conversions, population.labeled) : null,
      liftVsFallback: ratio(rate, fallbackRate),
      expectedConversion: r.expected ?? null,
      pValue: tests[i]?.pValue ?? null,
      pAdjusted: adjusted[i],
      significant: adjusted[i] === null ? null : adjusted[i]! < thresholds.alpha,
      small: r.labeled < thresholds.minLabeled
    };
  });
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}
