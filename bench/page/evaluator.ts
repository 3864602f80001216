/**
 * Experiment: the edit loop's joint aggregate computed in JavaScript over typed arrays instead of
 * SQL. Rule sets are compiled to one JavaScript function (first matching tier wins, like the SQL
 * CASE); the function runs over the rule columns (copied once out of DuckDB) and counts leads,
 * labeled leads and conversions per (compared tier, edited tier) pair — the same cells as
 * comparisonSql. Only numeric and boolean columns are supported (a rule on text returns null).
 *
 * Semantics: a CASE branch is taken only when its predicate is TRUE. Predicates are ORs of ANDs of
 * comparisons with no negation above them, so a comparison with NULL (unknown) can be read as
 * false without changing any branch — except `isNull`, which tests NULL itself.
 */
import type {ColumnInfo} from "../../src/lib/columns.js";
import type {MigrationCell} from "../../src/lib/compare.js";
import {normalizeCondition, tierAlternatives} from "../../src/lib/rules/conditions.js";
import type {RuleSet} from "../../src/lib/rules/types.js";

/** One column: values (any numeric typed array) and, when it has NULLs, a validity array (1 = present). */
export interface TypedColumn {
  values: ArrayLike<number>;
  valid: Uint8Array | null;
}

export interface TypedTable {
  rows: number;
  columns: Map<string, TypedColumn>;
  /** target (0/1); NULL = not labeled. */
  target: TypedColumn;
}

/** The columns a rule set reads. */
export function ruleColumns(rules: RuleSet): string[] {
  const names = new Set<string>();
  for (const tier of rules.tiers) for (const list of tierAlternatives(tier)) for (const c of list) names.add(c.column);
  return [...names];
}

type Counter = (table: TypedTable, counts: Float64Array) => void;

/** JavaScript source of one rule set's tier index for row `i` (variables `v<k>`/`n<k>` hold the columns). */
function tierExpression(rules: RuleSet, slot: Map<string, number>, kinds: Map<string, ColumnInfo["kind"]>): string | null {
  const branches: string[] = [];
  for (const [index, tier] of rules.tiers.entries()) {
    const alternatives: string[] = [];
    for (const list of tierAlternatives(tier)) {
      const parts: string[] = [];
      for (const raw of list) {
        const c = normalizeCondition(raw);
        const kind = kinds.get(c.column);
        if (kind !== "number" && kind !== "boolean") return null;
        const k = slot.get(c.column)!;
        const v = `v${k}[i]`;
        const present = `(n${k} === null || n${k}[i] === 1)`;
        const num = (x: unknown) => {
          if (typeof x === "boolean") return x ? "1" : "0";
          if (typeof x !== "number" || !Number.isFinite(x)) throw new Error("unsupported literal");
          return String(x);
        };
        let test: string;
        try {
          switch (c.op) {
            case "isNull":
              test = c.value ? `!${present}` : present;
              break;
            case "between":
              test = `${present} && ${v} >= ${num(c.value[0])} && ${v} <= ${num(c.value[1])}`;
              break;
            case "in":
              test = `${present} && (${c.value.map((x) => `${v} === ${num(x)}`).join(" || ")})`;
              break;
            case "notIn":
              test = `${present} && ${c.value.map((x) => `${v} !== ${num(x)}`).join(" && ")}`;
              break;
            default: {
              const op = {eq: "===", ne: "!==", lt: "<", lte: "<=", gt: ">", gte: ">="}[c.op];
              test = `${present} && ${v} ${op} ${num(c.value)}`;
            }
          }
        } catch {
          return null;
        }
        parts.push(`(${test})`);
      }
      alternatives.push(parts.length ? `(${parts.join(" && ")})` : "false");
    }
    branches.push(`(${alternatives.join(" || ") || "false"}) ? ${index} : `);
  }
  return `${branches.join("")}${rules.tiers.length}`;
}

/** Declarations of the column variables the generated code reads. */
function prelude(names: string[]): string[] {
  return [
    ...names.map((n, k) => `const c${k} = table.columns.get(${JSON.stringify(n)}); const v${k} = c${k}.values; const n${k} = c${k}.valid;`),
    "const tv = table.target.values, tn = table.target.valid;"
  ];
}

const COUNT = ["  counts[cell] += 1;", "  if (tn === null || tn[i] === 1) { counts[cell + 1] += 1; counts[cell + 2] += tv[i]; }"];

/**
 * Compiles the joint count for two rule sets: `counts[(from * nTo + to) * 3 + {0: leads, 1: labeled,
 * 2: conversions}]`, `from` the tier under `compare`, `to` under `current`. Null when unsupported.
 */
export function compileJointCounter(current: RuleSet, compare: RuleSet, columns: readonly ColumnInfo[]): Counter | null {
  const names = [...new Set([...ruleColumns(current), ...ruleColumns(compare)])];
  const slot = new Map(names.map((n, k) => [n, k]));
  const kinds = new Map(columns.map((c) => [c.name, c.kind]));
  const to = tierExpression(current, slot, kinds);
  const from = tierExpression(compare, slot, kinds);
  if (to === null || from === null) return null;
  const nTo = current.tiers.length + 1;
  const body = [
    ...prelude(names),
    "for (let i = 0, rows = table.rows; i < rows; ++i) {",
    `  const from = ${from};`,
    `  const to = ${to};`,
    `  const cell = (from * ${nTo} + to) * 3;`,
    ...COUNT,
    "}"
  ].join("\n");
  return new Function("table", "counts", body) as Counter;
}

/** Compiles one rule set's tier index per lead into `out` (to cache the compared rule set's tiers). */
export function compileTierIndex(rules: RuleSet, columns: readonly ColumnInfo[]): ((table: TypedTable, out: Uint8Array) => void) | null {
  const names = ruleColumns(rules);
  const tier = tierExpression(rules, new Map(names.map((n, k) => [n, k])), new Map(columns.map((c) => [c.name, c.kind])));
  if (tier === null) return null;
  const body = [...prelude(names), "for (let i = 0, rows = table.rows; i < rows; ++i) out[i] = " + tier + ";"].join("\n");
  return new Function("table", "out", body) as (table: TypedTable, out: Uint8Array) => void;
}

/** Like {@link compileJointCounter}, the compared tiers read from `fromTiers` (see compileTierIndex). */
export function compileCachedCounter(current: RuleSet, fromTiers: Uint8Array, columns: readonly ColumnInfo[]): Counter | null {
  const names = ruleColumns(current);
  const to = tierExpression(current, new Map(names.map((n, k) => [n, k])), new Map(columns.map((c) => [c.name, c.kind])));
  if (to === null) return null;
  const nTo = current.tiers.length + 1;
  const body = [
    ...prelude(names),
    "for (let i = 0, rows = table.rows; i < rows; ++i) {",
    `  const cell = (fromTiers[i] * ${nTo} + (${to})) * 3;`,
    ...COUNT,
    "}"
  ].join("\n");
  const run = new Function("table", "counts", "fromTiers", body) as (table: TypedTable, counts: Float64Array, fromTiers: Uint8Array) => void;
  return (table, counts) => run(table, counts, fromTiers);
}

/** Runs the compiled counter and returns the migration cells (non-empty pairs), like compareRuleSets' matrix. */
export function jointCounts(current: RuleSet, compare: RuleSet, table: TypedTable, counter: Counter): MigrationCell[] {
  const idsTo = [...current.tiers.map((t) => t.id), current.fallback.id];
  const idsFrom = [...compare.tiers.map((t) => t.id), compare.fallback.id];
  const counts = new Float64Array(idsFrom.length * idsTo.length * 3);
  counter(table, counts);
  const cells: MigrationCell[] = [];
  for (let f = 0; f < idsFrom.length; ++f) {
    for (let t = 0; t < idsTo.length; ++t) {
      const cell = (f * idsTo.length + t) * 3;
      if (counts[cell] > 0) cells.push({from: idsFrom[f], to: idsTo[t], leads: counts[cell], labeled: counts[cell + 1], conversions: counts[cell + 2]});
    }
  }
  return cells;
}
