/**
 * The condition operators, one entry each: everything the rest of the rules code knows about an
 * operator — its operand check and the column kinds it applies to (rule-set-schema.ts), its SQL in
 * each dialect (compile.ts), its test in the preview's JavaScript loop or why that loop cannot
 * count it (js-compile.ts), its SQL truth in TypeScript (evaluate.ts), its words (conditions.ts),
 * its editor label and operand input (components/ruleEditor.ts) and its line in docs/rule-sets.md.
 * The condition types and the operator list derive from this table, and every entry must give
 * every piece (the {@link operator} helper's type), so adding an operator is adding one entry.
 */
import type {ColumnKind} from "../column-info.js";
import type {Value} from "../connector.js";
import {literal, type Dialect} from "../sql.js";

/** A value a condition compares with. */
export type Scalar = number | string | boolean;

/** SQL truth: true, false or unknown (null). */
export type Truth = boolean | null;

/**
 * The editor's input for an operand: `value` one input of the column's kind, `number` the same
 * for a number-only operator, `range` two numbers, `list` comma-separated values, `flag` yes/no,
 * `text` a text box whatever the column.
 */
export type OperandWidget = "value" | "number" | "range" | "list" | "flag" | "text";

/** How the preview's JavaScript loop counts an operator, or why it cannot. */
export type LoopTest<T> =
  /** A test of the column's value `x` against its operands `o` (the entry's `values`, as numbers); the loop ANDs it with "not NULL". */
  | {test: (x: string, o: readonly string[]) => string}
  /** An operator on NULL itself: whether the value must be present (true) or missing (false). */
  | {present: (operand: T) => boolean}
  /** The loop cannot count it; the preview counts by SQL and shows this reason. */
  | {declines: string};

export interface OperatorSpec<T> {
  /** Its row in docs/rule-sets.md (one line; a unit test holds the docs to it). */
  doc: string;
  /** Its name in the editor's operator menu. */
  label: string;
  widget: OperandWidget;
  /** The column kinds it applies to, or what it needs in words (`compares numbers`) for the kinds it refuses. */
  columns: "any" | {kinds: readonly ColumnKind[]; needs: string};
  /** What is wrong with the operand as written in the JSON; `op` is this entry's name. */
  check: (operand: unknown, op: string) => string[];
  /** The values the column is compared with: checked against the column's kind, and the loop's operands. */
  values: (operand: T) => readonly Scalar[];
  /** The predicate on the (already quoted) column; values reach it only through `literal`. */
  sql: {readonly [D in Dialect]: (column: string, operand: T) => string};
  js: LoopTest<T>;
  /** What SQL gives on one value (null is NULL): unknown, not false, where SQL compares with NULL. */
  evaluate: (value: Value, operand: T) => Truth;
  /** In words: `tenure between 12 and 36`. */
  describe: (column: string, operand: T) => string;
}

/** An entry, its operand type inferred; a missing piece is a compile error here. */
function operator<T>(spec: OperatorSpec<T>): OperatorSpec<T> {
  return spec;
}

/** A value as it would be written in the JSON (lists spaced: `[-1, -10]`), for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = Array.isArray(value) ? `[${value.map(show).join(", ")}]` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? text.slice(0, 57) + "…" : text;
}

export function scalarKind(value: unknown): "number" | "string" | "boolean" | null {
  if (typeof value === "number") return Number.isFinite(value) ? "number" : null;
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  return null;
}

// --- Operand checks ---------------------------------------------------------------------------

function scalarOperand(value: unknown, op: string): string[] {
  if (value === null) return [`${op} null never matches in SQL; use {"isNull": ${op === "eq"}}`];
  return scalarKind(value) ? [] : [`${op} needs a number, string or boolean, got ${show(value)}`];
}

function numberOperand(value: unknown, op: string): string[] {
  return scalarKind(value) === "number" ? [] : [`${op} needs a number, got ${show(value)}`];
}

function rangeOperand(value: unknown, op: string): string[] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => scalarKind(v) === "number")) {
    return [`${op} needs [min, max] (two numbers), got ${show(value)}`];
  }
  return value[0] <= value[1] ? [] : [`${op} needs min ≤ max, got ${show(value)}`];
}

function listOperand(value: unknown, op: string): string[] {
  if (!Array.isArray(value)) return [`${op} needs a list of values, got ${show(value)}`];
  if (value.length === 0) return [`${op} needs a non-empty list`];
  const kinds = new Set<string>();
  for (let i = 0; i < value.length; ++i) {
    const kind = scalarKind(value[i]);
    if (!kind) return [`${op} needs numbers, strings or booleans, got ${show(value[i])} at position ${i + 1}`];
    kinds.add(kind);
  }
  return kinds.size > 1 ? [`${op} mixes ${[...kinds].join(" and ")} values; use one kind`] : [];
}

function flagOperand(value: unknown, op: string): string[] {
  return typeof value === "boolean" ? [] : [`${op} needs true or false, got ${show(value)}`];
}

function textOperand(value: unknown, op: string): string[] {
  return typeof value === "string" ? [] : [`${op} needs text in quotes, got ${show(value)}`];
}

// --- SQL truth --------------------------------------------------------------------------------

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

/** Unknown on NULL, as every SQL comparison is; `test` sees only non-NULL values. */
const unlessNull =
  <T>(test: (value: Scalar, operand: T) => Truth) =>
  (value: Value, operand: T): Truth =>
    value === null ? null : test(value, operand);

/** Whether `value` lies in [min, max], or null when it is not numeric. */
function within(value: Scalar, [min, max]: readonly [number, number]): Truth {
  const low = order(value, min);
  const high = order(value, max);
  return low === null || high === null ? null : low >= 0 && high <= 0;
}

// --- Shared pieces ----------------------------------------------------------------------------

/** The same SQL in both dialects, but for how each writes a literal. */
function bothDialects<T>(sql: (column: string, operand: T, dialect: Dialect) => string): OperatorSpec<T>["sql"] {
  return {duckdb: (column, operand) => sql(column, operand, "duckdb"), bigquery: (column, operand) => sql(column, operand, "bigquery")};
}

const NUMBERS = {kinds: ["number"], needs: "compares numbers"} as const;
/** A value in a description: strings in double quotes. */
const word = (value: Scalar) => (typeof value === "string" ? JSON.stringify(value) : String(value));
const one = <T extends Scalar>(operand: T) => [operand];

/** `column <symbol> value` for one number or value. */
function comparison<T extends Scalar>(sqlSymbol: string, jsSymbol: string): Pick<OperatorSpec<T>, "sql" | "js" | "values"> {
  return {values: one, sql: bothDialects((column, value, dialect) => `${column} ${sqlSymbol} ${literal(value, dialect)}`), js: {test: (x, o) => `${x} ${jsSymbol} ${o[0]}`}};
}

/** `lt` … `gte`: the sign of value − operand that makes them true. */
function ordering(sqlSymbol: string, symbol: string, holds: (sign: number) => boolean, doc: string): OperatorSpec<number> {
  return operator<number>({
    doc,
    label: symbol,
    widget: "number",
    columns: NUMBERS,
    check: numberOperand,
    ...comparison(sqlSymbol, sqlSymbol),
    evaluate: unlessNull((value, operand) => {
      const sign = order(value, operand);
      return sign === null ? null : holds(sign);
    }),
    describe: (column, operand) => `${column} ${symbol} ${word(operand)}`
  });
}

// --- The table --------------------------------------------------------------------------------

const TABLE = {
  eq: operator<Scalar>({
    doc: "`v` (a number, string or boolean): the value equals v",
    label: "=",
    widget: "value",
    columns: "any",
    check: scalarOperand,
    ...comparison("=", "==="),
    evaluate: unlessNull((value, operand) => equal(value, operand)),
    describe: (column, operand) => `${column} = ${word(operand)}`
  }),
  ne: operator<Scalar>({
    doc: "`v` (a number, string or boolean): the value differs from v",
    label: "≠",
    widget: "value",
    columns: "any",
    check: scalarOperand,
    ...comparison("<>", "!=="),
    evaluate: unlessNull((value, operand) => !equal(value, operand)),
    describe: (column, operand) => `${column} ≠ ${word(operand)}`
  }),
  lt: ordering("<", "<", (sign) => sign < 0, "a number `n` (number columns): the value is less than n"),
  lte: ordering("<=", "≤", (sign) => sign <= 0, "a number `n` (number columns): the value is at most n"),
  gt: ordering(">", ">", (sign) => sign > 0, "a number `n` (number columns): the value is greater than n"),
  gte: ordering(">=", "≥", (sign) => sign >= 0, "a number `n` (number columns): the value is at least n"),
  between: operator<[number, number]>({
    doc: "`[min, max]` (numbers, min ≤ max; number columns): min ≤ value ≤ max, both ends included (SQL `BETWEEN`)",
    label: "between",
    widget: "range",
    columns: NUMBERS,
    check: rangeOperand,
    values: (range) => range,
    sql: bothDialects((column, [min, max], dialect) => `${column} BETWEEN ${literal(min, dialect)} AND ${literal(max, dialect)}`),
    js: {test: (x, o) => `${x} >= ${o[0]} && ${x} <= ${o[1]}`},
    evaluate: unlessNull(within),
    describe: (column, [min, max]) => `${column} between ${min} and ${max}`
  }),
  notBetween: operator<[number, number]>({
    doc: "`[min, max]` (numbers, min ≤ max; number columns): value < min or value > max, outside the range and its ends (SQL `NOT BETWEEN`)",
    label: "not between",
    widget: "range",
    columns: NUMBERS,
    check: rangeOperand,
    values: (range) => range,
    sql: bothDialects((column, [min, max], dialect) => `${column} NOT BETWEEN ${literal(min, dialect)} AND ${literal(max, dialect)}`),
    js: {test: (x, o) => `${x} < ${o[0]} || ${x} > ${o[1]}`},
    evaluate: unlessNull((value, range) => {
      const inside = within(value, range);
      return inside === null ? null : !inside;
    }),
    describe: (column, [min, max]) => `${column} not between ${min} and ${max}`
  }),
  in: operator<Scalar[]>({
    doc: "`[v, …]` (values of one kind): the value equals one of them",
    label: "in",
    widget: "list",
    columns: "any",
    check: listOperand,
    values: (list) => list,
    sql: bothDialects((column, list, dialect) => `${column} IN (${list.map((v) => literal(v, dialect)).join(", ")})`),
    js: {test: (x, o) => o.map((v) => `${x} === ${v}`).join(" || ")},
    evaluate: unlessNull((value, list) => list.some((v) => equal(value, v))),
    describe: (column, list) => `${column} in (${list.map(word).join(", ")})`
  }),
  notIn: operator<Scalar[]>({
    doc: "`[v, …]` (values of one kind): the value equals none of them",
    label: "not in",
    widget: "list",
    columns: "any",
    check: listOperand,
    values: (list) => list,
    sql: bothDialects((column, list, dialect) => `${column} NOT IN (${list.map((v) => literal(v, dialect)).join(", ")})`),
    js: {test: (x, o) => o.map((v) => `${x} !== ${v}`).join(" && ")},
    evaluate: unlessNull((value, list) => !list.some((v) => equal(value, v))),
    describe: (column, list) => `${column} not in (${list.map(word).join(", ")})`
  }),
  startsWith: operator<string>({
    doc: "`\"text\"` (text columns): the value begins with the text, case-sensitive, `%` and `_` as themselves (`\"\"` matches every value); counted by SQL, not by the tier page's loop",
    label: "starts with",
    widget: "text",
    columns: {kinds: ["string"], needs: "tests text"},
    check: textOperand,
    values: one,
    sql: {
      duckdb: (column, prefix) => `starts_with(${column}, ${literal(prefix, "duckdb")})`,
      bigquery: (column, prefix) => `STARTS_WITH(${column}, ${literal(prefix, "bigquery")})`
    },
    js: {declines: "it tests text, and the loop reads only number and boolean columns"},
    evaluate: unlessNull((value, prefix) => (typeof value === "string" ? value.startsWith(prefix) : null)),
    describe: (column, prefix) => `${column} starts with ${JSON.stringify(prefix)}`
  }),
  isNull: operator<boolean>({
    doc: "`true` or `false`: the value is missing (`IS NULL`) or present (`IS NOT NULL`); the one operator a NULL can match",
    label: "is missing",
    widget: "flag",
    columns: "any",
    check: flagOperand,
    values: () => [],
    sql: bothDialects((column, missing) => `${column} ${missing ? "IS NULL" : "IS NOT NULL"}`),
    js: {present: (missing) => !missing},
    evaluate: (value, missing) => (value === null) === missing,
    describe: (column, missing) => `${column} is ${missing ? "" : "not "}missing`
  })
};

/** The operators, in the order they are documented. */
export type Operator = keyof typeof TABLE;

/** The operand an operator takes (`[number, number]` for `between`). */
export type OperandOf<K extends Operator> = K extends Operator ? ((typeof TABLE)[K] extends OperatorSpec<infer T> ? T : never) : never;

/** Every operator's entry. */
export const OPERATOR_TABLE: {readonly [K in Operator]: OperatorSpec<OperandOf<K>>} = TABLE;

export const OPERATORS = Object.keys(TABLE) as readonly Operator[];

/** One test on one column: `{column, <exactly one operator>: operand}`. */
export type Condition = {[K in Operator]: {column: string} & {[P in K]: OperandOf<K>}}[Operator];

/** A condition taken apart: its column, operator and operand. */
export type NormalizedCondition<K extends Operator = Operator> = {[P in K]: {column: string; op: P; value: OperandOf<P>}}[K];

/** Whether an operator applies to a column of this kind. */
export function appliesTo(op: Operator, kind: ColumnKind): boolean {
  const {columns} = OPERATOR_TABLE[op];
  return columns === "any" || columns.kinds.includes(kind);
}

/** The entry of a condition's operator, typed for the condition's operand. */
export function operatorOf<K extends Operator>(condition: NormalizedCondition<K>): OperatorSpec<OperandOf<K>> {
  return OPERATOR_TABLE[condition.op as K];
}
