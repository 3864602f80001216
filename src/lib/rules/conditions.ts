/** Taking conditions apart and describing them in words; shared by the compiler and the evaluator. */
import {operatorOf, OPERATORS} from "./operators.js";
import type {Condition, NormalizedCondition, Tier} from "./types.js";

/** The column, operator and operand of a (validated) condition. */
export function normalizeCondition(condition: Condition): NormalizedCondition {
  const record = condition as unknown as Record<string, unknown>;
  const ops = OPERATORS.filter((op) => op in record);
  if (ops.length !== 1)
    throw new Error(`a condition needs exactly one operator, got ${ops.length ? ops.join(", ") : "none"}`);
  return {column: condition.column, op: ops[0], value: record[ops[0]]} as NormalizedCondition;
}

/** A tier's criteria as an OR of AND-lists (`when` is one list). */
export function tierAlternatives(tier: Tier): Condition[][] {
  return tier.anyOf ?? (tier.when ? [tier.when] : []);
}

/** A condition in words: `current_firm_tenure_months between 12 and 36`, `is_wirehouse = 0`. */
export function describeCondition(condition: Condition): string {
  const c = normalizeCondition(condition);
  return operatorOf(c).describe(c.column, c.value);
}

/** A tier's criteria in words: conditions joined by "and", alternatives by "or". */
export function describeTier(tier: Tier): string {
  const alternatives = tierAlternatives(tier).map((list) => list.map(describeCondition).join(" and "));
  return alternatives.length > 1 ? alternatives.map((a) => `(${a})`).join(" or ") : (alternatives[0] ?? "");
}
