// Random conditions drawn from the operator table (src/lib/rules/operators.ts): every operator that
// applies to a column's kind, its operand built in the operator's form from values of the column's
// kind. The property tests use these, so an operator added to the table is exercised by them at
// once, and their per-operator counters fail until it is.
import fc from "fast-check";
import type {ColumnKind} from "../../src/lib/column-info.js";
import {appliesTo, OPERATOR_TABLE, OPERATORS, type Condition, type OperandWidget, type Operator, type Scalar} from "../../src/lib/rules/operators.js";

/** The operators that apply to a column of `kind`; with `loop`, only those the JavaScript loop counts. */
export function operatorsFor(kind: ColumnKind, options: {loop?: boolean} = {}): Operator[] {
  return OPERATORS.filter((op) => appliesTo(op, kind) && (!options.loop || !("declines" in OPERATOR_TABLE[op].js)));
}

/** `{column, [op]: operand}`, the operand drawn from `pool` (values of the column's kind) in the operator's form. */
export function conditionWith(column: string, op: Operator, pool: fc.Arbitrary<Scalar>): fc.Arbitrary<Condition> {
  const forms: Record<OperandWidget, () => fc.Arbitrary<unknown>> = {
    value: () => pool,
    number: () => pool,
    text: () => pool,
    range: () => fc.tuple(pool, pool).map(([a, b]) => ((a as number) <= (b as number) ? [a, b] : [b, a])),
    list: () => fc.array(pool, {minLength: 1, maxLength: 3}),
    flag: () => fc.boolean()
  };
  return forms[OPERATOR_TABLE[op].widget]().map((operand) => ({column, [op]: operand}) as Condition);
}

/** A condition on `column` (of `kind`) with any operator that applies to it. */
export function conditionOn(column: string, kind: ColumnKind, pool: fc.Arbitrary<Scalar>, options: {loop?: boolean} = {}): fc.Arbitrary<Condition> {
  return fc.constantFrom(...operatorsFor(kind, options)).chain((op) => conditionWith(column, op, pool));
}

/** A condition's operator. */
export const operatorIn = (condition: Condition): Operator => OPERATORS.find((op) => op in condition)!;

/** Counts per operator, for the tests' coverage checks. */
export class OperatorCounts {
  private readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  /** The keys of `expected` counted fewer than `min` times, with their counts (empty when all were). */
  below(expected: readonly string[], min: number): Record<string, number> {
    return Object.fromEntries(expected.filter((k) => this.get(k) < min).map((k) => [k, this.get(k)]));
  }
}
