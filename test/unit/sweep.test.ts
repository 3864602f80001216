// The threshold sweep must give, at every candidate value, exactly what `tierlab report` gives for
// that tier with the threshold set there. Checked on a hand-worked table and, for random rule sets,
// swept conditions, populations and NULL-laden data, against tierReport of the modified rule set
// (one SQL CASE in DuckDB, the independent computation) — on both paths, the aggregate SQL query and
// the tier page's compiled loop over typed columns.
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {populationWhere, type Population} from "../../src/lib/population.js";
import {parseRuleSet, type Condition, type RuleSet, type Tier} from "../../src/lib/rules/index.js";
import {quoteIdentifier} from "../../src/lib/sql.js";
import {columnDistribution} from "../../src/lib/lead-arrays.js";
import {candidateValues, locateThreshold, readLeadColumns, sweep, sweepColumns, sweepJson, sweepSql, THRESHOLD_OPERATORS, withThresholds, type Bound, type Sweep, type SweepRequest} from "../../src/lib/tiers/sweep.js";
import {tierReport} from "../../src/lib/tiers/report.js";
import {ruleColumns} from "../../src/lib/rules/js-compile.js";
import {leadArbitrary, writeLeads} from "./lead-arbitraries.js";
import {conditionOn, OperatorCounts} from "./rule-arbitraries.js";

let db: NodeConnector;
beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db?.close());

/** The swept tier's row of tierReport with the threshold at `value`, as a sweep point. */
async function oracle(rules: RuleSet, request: SweepRequest, value: number, population: Population, table: string, columns: readonly ColumnInfo[]) {
  const t = locateThreshold(rules, request.tier, request.condition, request.bound ?? null);
  const report = await tierReport(db, withThresholds(rules, [t], [value]), {population, table, columns});
  const row = report.tiers.find((r) => r.id === request.tier)!;
  return {value, leads: row.leads, labeled: row.labeled, conversions: row.conversions, rate: row.rate, ci: row.ci ?? [null, null], lift: row.lift, liftVsFallback: row.liftVsFallback};
}

describe("a sweep on a hand-worked table", () => {
  // Tiers: A = (x ≥ 5 and y = 1) or (x ≤ 1); B = y = 1 (later); fallback REST.
  // Sweeping A's condition 1.1 (x ≥ v). Leads:
  //   x    y    target
  //   1    0    1      → A always (list 2: x ≤ 1)
  //   2    1    0      → A when v ≤ 2, else B (y = 1)
  //   5    1    1      → A when v ≤ 5, else B
  //   5    0    1      → REST (list 1 needs y = 1; list 2 needs x ≤ 1)
  //   9    1    1      → A when v ≤ 9, else B
  //   NULL 1    0      → B (x ≥ v is never true on NULL)
  //   7    1    NULL   → A when v ≤ 7 (unlabeled: volume only), else B
  const rules: RuleSet = {
    name: "hand",
    tiers: [
      {id: "A", label: "A", anyOf: [[{column: "x", gte: 5}, {column: "y", eq: 1}], [{column: "x", lte: 1}]]},
      {id: "B", label: "B", when: [{column: "y", eq: 1}]}
    ],
    fallback: {id: "REST", label: "Rest"}
  };
  let columns: ColumnInfo[];
  beforeAll(async () => {
    await db.run(`CREATE OR REPLACE TABLE hand AS SELECT x, y, target, DATE '2024-03-01' AS contacted_date FROM (VALUES (1, 0, 1), (2, 1, 0), (5, 1, 1), (5, 0, 1), (9, 1, 1), (NULL, 1, 0), (7, 1, NULL)) t(x, y, target)`);
    columns = await describeColumns(db, "hand");
  });

  // Population: 7 leads, 6 labeled, 4 conversions: rate 2/3.
  const expected = [
    // v = 1: A takes x 1 (always) and x 2, 5, 9, 7 with y = 1: 5 leads, 4 labeled (7 is not), 3 conversions (1, 5, 9).
    {value: 1, leads: 5, labeled: 4, conversions: 3},
    // v = 2: the same leads (x 2 ≥ 2).
    {value: 2, leads: 5, labeled: 4, conversions: 3},
    // v = 5: x 2 falls to B: 4 leads (1, 5, 9, 7), 3 labeled, 3 conversions.
    {value: 5, leads: 4, labeled: 3, conversions: 3},
    // v = 8: x 5 and 7 fall to B: 2 leads (1, 9), both converted.
    {value: 8, leads: 2, labeled: 2, conversions: 2},
    // v = 10: only x 1 (list 2).
    {value: 10, leads: 1, labeled: 1, conversions: 1}
  ];

  for (const path of ["sql", "loop"] as const) {
    it(`gives each value's leads, labeled and conversions, rate, interval and lift (${path})`, async () => {
      const request = {tier: "A", condition: "1.1", values: [10, 1, 5, 2, 8]};
      let s: Sweep | {reason: string};
      if (path === "sql") s = await sweepSql(db, rules, request, {table: "hand", columns});
      else {
        const leads = await readLeadColumns(db, columns, {}, ruleColumns(rules), "hand");
        if ("reason" in leads) throw new Error(leads.reason);
        s = await sweepColumns(leads, rules, request);
      }
      if ("reason" in s) throw new Error(s.reason);
      expect(s.countedBy).toBe(path);
      expect(s.points.map(({value, leads, labeled, conversions}) => ({value, leads, labeled, conversions}))).toEqual(expected);
      // Lift: rate over the population's 4/6, whatever the threshold.
      expect(s.points[2].rate).toBe(1);
      expect(s.points[2].lift).toBeCloseTo(1.5, 12);
      expect(s.points[0].lift).toBeCloseTo(0.75 / (4 / 6), 12);
      expect(s.population).toEqual({leads: 7, labeled: 6, conversions: 4, rate: 4 / 6});
      for (const p of s.points) expect(p).toEqual(await oracle(rules, request, p.value, {}, "hand", columns));
    });
  }

  it("a tier of more than 30 lists is counted by SQL, and says why", async () => {
    // Tier A's lists 2–31 are x ≤ 1 again: the same leads as the two-list tier above.
    const many: RuleSet = {...rules, tiers: [{...rules.tiers[0], anyOf: [rules.tiers[0].anyOf![0], ...Array.from({length: 30}, () => [{column: "x", lte: 1}])]}, rules.tiers[1]]};
    const request = {tier: "A", condition: "1.1", values: [10, 1, 5, 2, 8]};
    const leads = await readLeadColumns(db, columns, {}, ruleColumns(many), "hand");
    if ("reason" in leads) throw new Error(leads.reason);
    expect(await sweepColumns(leads, many, request)).toEqual({reason: "tier A has 31 lists of conditions; the sweep's loop takes at most 30"});
    const s = await sweep(db, many, request, {table: "hand", schema: columns, preferLoop: true});
    expect(s.countedBy).toBe("sql");
    expect(s.reason).toBe("tier A has 31 lists of conditions; the sweep's loop takes at most 30");
    expect(s.points.map(({value, leads, labeled, conversions}) => ({value, leads, labeled, conversions}))).toEqual(expected);
  });

  it("without values, sweeps every observed value of the column and the current one", async () => {
    const s = await sweepSql(db, rules, {tier: "A", condition: "1.1"}, {table: "hand", columns});
    // x holds 1, 2, 5, 7, 9 (NULL is not a value); the current threshold 5 is among them.
    expect(s.points.map((p) => p.value)).toEqual([1, 2, 5, 7, 9]);
    expect(sweepJson(s)).toEqual({tier: "A", condition: "1.1", column: "x", operator: "gte", bound: null, current: 5, points: s.points.map(({liftVsFallback: _, ...p}) => p)});
    expect(Object.keys(sweepJson(s).points[0])).toEqual(["value", "leads", "labeled", "conversions", "rate", "ci", "lift"]);
  });

  it("a point without labeled leads has null rate and lift and [null, null] interval", async () => {
    const nobody: RuleSet = {name: "z", tiers: [{id: "Z", label: "Z", when: [{column: "x", lte: 0}]}], fallback: {id: "REST", label: "Rest"}};
    // x ≤ −5: no lead (the smallest x is 1).
    const s = await sweepSql(db, nobody, {tier: "Z", condition: "1", values: [-5]}, {table: "hand", columns});
    expect(s.points[0]).toMatchObject({value: -5, leads: 0, labeled: 0, conversions: 0, rate: null, ci: [null, null], lift: null});
  });
});

describe("what cannot be swept: one sentence each", () => {
  const rules = parseRuleSet(JSON.parse(JSON.stringify({
    name: "R",
    tiers: [
      {id: "T1", label: "t1", anyOf: [[{column: "a", between: [12, 36]}, {column: "b", lte: 10}], [{column: "c", startsWith: "x"}]]},
      {id: "T2", label: "t2", when: [{column: "a", gte: 3}, {column: "a", eq: 1}]}
    ],
    fallback: {id: "S", label: "s"}
  })));
  const cases: [string, string, Bound | null, RegExp][] = [
    ["NOPE", "1", null, /^no tier "NOPE" in R \(its tiers: T1, T2\)$/],
    ["S", "1", null, /^S is the fallback tier of R: it has no conditions to move$/],
    ["T1", "2", null, /^tier T1 is an anyOf of 2 lists: name the condition as A\.N \(condition N of list A\), e\.g\. 1\.2$/],
    ["T1", "3.1", null, /^tier T1 has no list 3 \(its anyOf has lists 1–2\)$/],
    ["T1", "1.3", null, /^tier T1 has no condition 1\.3 \(list 1 has conditions 1–2\)$/],
    ["T2", "1.1", null, /^tier T2 has one list of conditions \(when\): name the condition by its position, 1–2$/],
    ["T2", "7", null, /^tier T2 has no condition 7 \(its conditions are 1–2\)$/],
    ["T2", "x", null, /^a condition is named by its position, N or A\.N \(1-based\), got "x"$/],
    ["T1", "2.1", null, /^condition 2\.1 of tier T1 tests c with startsWith; only numeric thresholds \(lt, lte, gt, gte, between, notBetween\) can be moved$/],
    ["T2", "2", null, /^condition 2 of tier T2 tests a with eq; only numeric thresholds/],
    ["T1", "1.1", null, /^condition 1\.1 of tier T1 is a range \(a between \[12,36\]\): say which end moves, low or high$/],
    ["T1", "1.2", "low", /^condition 1\.2 of tier T1 is lte 10, a single threshold: low and high are only for between and notBetween$/]
  ];
  for (const [tier, condition, bound, message] of cases) {
    it(`${tier} ${condition}${bound ? ` ${bound}` : ""}`, () => {
      expect(() => locateThreshold(rules, tier, condition, bound)).toThrow(message);
    });
  }

  it("a given value that would invert the range", async () => {
    await db.run(`CREATE OR REPLACE TABLE r AS SELECT 1 AS a, 2 AS b, 'x' AS c, 1 AS target, DATE '2024-01-01' AS contacted_date`);
    const columns = await describeColumns(db, "r");
    await expect(sweepSql(db, rules, {tier: "T1", condition: "1.1", bound: "low", values: [40]}, {table: "r", columns})).rejects.toThrow(/^40 cannot be the low end of a between \[…, 36\]: the range needs low ≤ high$/);
  });

  it("a text column or a DECIMAL one, when the schema is known", async () => {
    await db.run(`CREATE OR REPLACE TABLE d AS SELECT 1.5::DECIMAL(4,2) AS dec, 1 AS target, DATE '2024-01-01' AS contacted_date`);
    const columns = await describeColumns(db, "d");
    const dec = parseRuleSet({name: "D", tiers: [{id: "T", label: "t", when: [{column: "dec", lte: 2}]}], fallback: {id: "S", label: "s"}}, columns);
    expect(() => locateThreshold(dec, "T", "1", null, columns)).toThrow(/^condition 1 of tier T: dec is DECIMAL\(4,2\), which JavaScript numbers cannot compare exactly like SQL; only exact numbers can be moved$/);
  });
});

describe("candidate values", () => {
  it("every distinct value up to the count, else quantiles at ranks ⌊i(n−1)/(count−1)⌋", () => {
    // 10 leads: values 1 ×4, 2, 3 ×2, 7, 8, 9.
    const dist = columnDistribution({values: Int16Array.from([3, 1, 1, 9, 2, 1, 8, 3, 7, 1]), valid: null}, 10);
    expect([...dist.values]).toEqual([1, 2, 3, 7, 8, 9]);
    expect([...dist.counts]).toEqual([4, 1, 2, 1, 1, 1]);
    expect(candidateValues(dist, 6)).toEqual([1, 2, 3, 7, 8, 9]);
    // count 4: ranks 0, 3, 6, 9 of 1 1 1 1 2 3 3 7 8 9 → 1, 1, 3, 9 → 1, 3, 9.
    expect(candidateValues(dist, 4)).toEqual([1, 3, 9]);
    // count 3: ranks 0, 4, 9 → 1, 2, 9.
    expect(candidateValues(dist, 3)).toEqual([1, 2, 9]);
  });

  it("doubles and NULLs: sorted, NULLs left out", () => {
    const dist = columnDistribution({values: Float64Array.from([0.5, -1.25, 0.5, 99, 1e9 + 0.5]), valid: Uint8Array.from([1, 1, 1, 0, 1])}, 5);
    expect([...dist.values]).toEqual([-1.25, 0.5, 1e9 + 0.5]);
    expect([...dist.counts]).toEqual([1, 2, 1]);
  });
});

// --- Property: both paths equal tierReport of the rule set with the threshold moved --------------

const COLUMNS = {
  i: {type: "INTEGER", values: [-2, -1, 0, 1, 2, 3]},
  s: {type: "SMALLINT", values: [0, 1, 2, 5, 10]},
  big: {type: "BIGINT", values: [-3, 0, 4, 7]},
  'we"ird col': {type: "DOUBLE", values: [-1.5, -0.5, 0, 0.1, 0.5, 1, 2.25]},
  b: {type: "BOOLEAN", values: [true, false]},
  t: {type: "VARCHAR", values: ["ab", "b", "abc"]}
} as const;
type Column = keyof typeof COLUMNS;
const NUMERIC: Column[] = ["i", "s", "big", 'we"ird col'];
const OPERANDS = [-2, -1.5, -1, -0.5, 0, 0.1, 0.5, 1, 2, 2.25, 3, 5, 7];

function condition(column: Column): fc.Arbitrary<Condition> {
  if (column === "b") return conditionOn(column, "boolean", fc.boolean());
  if (column === "t") return conditionOn(column, "string", fc.constantFrom("a", "ab", "b", "zz"));
  return conditionOn(column, "number", fc.constantFrom(...OPERANDS));
}
const andList = (names: readonly Column[]) => fc.array(fc.constantFrom(...names).chain(condition), {minLength: 1, maxLength: 2});
const criteria = (names: readonly Column[]): fc.Arbitrary<Pick<Tier, "when" | "anyOf">> =>
  fc.oneof(andList(names).map((when) => ({when})), fc.array(andList(names), {minLength: 1, maxLength: 3}).map((anyOf) => ({anyOf})));
/** A numeric threshold condition, any operator of THRESHOLD_OPERATORS. */
const threshold = fc.tuple(fc.constantFrom(...NUMERIC), fc.constantFrom(...THRESHOLD_OPERATORS), fc.constantFrom(...OPERANDS), fc.constantFrom(...OPERANDS)).map(([column, op, a, b]) =>
  (op === "between" || op === "notBetween" ? {column, [op]: a <= b ? [a, b] : [b, a]} : {column, [op]: a}) as Condition
);
/** A rule set with a threshold (`swept`) put into one of its tiers' lists, and where it is. */
const sweepCaseOf = (names: readonly Column[], swept: fc.Arbitrary<Condition>) =>
  fc
    .tuple(fc.array(criteria(names), {minLength: 1, maxLength: 3}), swept, fc.nat(), fc.nat(), fc.nat(), fc.constantFrom<Bound>("low", "high"))
    .map(([generatedTiers, swept, tierPick, listPick, posPick, bound]) => {
      // (A copy: fast-check may map the same generated value again while shrinking.)
      const tiers = structuredClone(generatedTiers);
      const k = tierPick % tiers.length;
      const lists = tiers[k].anyOf ?? [tiers[k].when!];
      const a = listPick % lists.length;
      const p = posPick % (lists[a].length + 1);
      lists[a].splice(p, 0, swept);
      const rules: RuleSet = {name: "P", tiers: tiers.map((c, i) => ({id: `T${i}`, label: `t ${i}`, ...c})), fallback: {id: "REST", label: "Rest"}};
      const op = Object.keys(swept).find((key) => key !== "column")!;
      const ranged = op === "between" || op === "notBetween";
      return {rules, request: {tier: `T${k}`, condition: tiers[k].anyOf ? `${a + 1}.${p + 1}` : String(p + 1), bound: ranged ? bound : null} as SweepRequest, op: ranged ? `${op}:${bound}` : op, anyOf: lists.length > 1, earlier: k > 0};
    });
const sweepCase = fc.boolean().chain((withText) => sweepCaseOf(withText ? [...NUMERIC, "b", "t"] : [...NUMERIC, "b"], threshold));
const population: fc.Arbitrary<Population> = fc.record(
  {from: fc.constantFrom("2024-01-01", "2024-02-01"), to: fc.constantFrom("2024-02-15", "2024-03-31"), split: fc.constantFrom("TRAIN", "TEST"), excludeWirehouse: fc.boolean(), analysisDate: fc.constant("2024-03-31"), maturityDays: fc.constantFrom(0, 30, 60)},
  {requiredKeys: []}
).map((p) => (p.maturityDays !== undefined && !p.analysisDate ? {...p, maturityDays: undefined} : p));
const lead = leadArbitrary(COLUMNS);

const OPERATOR_CASES = ["lt", "lte", "gt", "gte", "between:low", "between:high", "notBetween:low", "notBetween:high"];

describe("sweep equals tierReport with the threshold moved (DuckDB)", () => {
  it("for random rule sets, swept conditions, populations and leads with NULLs, by SQL and by the loop", async () => {
    const operators = new OperatorCounts();
    const shapes = new OperatorCounts();
    let loop = 0;
    let points = 0;
    await fc.assert(
      fc.asyncProperty(sweepCase, fc.oneof(fc.constant({}), population), fc.array(lead, {minLength: 0, maxLength: 80, size: "max"}), fc.option(fc.array(fc.constantFrom(...OPERANDS, 4, 100), {minLength: 1, maxLength: 5}), {freq: 2}), fc.integer({min: 1, max: 64}), async (c, pop, leads, given, slice) => {
        const columns = await writeLeads(db, COLUMNS, leads);
        const rules = parseRuleSet(c.rules, columns);
        const t = locateThreshold(rules, c.request.tier, c.request.condition, c.request.bound ?? null, columns);
        // Given values that fit the range (a range's end cannot pass its other end).
        const values = given?.filter((v) => (t.bound === "low" ? v <= t.other! : t.bound === "high" ? v >= t.other! : true));
        const request = {...c.request, ...(values?.length ? {values} : {})};
        const viaSql = await sweepSql(db, rules, request, {population: pop, table: "p", columns});
        const viaLoop = await sweep(db, rules, request, {population: pop, table: "p", schema: columns, preferLoop: true, slice});
        const textual = ruleColumns(rules).includes("t");
        expect(viaLoop.countedBy).toBe(textual ? "sql" : "loop");
        if (!textual) loop++;
        expect(viaLoop.points).toEqual(viaSql.points);
        expect(viaLoop.population).toEqual(viaSql.population);
        // Whole numbers are looked up in a table from value to first candidate; the same by searching the candidates.
        const searched = await sweep(db, rules, request, {population: pop, table: "p", schema: columns, preferLoop: true, slice, rayTable: 0});
        expect(searched.points).toEqual(viaSql.points);
        for (const point of viaSql.points) expect(point).toEqual(await oracle(rules, request, point.value, pop, "p", columns));
        points += viaSql.points.length;
        // Without values: every observed value of the column in the population, and the current one.
        if (!request.values) {
          const observed = await db.query(`SELECT DISTINCT ${quoteIdentifier(t.column)} AS v FROM p WHERE ${quoteIdentifier(t.column)} IS NOT NULL AND ${populationWhere(pop)}`);
          const admissible = [...observed.map((r) => Number(r.v)), t.current].filter((v) => (t.bound === "low" ? v <= t.other! : t.bound === "high" ? v >= t.other! : true));
          expect(viaSql.points.map((p) => p.value)).toEqual([...new Set(admissible)].sort((a, b) => a - b));
        }
        operators.add(c.op);
        shapes.add(c.anyOf ? "anyOf with other lists" : "one list");
        if (c.earlier) shapes.add("earlier tiers");
        // (The tier's volume changes along the sweep: the threshold matters in this case.)
        if (new Set(viaSql.points.map((p) => p.leads)).size > 1) shapes.add("moves");
      }),
      {numRuns: 200, seed: 20261216}
    );
    expect(operators.below(OPERATOR_CASES, 8)).toEqual({});
    expect(shapes.below(["anyOf with other lists", "one list", "earlier tiers", "moves"], 20)).toEqual({});
    expect(loop).toBeGreaterThan(80);
    expect(points).toBeGreaterThan(400);
  });
});

describe("the loop's table from whole-number value to first candidate", () => {
  it("gives the SQL's points for every operator, on whole-number columns with many leads", async () => {
    // (The property above mixes a double column and text into its rules; here every rule is on whole
    // numbers, where the loop looks each lead's value up in its table, with enough leads to move the tier.)
    const whole: Column[] = ["i", "s", "big"];
    const swept = threshold.filter((c) => whole.includes(c.column as Column));
    const moving = new OperatorCounts();
    await fc.assert(
      fc.asyncProperty(sweepCaseOf([...whole, "b"], swept), fc.array(lead, {minLength: 40, maxLength: 200}), fc.integer({min: 1, max: 64}), async (c, leads, slice) => {
        const columns = await writeLeads(db, COLUMNS, leads);
        const rules = parseRuleSet(c.rules, columns);
        const viaSql = await sweepSql(db, rules, c.request, {table: "p", columns});
        const viaTable = await sweep(db, rules, c.request, {table: "p", schema: columns, preferLoop: true, slice});
        expect(viaTable.countedBy).toBe("loop");
        expect(viaTable.points).toEqual(viaSql.points);
        if (new Set(viaSql.points.map((p) => p.leads)).size > 1) moving.add(c.op);
      }),
      {numRuns: 300, seed: 20261203}
    );
    expect(moving.below(OPERATOR_CASES, 6)).toEqual({});
  });
});
