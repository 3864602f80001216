/**
 * A rule set compiled to a JavaScript loop over typed columns: the hot loop of the tier preview.
 * It must give exactly what the compiled SQL `CASE` gives (compile.ts), so it accepts only what
 * JavaScript numbers compare exactly like DuckDB does, and says why when it does not:
 *
 * - numeric columns whose values are exact doubles (integers up to 2^53, DOUBLE without NaN —
 *   DuckDB orders NaN above every number, JavaScript compares it false) compared with numbers;
 * - boolean columns (read as 0/1) compared with booleans;
 * - `isNull` on any of those;
 * - operators whose entry in operators.ts gives a loop test (the others say why not).
 *
 * SQL's three-valued logic needs no special care: a comparison with NULL is unknown, and since
 * the CASE's predicates are ORs of ANDs with no NOT above a comparison, "unknown" can be read as
 * false without changing which branch is taken (evaluate.ts states the same semantics).
 *
 * The generated code refers to columns and operands only by position and holds no text from the
 * rule set (operands are passed in a typed array), so nothing a rule set contains can become
 * code. Where `new Function` is forbidden (a strict Content-Security-Policy) compiling fails and
 * the caller falls back to SQL.
 */
import type {ColumnInfo} from "../column-info.js";
import type {TypedColumn} from "../lead-arrays.js";
import {normalizeCondition, tierAlternatives} from "./conditions.js";
import {operatorOf} from "./operators.js";
import type {Condition, NormalizedCondition, RuleSet} from "./types.js";

/** Integer types whose every value is an exact double. */
const EXACT_INTEGERS = /^(TINYINT|SMALLINT|INTEGER|INT|INT4|INT2|INT1|UTINYINT|USMALLINT|UINTEGER)$/;
/** Integer types that are exact only while |value| < 2^53 (checked on the extracted values). */
const WIDE_INTEGERS = /^(BIGINT|INT8|LONG|UBIGINT|INT64)$/;
const DOUBLES = /^(DOUBLE|FLOAT8|FLOAT64)$/;

/** How a column is read into a typed array, or why it cannot be. */
export type ColumnRead = {ok: true; cast: "none" | "double" | "tinyint"; check: "none" | "nan" | "safe-integer"} | {ok: false; reason: string};

/** Whether (and how) the preview can read a column exactly. */
export function columnRead(column: ColumnInfo): ColumnRead {
  const type = column.type.toUpperCase();
  if (column.kind === "boolean") return {ok: true, cast: "tinyint", check: "none"};
  if (column.kind !== "number") return {ok: false, reason: `${column.name} is a ${column.kind === "string" ? "text" : column.kind} column`};
  if (EXACT_INTEGERS.test(type)) return {ok: true, cast: "none", check: "none"};
  if (WIDE_INTEGERS.test(type)) return {ok: true, cast: "double", check: "safe-integer"};
  if (DOUBLES.test(type)) return {ok: true, cast: "none", check: "nan"};
  return {ok: false, reason: `${column.name} is ${type}, which JavaScript numbers cannot compare exactly like SQL`};
}

/** {@link columnRead} for a column read as numbers on their own (a threshold, a band): a boolean column is not one. */
export function numberRead(column: ColumnInfo): ColumnRead {
  const read = columnRead(column);
  return read.ok && read.cast === "tinyint" ? {ok: false, reason: `${column.name} is a boolean column`} : read;
}

/** How the compiled loops compare each of `names` (a column of `schema`): booleans as 0/1, the rest as numbers. */
export function loopKinds(schema: readonly ColumnInfo[], names: readonly string[]): Map<string, "number" | "boolean"> {
  return new Map(names.map((n) => [n, schema.find((c) => c.name === n)?.kind === "boolean" ? "boolean" : "number"]));
}

/** Checks extracted values against what {@link columnRead} promised; a reason when they break it. */
export function checkValues(name: string, read: Extract<ColumnRead, {ok: true}>, column: TypedColumn): string | null {
  if (read.check === "none") return null;
  const {values, valid} = column;
  for (let i = 0; i < values.length; ++i) {
    if (valid !== null && valid[i] === 0) continue;
    const v = values[i];
    if (read.check === "nan" ? v !== v : !(Math.abs(v) <= Number.MAX_SAFE_INTEGER)) {
      return read.check === "nan" ? `${name} holds NaN` : `${name} holds integers beyond 2^53`;
    }
  }
  return null;
}

/** The columns a rule set reads, in first-use order. */
export function ruleColumns(rules: RuleSet): string[] {
  const names = new Set<string>();
  for (const tier of rules.tiers) for (const list of tierAlternatives(tier)) for (const c of list) names.add(c.column);
  return [...names];
}

/** Adds leads `start` … `end - 1` to `counts[(from * nTo + to) * 3 + {0 leads, 1 labeled, 2 conversions}]`. */
export type TierKernel = (inputs: KernelInputs, counts: Float64Array, start: number, end: number) => void;

export interface KernelInputs {
  rows: number;
  /** The rule set's columns, in the order given to {@link compileTierKernel}. */
  columns: readonly TypedColumn[];
  /** The compared rule set's tier of each lead, as an index (0 … its tier count). */
  from: ArrayLike<number>;
  /** 0/1 conversion, NULL (invalid) for an unlabeled lead. */
  label: TypedColumn;
}

export type KernelResult = {ok: true; kernel: TierKernel; tiers: number} | {ok: false; reason: string};

/**
 * Leads a compiled loop is given between two yields to the event loop: ~5–10 ms of work once the
 * loop is optimised, and short enough while it is not (the first count of a page, on cores busy
 * starting the engine).
 */
export const LOOP_SLICE = 1 << 18;

/** Generated loops by shape (see compileTierKernel); a few dozen cover any editing session. */
const LOOPS = new Map<string, Loop>();
const MAX_LOOPS = 64;
type Loop = (...args: unknown[]) => void;

/** The operand as a number of the column's reading, or null when the types differ. */
function operand(value: unknown, kind: "number" | "boolean"): number | null {
  if (kind === "boolean") return typeof value === "boolean" ? Number(value) : null;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * One condition as a JavaScript test of row `i`, its operands read from `o<j>` (pushed onto
 * `operands`), or a reason it cannot be one.
 */
function conditionSource(c: NormalizedCondition, k: number, kind: "number" | "boolean", nullable: boolean, operands: number[]): string | {reason: string} {
  const entry = operatorOf(c);
  const loop = entry.js;
  if ("declines" in loop) return {reason: `the loop cannot test ${c.op} (${c.column}): ${loop.declines}`};
  const present = nullable ? `n${k}[i] === 1` : "";
  if ("present" in loop) {
    const wanted = loop.present(c.value);
    if (!nullable) return wanted ? "true" : "false";
    return wanted ? present : `n${k}[i] === 0`;
  }
  const numbers = entry.values(c.value).map((x) => operand(x, kind));
  if (numbers.some((x) => x === null)) return {reason: `${c.column} is compared with ${JSON.stringify(c.value)}, not a ${kind}`};
  const ops = numbers.map((x) => {
    operands.push(x as number);
    return `o${operands.length - 1}`;
  });
  const test = loop.test(`x${k}`, ops);
  return present ? `(${present} && (${test}))` : `(${test})`;
}

/** A rule set's CASE as JavaScript statements setting `to` for row `i`, and the operands they read. */
type Branches = {ok: true; branches: string[]; operands: number[]} | {ok: false; reason: string};

/** An AND list of conditions as a JavaScript test of row `i` (its operands pushed onto `operands`). */
function listSource(list: readonly Condition[], names: readonly string[], kinds: ReadonlyMap<string, "number" | "boolean">, nullable: ReadonlySet<string>, operands: number[]): string | {reason: string} {
  const parts: string[] = [];
  for (const raw of list) {
    const c = normalizeCondition(raw);
    const k = names.indexOf(c.column);
    const kind = kinds.get(c.column);
    if (k < 0 || kind === undefined) return {reason: `${c.column} was not read into the preview`};
    const source = conditionSource(c, k, kind, nullable.has(c.column), operands);
    if (typeof source !== "string") return source;
    parts.push(source);
  }
  return parts.length ? parts.join(" && ") : "false";
}

/** Each tier's lists of conditions as JavaScript tests (operands pushed onto `operands`), or why not. */
function tierSources(rules: RuleSet, names: readonly string[], kinds: ReadonlyMap<string, "number" | "boolean">, nullable: ReadonlySet<string>, operands: number[]): string[][] | {reason: string} {
  const tiers: string[][] = [];
  for (const tier of rules.tiers) {
    const alternatives: string[] = [];
    for (const list of tierAlternatives(tier)) {
      const source = listSource(list, names, kinds, nullable, operands);
      if (typeof source !== "string") return source;
      alternatives.push(source);
    }
    tiers.push(alternatives);
  }
  return tiers;
}

/** First-match statements setting `to` from tier `first` on (an else-if chain). */
const chain = (tiers: readonly string[][], first = 0): string[] =>
  tiers.slice(first).map((alternatives, i) => `${i === 0 ? "if" : "else if"} (${alternatives.map((a) => `(${a})`).join(" || ") || "false"}) to = ${first + i};`);

function tierBranches(rules: RuleSet, names: readonly string[], kinds: ReadonlyMap<string, "number" | "boolean">, nullable: ReadonlySet<string>): Branches {
  const operands: number[] = [];
  const tiers = tierSources(rules, names, kinds, nullable, operands);
  if (!Array.isArray(tiers)) return {ok: false, reason: tiers.reason};
  return {ok: true, branches: chain(tiers), operands};
}

/**
 * The loop for `body` (cached by the body's text and the operands' kind), called with the
 * operands as a typed array; or why it could not be compiled.
 */
function compileLoop(params: readonly string[], body: string, operands: readonly number[]): {ok: true; run: (...args: unknown[]) => void} | {ok: false; reason: string} {
  // Integer operands as an Int32Array: the engine then compares small integers, not doubles. The
  // array's kind is part of the shape (one loop each), so neither loop sees the other's numbers.
  const integers = operands.every((x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31);
  const key = (integers ? "int32\n" : "float64\n") + params.join(",") + "\n" + body;
  let loop = LOOPS.get(key);
  if (!loop) {
    try {
      loop = new Function(...params, body) as Loop;
    } catch (error) {
      return {ok: false, reason: `this page may not compile JavaScript (${error instanceof Error ? error.message : String(error)})`};
    }
    if (LOOPS.size >= MAX_LOOPS) LOOPS.delete(LOOPS.keys().next().value as string);
    LOOPS.set(key, loop);
  }
  const values = integers ? Int32Array.from(operands) : Float64Array.from(operands);
  const run = loop;
  return {ok: true, run: (inputs, ...rest) => run(inputs, values, ...rest)};
}

/** The statements of a loop over rows `start` … `end - 1` that computes `to` (the tier index) of each. */
function rowLoop(names: readonly string[], branches: Extract<Branches, {ok: true}>, tiers: number, head: string, tail: string[]): string {
  return [
    ...names.map((_, k) => `const v${k} = inputs.columns[${k}].values, n${k} = inputs.columns[${k}].valid;`),
    ...branches.operands.map((_, j) => `const o${j} = operands[${j}];`),
    head,
    "for (let i = start; i < end; ++i) {",
    ...names.map((_, k) => `  const x${k} = v${k}[i];`),
    `  let to = ${tiers - 1};`,
    ...branches.branches.map((b) => "  " + b),
    ...tail.map((line) => "  " + line),
    "}"
  ].join("\n");
}

/**
 * Compiles the count of leads per (compared tier, this rule set's tier) pair for a batch whose
 * columns are `names` (NULLs as given by `nullable`). The rule set must be valid (parseRuleSet).
 *
 * The generated loop depends only on the rule set's shape (tiers, operators, columns); thresholds
 * and values are passed in, so moving a threshold reuses a loop the JavaScript engine has already
 * optimised, which is what makes an edit on a million leads take milliseconds.
 */
export function compileTierKernel(
  rules: RuleSet,
  names: readonly string[],
  kinds: ReadonlyMap<string, "number" | "boolean">,
  nullable: ReadonlySet<string>,
  labelNullable: boolean
): KernelResult {
  const branches = tierBranches(rules, names, kinds, nullable);
  if (!branches.ok) return branches;
  const tiers = rules.tiers.length + 1;
  const body = rowLoop(names, branches, tiers, "const from = inputs.from, lv = inputs.label.values, ln = inputs.label.valid;", [
    `const cell = (from[i] * ${tiers} + to) * 3;`,
    "counts[cell] += 1;",
    labelNullable ? "if (ln[i] === 1) { counts[cell + 1] += 1; counts[cell + 2] += lv[i]; }" : "counts[cell + 1] += 1; counts[cell + 2] += lv[i];"
  ]);
  const loop = compileLoop(["inputs", "operands", "counts", "start", "end"], body, branches.operands);
  if (!loop.ok) return loop;
  const run = loop.run;
  return {ok: true, kernel: (inputs, counts, start, end) => run(inputs, counts, start, end), tiers};
}

/** Writes each lead's tier index (0 … the rule set's tier count, the last being "no tier") for rows `start` … `end - 1`. */
export type TierIndexer = (inputs: {columns: readonly TypedColumn[]}, out: Int16Array, start: number, end: number) => void;

/**
 * Compiles the rule set to a loop writing each lead's tier index: what
 * `compileCheckedTierCase(rules, {yields: "index"})` gives in SQL, for a batch whose columns are
 * `names`. The compared rule set's tier of every lead, when the leads come from the page's columns
 * file instead of the engine (src/lib/tiers/preview-source.ts).
 */
export function compileTierIndex(
  rules: RuleSet,
  names: readonly string[],
  kinds: ReadonlyMap<string, "number" | "boolean">,
  nullable: ReadonlySet<string>
): {ok: true; indexer: TierIndexer} | {ok: false; reason: string} {
  const branches = tierBranches(rules, names, kinds, nullable);
  if (!branches.ok) return branches;
  const body = rowLoop(names, branches, rules.tiers.length + 1, "", ["out[i] = to;"]);
  const loop = compileLoop(["inputs", "operands", "out", "start", "end"], body, branches.operands);
  if (!loop.ok) return loop;
  const run = loop.run;
  return {ok: true, indexer: (inputs, out, start, end) => run(inputs, out, start, end)};
}

/**
 * What the one-threshold sweep counts for rows `start` … `end - 1` (src/lib/tiers/sweep.ts), with
 * first-match semantics: a lead an earlier tier catches counts there; one a list of the tier other
 * than the swept one (`enabled`) catches counts in the tier whatever the threshold; any other lead
 * counts in the tier it falls to and, when the swept list holds on its other conditions, in the
 * candidates from `ray` on. The rule set's swept condition is given operands that every present
 * value meets, so the swept list's test is its other conditions and the column's presence.
 */
export interface SweepInputs {
  columns: readonly TypedColumn[];
  label: TypedColumn;
  /** The tier's lists that take leads whatever the threshold: bit a for list a (every list but the swept one). */
  enabled: number;
  /** The swept list: bit a for list a. */
  swept: number;
  /** Counts per cell: (tiers after the swept one + the fallback) × 3. */
  width: number;
  /** The swept column's position among the loop's columns. */
  column: number;
  /** The first cell a value meets the condition from (`cells`: never): by `value − lo` for whole numbers, else a function. */
  ray: Int32Array | ((x: number) => number);
  lo: number;
  cells: number;
}

/** Adds rows to `fixed` (per tier up to the swept one), `reach` (per later tier) and `taken` (per cell and later tier), ×3. */
export type SweepKernel = (inputs: SweepInputs, fixed: Float64Array, reach: Float64Array, taken: Float64Array, start: number, end: number) => void;

/**
 * Compiles the sweep's one pass over tier `tierIndex` of `rules`. The loop's code depends only on
 * the rule set's shape and the tier, not on which threshold moves (that is in the inputs and the
 * operands), so every sweep of a tier's thresholds runs a loop the engine has already optimised.
 */
export function compileSweepKernel(
  rules: RuleSet,
  tierIndex: number,
  names: readonly string[],
  kinds: ReadonlyMap<string, "number" | "boolean">,
  nullable: ReadonlySet<string>,
  options: {labelNullable: boolean; rayTable: boolean}
): {ok: true; kernel: SweepKernel} | {ok: false; reason: string} {
  const operands: number[] = [];
  const tiers = tierSources(rules, names, kinds, nullable, operands);
  if (!Array.isArray(tiers)) return {ok: false, reason: tiers.reason};
  const k = tierIndex;
  if (tiers[k].length > 30) return {ok: false, reason: `tier ${rules.tiers[k].id} has ${tiers[k].length} lists of conditions; the sweep's loop takes at most 30`};
  const later = chain(tiers, k + 1);
  // Which lists hold, as bits: no branch depends on which threshold moves, so sweeping another
  // threshold of the tier runs the code the engine has already optimised (a branch first taken
  // after optimisation throws that code away).
  const statements = [
    ...(k > 0 ? [...chain(tiers.slice(0, k)), "else {"] : ["{"]),
    `  const lists = ${tiers[k].map((test, a) => `(${test} ? ${1 << a} : 0)`).join(" | ")};`,
    `  if ((lists & en) !== 0) to = ${k};`,
    "  else {",
    "    hold = (lists & sel) !== 0;",
    ...later.map((line) => "    " + line),
    "  }",
    "}"
  ];
  const body = rowLoop(names, {ok: true, branches: ["let hold = false;", ...statements], operands}, rules.tiers.length + 1, `const lv = inputs.label.values, ln = inputs.label.valid, en = inputs.enabled, sel = inputs.swept, width = inputs.width, sc = inputs.column, ray = inputs.ray, lo = inputs.lo, m = inputs.cells, pick = new Float64Array(${names.length});`, [
    options.labelNullable ? "const l = ln[i] === 1 ? 1 : 0, c = l === 1 ? lv[i] : 0;" : "const l = 1, c = lv[i];",
    `if (to <= ${k}) { const f = to * 3; fixed[f] += 1; fixed[f + 1] += l; fixed[f + 2] += c; continue; }`,
    `const slot = (to - ${k + 1}) * 3;`,
    "reach[slot] += 1; reach[slot + 1] += l; reach[slot + 2] += c;",
    "if (hold) {",
    // (The swept value picked from the row's reads by index, not by a branch per column.)
    `  ${names.map((_, j) => `pick[${j}] = x${j};`).join(" ")}`,
    `  const x = pick[sc], s = ${options.rayTable ? "ray[(x - lo) | 0]" : "ray(x)"};`,
    "  if (s < m) { const at = s * width + slot; taken[at] += 1; taken[at + 1] += l; taken[at + 2] += c; }",
    "}"
  ]);
  const loop = compileLoop(["inputs", "operands", "fixed", "reach", "taken", "start", "end"], body, operands);
  if (!loop.ok) return loop;
  const run = loop.run;
  return {ok: true, kernel: (inputs, fixed, reach, taken, start, end) => run(inputs, fixed, reach, taken, start, end)};
}
