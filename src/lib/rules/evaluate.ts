/**
 * The rules evaluated in TypeScript, with the semantics of the compiled SQL `CASE`: first matching
 * tier wins, and SQL's three-valued logic — a comparison with NULL is unknown, not true, so a lead
 * with a NULL in a tested column falls through (also for `ne` and `notIn`); `isNull` tests NULL.
 */
import type {Row, Value} from "../connector.js";
import {normalizeCondition, tierAlternatives} from "./conditions.js";
import type {Condition, RuleSet, Scalar, Tier} from "./types.js";

/** SQL truth: true, false or unknown (null). */
export type Truth = boolean | null;

function numeric(value: Scalar): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** SQL `=` on two non-NULL values: numbers (and booleans as 0/1) by value, strings exactly. */
function equal(a: Scalar, b: Scalar): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return numeric(a) === numeric(b);
}

/** `a - b` as a sign for ordering, or null when the values are not both numeric. */
function order(a: Scalar, b: number): number | null {
  const x = numeric(a);
  return x === null ? null : x < b ? -1 : x > b ? 1 : 0;
}

/** One condition on one row, as SQL would evaluate it. A missing column reads as NULL. */
export function evaluateCondition(condition: Condition, row: Readonly<Record<string, Value | undefined>>): Truth {
  const c = normalizeCondition(condition);
  const raw = row[c.column];
  const value = raw === undefined ? null : raw;
  if (c.op === "isNull") return (value === null) === c.value;
  if (value === null) return null;
  switch (c.op) {
    case "eq":
      return equal(value, c.value);
    case "ne":
      return !equal(value, c.value);
    case "in":
      return c.value.some((v) => equal(value, v));
    case "notIn":
      return !c.value.some((v) => equal(value, v));
    case "between": {
      const low = order(value, c.value[0]);
      const high = order(value, c.value[1]);
      return low === null || high === null ? null : low >= 0 && high <= 0;
    }
    default: {
      const sign = order(value, c.value);
      if (sign === null) return null;
      return c.op === "lt" ? sign < 0 : c.op === "lte" ? sign <= 0 : c.op === "gt" ? sign > 0 : sign >= 0;
    }
  }
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
