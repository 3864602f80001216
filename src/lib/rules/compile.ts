/**
 * The one compiler from rule set to SQL. Names reach SQL only through quoteIdentifier and values
 * only through literal; the same rule set gives the same text every time.
 */
import type {ColumnInfo} from "../column-info.js";
import {literal, quoteIdentifier, type Dialect} from "../sql.js";
import {normalizeCondition, tierAlternatives} from "./conditions.js";
import {operatorOf} from "./operators.js";
import {parseRuleSet} from "./parse.js";
import type {Condition, RuleSet} from "./types.js";

export interface CompileOptions {
  dialect?: Dialect;
  /** The table's schema: when given, every column must exist and fit its comparison. */
  columns?: readonly ColumnInfo[];
  /** Prefix for the lines after `CASE` (to nest the expression in a larger query). */
  indent?: string;
  /** What each branch yields: the tier id (default) or the tier's position (0 …, the fallback last). */
  yields?: "id" | "index";
}

/** One condition as a SQL predicate (`"firm_net_change_12mo" BETWEEN -10 AND -1`). */
export function compileCondition(condition: Condition, dialect: Dialect = "duckdb"): string {
  const c = normalizeCondition(condition);
  return operatorOf(c).sql[dialect](quoteIdentifier(c.column, dialect), c.value);
}

/** An AND-list, parenthesised: `("a" >= 1 AND "b" = 'x')`. */
function compileAll(conditions: Condition[], dialect: Dialect): string {
  return `(${conditions.map((c) => compileCondition(c, dialect)).join(" AND ")})`;
}

/**
 * The tier assignment as one SQL `CASE`, one `WHEN` per tier in rule order, the fallback as
 * `ELSE`:
 *
 * ```sql
 * CASE
 *   WHEN ("x" >= 10 AND "y" = 'a') THEN 'TIER_1'
 *   WHEN ("x" < 0) OR ("y" IS NULL) THEN 'TIER_2'
 *   ELSE 'STANDARD'
 * END
 * ```
 * @throws {RuleSetError} when the rule set is invalid (or, with `columns`, does not fit the table)
 */
export function compileTierCase(rules: RuleSet, options: CompileOptions = {}): string {
  return compileCheckedTierCase(parseRuleSet(rules, options.columns), options);
}

/**
 * {@link compileTierCase} for a rule set that {@link parseRuleSet} has already returned (with the
 * same columns): skips validating it again, which the interactive loop would otherwise repeat.
 */
export function compileCheckedTierCase(checked: RuleSet, options: Omit<CompileOptions, "columns"> = {}): string {
  const {dialect = "duckdb", indent = "", yields = "id"} = options;
  const value = (id: string, index: number) => (yields === "index" ? String(index) : literal(id, dialect));
  const lines = ["CASE"];
  for (const [index, tier] of checked.tiers.entries()) {
    const predicate = tierAlternatives(tier)
      .map((list) => compileAll(list, dialect))
      .join(" OR ");
    lines.push(`${indent}  WHEN ${predicate} THEN ${value(tier.id, index)}`);
  }
  lines.push(`${indent}  ELSE ${value(checked.fallback.id, checked.tiers.length)}`, `${indent}END`);
  return lines.join("\n");
}

/** Tier ids in CASE order, the fallback last. */
export function tierOrder(rules: RuleSet): string[] {
  return [...rules.tiers.map((t) => t.id), rules.fallback.id];
}

/** Each tier's group: its `group`, or its own id; the fallback is its own group. */
export function tierGroups(rules: RuleSet): Map<string, string> {
  const groups = new Map<string, string>();
  for (const tier of rules.tiers) groups.set(tier.id, tier.group ?? tier.id);
  groups.set(rules.fallback.id, rules.fallback.id);
  return groups;
}

/** Groups in order of first appearance, each with its tiers in rule order; the fallback's group last. */
export function groupOrder(rules: RuleSet): {id: string; tiers: string[]}[] {
  const groups: {id: string; tiers: string[]}[] = [];
  for (const [tier, group] of tierGroups(rules)) {
    const existing = groups.find((g) => g.id === group);
    if (existing) existing.tiers.push(tier);
    else groups.push({id: group, tiers: [tier]});
  }
  return groups;
}
