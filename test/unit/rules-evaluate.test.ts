import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {Value} from "../../src/lib/connector.js";
import {
  compileTierCase,
  evaluateCondition,
  evaluateTier,
  OPERATORS,
  parseRuleSet,
  type Condition,
  type RuleSet,
  type Tier
} from "../../src/lib/rules/index.js";
import {literal, quoteIdentifier} from "../../src/lib/sql.js";
import {conditionOn, OperatorCounts, operatorIn} from "./rule-arbitraries.js";

describe("evaluateCondition (SQL three-valued logic)", () => {
  const row = {n: 5, s: "a", b: true, z: null};

  it("compares non-NULL values", () => {
    expect(evaluateCondition({column: "n", eq: 5}, row)).toBe(true);
    expect(evaluateCondition({column: "n", ne: 5}, row)).toBe(false);
    expect(evaluateCondition({column: "n", lt: 5}, row)).toBe(false);
    expect(evaluateCondition({column: "n", lte: 5}, row)).toBe(true);
    expect(evaluateCondition({column: "n", gt: 4.5}, row)).toBe(true);
    expect(evaluateCondition({column: "n", gte: 5.5}, row)).toBe(false);
    expect(evaluateCondition({column: "n", between: [5, 5]}, row)).toBe(true);
    expect(evaluateCondition({column: "n", between: [5.5, 6]}, row)).toBe(false);
    expect(evaluateCondition({column: "n", notBetween: [5, 5]}, row)).toBe(false);
    expect(evaluateCondition({column: "n", notBetween: [0, 5]}, row)).toBe(false);
    expect(evaluateCondition({column: "n", notBetween: [5.5, 6]}, row)).toBe(true);
    expect(evaluateCondition({column: "n", notBetween: [0, 4.5]}, row)).toBe(true);
    expect(evaluateCondition({column: "s", in: ["b", "a"]}, row)).toBe(true);
    expect(evaluateCondition({column: "s", notIn: ["b", "a"]}, row)).toBe(false);
    expect(evaluateCondition({column: "s", eq: "A"}, row)).toBe(false);
    expect(evaluateCondition({column: "b", eq: true}, row)).toBe(true);
    expect(evaluateCondition({column: "b", ne: false}, row)).toBe(true);
  });

  it("is unknown (null) for every comparison with NULL, including ne and notIn", () => {
    for (const condition of [
      {column: "z", eq: 1},
      {column: "z", ne: 1},
      {column: "z", lt: 1},
      {column: "z", lte: 1},
      {column: "z", gt: 1},
      {column: "z", gte: 1},
      {column: "z", between: [0, 2]},
      {column: "z", notBetween: [0, 2]},
      {column: "z", in: [1]},
      {column: "z", notIn: [1]}
    ] as Condition[]) {
      expect(evaluateCondition(condition, row)).toBeNull();
    }
  });

  it("treats a missing column as NULL, and tests NULL with isNull", () => {
    expect(evaluateCondition({column: "missing", ne: 1}, row)).toBeNull();
    expect(evaluateCondition({column: "z", isNull: true}, row)).toBe(true);
    expect(evaluateCondition({column: "z", isNull: false}, row)).toBe(false);
    expect(evaluateCondition({column: "missing", isNull: true}, row)).toBe(true);
    expect(evaluateCondition({column: "n", isNull: true}, row)).toBe(false);
  });
});

describe("evaluateTier", () => {
  const rules: RuleSet = {
    name: "r",
    description: "",
    tiers: [
      {
        id: "A",
        label: "a",
        when: [
          {column: "x", gte: 10},
          {column: "y", ne: "no"}
        ]
      },
      {id: "B", label: "b", anyOf: [[{column: "x", lt: 0}], [{column: "y", isNull: true}]]}
    ],
    fallback: {id: "F", label: "f"}
  };

  it("takes the first matching tier", () => {
    expect(evaluateTier(rules, {x: 10, y: "yes"})).toBe("A");
    expect(evaluateTier(rules, {x: 10, y: null})).toBe("B");
    expect(evaluateTier(rules, {x: -1, y: "no"})).toBe("B");
  });

  it("lets a lead with NULL in a tested column fall through", () => {
    expect(evaluateTier(rules, {x: null, y: "yes"})).toBe("F");
    expect(evaluateTier(rules, {x: 10, y: "no"})).toBe("F");
  });
});

// --- Property: the TypeScript evaluator and DuckDB's CASE agree on every row -------------------

const NUMBERS = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 2, 3];
const INTEGERS = [-2, -1, 0, 1, 2, 3];
const STRINGS = ["a", "b", "A", "", "O'Brien", 'x"; DROP TABLE p; --'];
const COLUMNS = {
  n1: {type: "INTEGER", values: INTEGERS, kind: "number"},
  'we"ird col': {type: "DOUBLE", values: NUMBERS, kind: "number"},
  s: {type: "VARCHAR", values: STRINGS, kind: "string"},
  b: {type: "BOOLEAN", values: [true, false], kind: "boolean"}
} as const;
type Column = keyof typeof COLUMNS;
const NAMES = Object.keys(COLUMNS) as Column[];

/** A condition on a column of the fixture, any operator of the table, operands drawn so rows often sit exactly on them. */
function condition(column: Column): fc.Arbitrary<Condition> {
  const {kind, values} = COLUMNS[column];
  return conditionOn(column, kind, fc.constantFrom(...(kind === "number" ? NUMBERS : values)));
}

const anyCondition = fc.constantFrom(...NAMES).chain(condition);
const andList = fc.array(anyCondition, {minLength: 1, maxLength: 3});
const tierCriteria: fc.Arbitrary<Pick<Tier, "when" | "anyOf">> = fc.oneof(
  andList.map((when) => ({when})),
  fc.array(andList, {minLength: 1, maxLength: 3}).map((anyOf) => ({anyOf}))
);
const ruleSets: fc.Arbitrary<RuleSet> = fc.array(tierCriteria, {minLength: 1, maxLength: 4}).map((criteria) => ({
  name: "random",
  description: "",
  tiers: criteria.map((c, i) => ({id: `T${i}`, label: `tier ${i}`, ...c})),
  fallback: {id: "FALLBACK", label: "fallback"}
}));
const row = fc.record(
  Object.fromEntries(
    NAMES.map((name) => [name, fc.option(fc.constantFrom(...(COLUMNS[name].values as readonly Value[])), {freq: 4})])
  ) as Record<Column, fc.Arbitrary<Value>>
);

describe("evaluateTier equals DuckDB's CASE", () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(() => db?.close());

  it("for random rule sets and rows with NULLs and values on the thresholds", async () => {
    let rowsChecked = 0;
    const decided = new OperatorCounts();
    await fc.assert(
      fc.asyncProperty(ruleSets, fc.array(row, {minLength: 1, maxLength: 25, size: "max"}), async (rules, rows) => {
        parseRuleSet(rules); // every generated rule set is valid
        const defs = NAMES.map((n) => `${quoteIdentifier(n)} ${COLUMNS[n].type}`).join(", ");
        await db.run(`CREATE OR REPLACE TABLE p (rid INTEGER, ${defs})`);
        const values = rows.map((r, i) => `(${[i, ...NAMES.map((n) => literal(r[n]))].join(", ")})`);
        await db.run(`INSERT INTO p VALUES ${values.join(", ")}`);
        const result = await db.query(`SELECT rid, ${compileTierCase(rules)} AS tier FROM p ORDER BY rid`);
        expect(result.map((r) => r.tier)).toEqual(rows.map((r) => evaluateTier(rules, r)));
        rowsChecked += rows.length;
        for (const tier of rules.tiers) for (const c of tier.when ?? tier.anyOf!.flat()) for (const r of rows) decided.add(`${operatorIn(c)} ${evaluateCondition(c, r)}`);
      }),
      {numRuns: 300, seed: 20251221}
    );
    expect(rowsChecked).toBeGreaterThan(1000);
    // Every operator of the table was true and false on many rows (a NULL-only operator is never unknown).
    expect(decided.below(OPERATORS.flatMap((op) => [`${op} true`, `${op} false`]), 50)).toEqual({});
  });
});
