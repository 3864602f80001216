/**
 * The rules evaluated in TypeScript, with the semantics of the compiled SQL `CASE`: first matching
 * tier wins, and SQL's three-valued logic — a comparison with NULL is unknown, not true, so a lead
 * with a NULL in a tested column falls through (also for `ne` and `notIn`); `isNull` tests NULL.
 */
import type {Row, Value} from "../connector.js";
import {normalizeCondition, tierAlternatives} from "./conditions.js";
import {operatorOf, type Truth} from "./operators.js";
import type {Condition, RuleSet, Tier} from "./types.js";

export type {Truth};

/** One condition on one row, as SQL would evaluate it. A missing column reads as NULL. */
export function evaluateCondition(condition: Condition, row: Readonly<Record<string, Value | undefined>>): Truth {
  const c = normalizeCondition(condition);
  return operatorOf(c).evaluate(row[c.column] ?? null, c.value);
}

/** SQL `AND` over a list: false if any is false, else unknown if any is unknown, else true. */
export function evaluateAll(conditions: Condition[], row: Readonly<Record<string, Value | undefined>>): Truth {
  let result: Truth = true;
  for (const condition of conditions) {
    const truth = evaluateCondition(condition, row);
    if (truth === false) return false;
    if (truth === null) result = null;
  }
  return result;
}

/** Whether a tier's `WHEN` is true for the row (unknown counts as not matched, as in `CASE`). */
export function tierMatches(tier: Tier, row: Readonly<Record<string, Value | undefined>>): boolean {
  return tierAlternatives(tier).some((list) => evaluateAll(list, row) === true);
}

/** The tier id the compiled `CASE` gives this row: the first matching tier, else the fallback. */
export function evaluateTier(rules: RuleSet, row: Readonly<Row | Record<string, Value | undefined>>): string {
  for (const tier of rules.tiers) if (tierMatches(tier, row)) return tier.id;
  return rules.fallback.id;
}
