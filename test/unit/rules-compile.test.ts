import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {
  compileCondition,
  compileTierCase,
  describeTier,
  evaluateCondition,
  OPERATORS,
  groupOrder,
  RuleSetError,
  tierGroups,
  tierOrder,
  type RuleSet
} from "../../src/lib/rules/index.js";
import {tierCountsSql} from "../../src/lib/tiers/report.js";
import {conditionWith, OperatorCounts, operatorsFor} from "./rule-arbitraries.js";

const small: RuleSet = {
  name: "small",
  description: "every operator once",
  tiers: [
    {
      id: "HOT",
      label: "Hot",
      group: "PRIORITY",
      when: [
        {column: "tenure", between: [12, 36]},
        {column: "firm", eq: "O'Brien"},
        {column: "flag", eq: true}
      ]
    },
    {
      id: "WARM",
      label: "Warm",
      group: "PRIORITY",
      anyOf: [
        [{column: "net", lt: -10}],
        [
          {column: "net", gte: 0},
          {column: "state", in: ["NY", "CA"]}
        ]
      ]
    },
    {
      id: "COLD",
      label: "Cold",
      when: [
        {column: "state", notIn: ["TX"]},
        {column: "note", isNull: true},
        {column: "tenure", isNull: false},
        {column: "net", ne: 0},
        {column: "tenure", lte: 100},
        {column: "tenure", gt: 1.5}
      ]
    }
  ],
  fallback: {id: "REST", label: "Rest"}
};

const DUCKDB_CASE = `CASE
  WHEN ("tenure" BETWEEN 12 AND 36 AND "firm" = 'O''Brien' AND "flag" = TRUE) THEN 'HOT'
  WHEN ("net" < -10) OR ("net" >= 0 AND "state" IN ('NY', 'CA')) THEN 'WARM'
  WHEN ("state" NOT IN ('TX') AND "note" IS NULL AND "tenure" IS NOT NULL AND "net" <> 0 AND "tenure" <= 100 AND "tenure" > 1.5) THEN 'COLD'
  ELSE 'REST'
END`;

const BIGQUERY_CASE = `CASE
  WHEN (\`tenure\` BETWEEN 12 AND 36 AND \`firm\` = 'O\\'Brien' AND \`flag\` = TRUE) THEN 'HOT'
  WHEN (\`net\` < -10) OR (\`net\` >= 0 AND \`state\` IN ('NY', 'CA')) THEN 'WARM'
  WHEN (\`state\` NOT IN ('TX') AND \`note\` IS NULL AND \`tenure\` IS NOT NULL AND \`net\` <> 0 AND \`tenure\` <= 100 AND \`tenure\` > 1.5) THEN 'COLD'
  ELSE 'REST'
END`;

const columns: ColumnInfo[] = [
  {name: "id", kind: "number", type: "INTEGER"},
  {name: "tenure", kind: "number", type: "INTEGER"},
  {name: "firm", kind: "string", type: "VARCHAR"},
  {name: "flag", kind: "boolean", type: "BOOLEAN"},
  {name: "net", kind: "number", type: "INTEGER"},
  {name: "state", kind: "string", type: "VARCHAR"},
  {name: "note", kind: "string", type: "VARCHAR"}
];

let db: NodeConnector;

beforeAll(async () => {
  db = await NodeConnector.open();
  await db.run(
    `CREATE TABLE t (id INTEGER, tenure INTEGER, firm VARCHAR, flag BOOLEAN, net INTEGER, state VARCHAR, note VARCHAR)`
  );
  // Each row's tier, worked by hand from the rules above:
  await db.run(`INSERT INTO t VALUES
    (1, 12, 'O''Brien', TRUE, 5, 'TX', NULL),    -- HOT: tenure 12 on the lower bound, firm and flag match
    (2, 36, 'O''Brien', TRUE, 0, 'NY', NULL),    -- HOT: tenure 36 on the upper bound
    (3, 37, 'O''Brien', TRUE, -11, 'TX', NULL),  -- WARM: tenure 37 misses HOT; net -11 < -10
    (4, 20, 'OBrien', TRUE, -10, 'NY', NULL),    -- COLD: firm differs (not HOT), net -10 is neither < -10 nor >= 0 (not WARM)
    (5, 20, NULL, NULL, 0, 'CA', NULL),          -- WARM: net 0 >= 0 and state CA
    (6, 20, NULL, NULL, 0, NULL, NULL),          -- REST: state NULL makes IN unknown and NOT IN unknown
    (7, 1, NULL, NULL, 3, 'WA', NULL),           -- REST: tenure 1 is not > 1.5
    (8, 2, NULL, NULL, 3, 'WA', 'x'),            -- REST: note is not NULL
    (9, 2, NULL, NULL, 3, 'WA', NULL),           -- COLD
    (10, NULL, 'O''Brien', TRUE, NULL, NULL, NULL) -- REST: every tested column NULL`);
});

afterAll(() => db?.close());

describe("compileTierCase", () => {
  it("gives the exact DuckDB text", () => {
    expect(compileTierCase(small)).toBe(DUCKDB_CASE);
    expect(compileTierCase(small, {dialect: "duckdb"})).toBe(DUCKDB_CASE);
  });

  it("gives the exact BigQuery text", () => {
    expect(compileTierCase(small, {dialect: "bigquery"})).toBe(BIGQUERY_CASE);
  });

  it("is accepted by DuckDB on a typed table, and assigns the hand-worked tiers", async () => {
    await db.query(`EXPLAIN SELECT ${compileTierCase(small)} AS tier FROM t`);
    const rows = await db.query(`SELECT id, ${compileTierCase(small)} AS tier FROM t ORDER BY id`);
    expect(rows.map((r) => r.tier)).toEqual([
      "HOT",
      "HOT",
      "WARM",
      "COLD",
      "WARM",
      "REST",
      "REST",
      "REST",
      "COLD",
      "REST"
    ]);
  });

  it("checks column names against the table's columns when given", () => {
    expect(compileTierCase(small, {columns})).toBe(DUCKDB_CASE);
    expect(() => compileTierCase(small, {columns: columns.filter((c) => c.name !== "note")})).toThrow(RuleSetError);
    expect(() => compileTierCase(small, {columns: columns.filter((c) => c.name !== "note")})).toThrow(
      /tier "COLD" condition 2 \(note\): unknown column "note"/
    );
  });

  it("refuses an invalid rule set", () => {
    const bad = {...small, tiers: [{id: "X", label: "x", when: [{column: "a", between: [3, 1]}]}]} as RuleSet;
    expect(() => compileTierCase(bad)).toThrow(/between needs min ≤ max, got \[3, 1\]/);
  });

  it("nests with an indent", () => {
    const one: RuleSet = {
      name: "one",
      description: "",
      tiers: [{id: "A", label: "a", when: [{column: "x", gte: 1}]}],
      fallback: {id: "B", label: "b"}
    };
    expect(compileTierCase(one, {indent: "    "})).toBe(
      `CASE\n      WHEN ("x" >= 1) THEN 'A'\n      ELSE 'B'\n    END`
    );
  });
});

describe("compileCondition", () => {
  it("compiles each operator", () => {
    expect(compileCondition({column: "a", eq: 1})).toBe(`"a" = 1`);
    expect(compileCondition({column: "a", ne: "x"})).toBe(`"a" <> 'x'`);
    expect(compileCondition({column: "a", lt: -0.5})).toBe(`"a" < -0.5`);
    expect(compileCondition({column: "a", lte: 2})).toBe(`"a" <= 2`);
    expect(compileCondition({column: "a", gt: 2})).toBe(`"a" > 2`);
    expect(compileCondition({column: "a", gte: 2})).toBe(`"a" >= 2`);
    expect(compileCondition({column: "a", between: [-10, -1]})).toBe(`"a" BETWEEN -10 AND -1`);
    expect(compileCondition({column: "a", in: [true, false]})).toBe(`"a" IN (TRUE, FALSE)`);
    expect(compileCondition({column: "a", notIn: [1]})).toBe(`"a" NOT IN (1)`);
    expect(compileCondition({column: "a", isNull: true})).toBe(`"a" IS NULL`);
    expect(compileCondition({column: "a", isNull: false}, "bigquery")).toBe("`a` IS NOT NULL");
    expect(compileCondition({column: "a", notBetween: [-10, -1]})).toBe(`"a" NOT BETWEEN -10 AND -1`);
    expect(compileCondition({column: "a b", notBetween: [1.5, 2]}, "bigquery")).toBe("`a b` NOT BETWEEN 1.5 AND 2");
    expect(compileCondition({column: "a", startsWith: "O'Br"})).toBe(`starts_with("a", 'O''Br')`);
    expect(compileCondition({column: "a", startsWith: "O'Br\\"}, "bigquery")).toBe("STARTS_WITH(`a`, 'O\\'Br\\\\')");
  });

  it("startsWith: DuckDB keeps exactly the rows the evaluator keeps, on tricky text", async () => {
    const values = ["", "a", "A", "abc", "a_c", "abc%", "%", "%x", "_", "_x", "O'Brien", "o'brien", "é", "e\u0301", "中文", "🎉x", "\\", 'x"y', "a b", null];
    await db.run(`CREATE OR REPLACE TABLE prefixes AS SELECT * FROM (VALUES ${values.map((v, i) => `(${i}, ${v === null ? "NULL::VARCHAR" : `'${v.replace(/'/g, "''")}'`})`).join(", ")}) t(id, s)`);
    const rows = values.map((s, id) => ({id, s}));
    const kept = async (prefix: string) => (await db.query(`SELECT id FROM prefixes WHERE ${compileCondition({column: "s", startsWith: prefix})} ORDER BY id`)).map((r) => r.id as number);
    for (const prefix of ["", "a", "A", "ab", "abc%", "%", "_", "a_", "O'", "o'", "é", "e", "e\u0301", "中", "🎉", "\\", 'x"', "a ", "abcd", "zzz"]) {
      expect(await kept(prefix), JSON.stringify(prefix)).toEqual(rows.filter((r) => evaluateCondition({column: "s", startsWith: prefix}, r) === true).map((r) => r.id));
    }
    // By hand: % and _ are themselves (no LIKE pattern), case counts, "" keeps every non-NULL value, NULL never.
    expect(await kept("%")).toEqual([6, 7]);
    expect(await kept("_")).toEqual([8, 9]);
    expect(await kept("a")).toEqual([1, 3, 4, 5, 18]);
    expect(await kept("e")).toEqual([13]);
    expect(await kept("")).toEqual(values.flatMap((v, i) => (v === null ? [] : [i])));
    expect(describeTier({id: "X", label: "x", when: [{column: "s", startsWith: "O'"}]})).toBe(`s starts with "O'"`);
  });

  it("notBetween keeps, on the hand-worked table, the rows outside the range and not its ends nor NULL", async () => {
    // tenure by id: 12 36 37 20 20 20 1 2 2 NULL; outside [12, 36]: ids 3 (37), 7 (1), 8 (2), 9 (2).
    const rows = await db.query(`SELECT id FROM t WHERE ${compileCondition({column: "tenure", notBetween: [12, 36]})} ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual([3, 7, 8, 9]);
    expect(describeTier({id: "X", label: "x", when: [{column: "tenure", notBetween: [12, 36]}]})).toBe("tenure not between 12 and 36");
  });
});

describe("every operator of the table", () => {
  it("DuckDB keeps, on the hand-worked table, exactly the rows the evaluator keeps", async () => {
    const pools = {
      number: fc.constantFrom(-11, -10, 0, 1, 1.5, 2, 12, 20, 36, 37, 100),
      string: fc.constantFrom("O'Brien", "OBrien", "O", "o", "TX", "NY", "CA", "W", "", "x"),
      boolean: fc.boolean()
    } as const;
    const kept = new OperatorCounts();
    const rows = await db.query(`SELECT * FROM t ORDER BY id`);
    for (const {name, kind} of columns.filter((c) => c.name !== "id")) {
      for (const op of operatorsFor(kind)) {
        for (const c of fc.sample(conditionWith(name, op, pools[kind as keyof typeof pools]), {numRuns: 8, seed: 7})) {
          const got = await db.query(`SELECT id FROM t WHERE ${compileCondition(c)} ORDER BY id`);
          const want = rows.filter((r) => evaluateCondition(c, r) === true);
          expect(got.map((r) => r.id), JSON.stringify(c)).toEqual(want.map((r) => r.id));
          kept.add(`${op} ${got.length > 0 ? "kept" : "none"}`);
          kept.add(`${op} ${got.length < rows.length ? "dropped" : "all"}`);
        }
      }
    }
    // (Each operator both kept and dropped rows somewhere, so the comparisons said something.)
    expect(kept.below(OPERATORS.flatMap((op) => [`${op} kept`, `${op} dropped`]), 1)).toEqual({});
  });
});

describe("hostile names and values", () => {
  const evil = `x"; DROP TABLE leads; --`;
  const hostile: RuleSet = {
    name: "hostile",
    description: "",
    tiers: [
      {id: "T'1", label: "quote", when: [{column: evil, eq: "O'Brien"}]},
      {id: "T2", label: "drop", when: [{column: evil, in: ["'); DROP TABLE leads; --", "a\\'b"]}]},
      {id: "T3", label: "backtick", when: [{column: "a`b", eq: 1}]}
    ],
    fallback: {id: "REST'); DROP TABLE leads; --", label: "rest"}
  };

  it("come out quoted in DuckDB text", () => {
    const sql = compileTierCase(hostile);
    expect(sql).toContain(`"x""; DROP TABLE leads; --" = 'O''Brien'`);
    expect(sql).toContain(`"x""; DROP TABLE leads; --" IN ('''); DROP TABLE leads; --', 'a\\''b')`);
    expect(sql).toContain(`THEN 'T''1'`);
    expect(sql).toContain(`ELSE 'REST''); DROP TABLE leads; --'`);
  });

  it("come out quoted in BigQuery text", () => {
    const sql = compileTierCase(hostile, {dialect: "bigquery"});
    expect(sql).toContain("`x\"; DROP TABLE leads; --` = 'O\\'Brien'");
    expect(sql).toContain("'\\'); DROP TABLE leads; --'");
    expect(sql).toContain("'a\\\\\\'b'");
    expect(sql).toContain("`a\\`b` = 1");
  });

  it("run in DuckDB, match as data, and leave the table in place", async () => {
    await db.run(
      `CREATE TABLE leads ("x""; DROP TABLE leads; --" VARCHAR, "a\`b" INTEGER, contacted_date DATE, target INTEGER)`
    );
    await db.run(`INSERT INTO leads VALUES
      ('O''Brien', 0, DATE '2024-03-01', 1),
      ('''); DROP TABLE leads; --', 0, DATE '2024-03-01', 0),
      ('a\\''b', 0, DATE '2024-03-01', 0),
      ('other', 1, DATE '2024-03-01', 0),
      ('other', 2, DATE '2024-03-01', NULL)`);
    const rows = await db.query(tierCountsSql(hostile) + " ORDER BY tier");
    expect(rows).toEqual([
      {tier: "REST'); DROP TABLE leads; --", leads: 1, labeled: 0, conversions: 0},
      {tier: "T'1", leads: 1, labeled: 1, conversions: 1},
      {tier: "T2", leads: 2, labeled: 2, conversions: 0},
      {tier: "T3", leads: 1, labeled: 1, conversions: 0}
    ]);
    expect(await db.query(`SELECT COUNT(*) AS n FROM leads`)).toEqual([{n: 5}]);
  });
});

describe("tier order and groups", () => {
  it("lists tiers in CASE order with the fallback last", () => {
    expect(tierOrder(small)).toEqual(["HOT", "WARM", "COLD", "REST"]);
  });

  it("maps each tier to its group (its own id when it has none)", () => {
    expect(Object.fromEntries(tierGroups(small))).toEqual({
      HOT: "PRIORITY",
      WARM: "PRIORITY",
      COLD: "COLD",
      REST: "REST"
    });
    expect(groupOrder(small)).toEqual([
      {id: "PRIORITY", tiers: ["HOT", "WARM"]},
      {id: "COLD", tiers: ["COLD"]},
      {id: "REST", tiers: ["REST"]}
    ]);
  });

  it("describes criteria in words", () => {
    expect(describeTier(small.tiers[1])).toBe(`(net < -10) or (net ≥ 0 and state in ("NY", "CA"))`);
    expect(describeTier(small.tiers[0])).toBe(`tenure between 12 and 36 and firm = "O'Brien" and flag = true`);
  });
});
