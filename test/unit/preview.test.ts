// The tier preview's JavaScript loop must give exactly what DuckDB's CASE gives: checked against a
// hand-worked example and, for random rule sets, populations and data with NULLs, against
// compareRuleSets (one SQL scan in DuckDB) — the independent computation.
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {readFileSync, mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {copyToPreviewColumns} from "../../loaders/leads-arrow.js";
import {decodePreviewColumns} from "../../src/components/leadsArrowFile.js";
import type {PreviewSource} from "../../src/lib/tiers/preview-source.js";
import type {Provenance} from "../../src/lib/provenance.js";
import {compileTierKernel, ruleColumns} from "../../src/lib/rules/js-compile.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {compareRuleSets, type MigrationCell} from "../../src/lib/tiers/compare.js";
import type {Connector} from "../../src/lib/connector.js";
import type {Population} from "../../src/lib/population.js";
import {SCAN_FIRST_REASON, TierPreview} from "../../src/lib/tiers/preview.js";
import {parseRuleSet, type Condition, type RuleSet, type Tier} from "../../src/lib/rules/index.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {appliesTo, OPERATOR_TABLE, OPERATORS} from "../../src/lib/rules/operators.js";
import {leadArbitrary, writeLeads} from "./lead-arbitraries.js";
import {conditionOn, OperatorCounts, operatorIn} from "./rule-arbitraries.js";

const sorted = (m: readonly MigrationCell[]) => [...m].sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`));

/** A connector without the columnar path: the preview must convert its rows. */
const rowsOnly = (conn: Connector): Connector => ({dialect: conn.dialect, query: (sql) => conn.query(sql)});

const PROVENANCE: Provenance = {kind: "synthetic", source: "test", exportedAt: "2026-12-01T00:00:00Z", rows: 0};

let db: NodeConnector;
beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db?.close());

describe("TierPreview on a hand-worked table", () => {
  // x:  1  5  5  9  9  NULL   target: 1 0 1 1 0 NULL
  const A: RuleSet = {name: "A", description: "", tiers: [{id: "HIGH", label: "High", when: [{column: "x", gte: 9}]}, {id: "MID", label: "Mid", when: [{column: "x", gte: 5}]}], fallback: {id: "REST", label: "Rest"}};
  const B: RuleSet = {name: "B", description: "", tiers: [{id: "HIGH", label: "High", when: [{column: "x", gte: 5}]}], fallback: {id: "REST", label: "Rest"}};
  let columns: ColumnInfo[];
  beforeAll(async () => {
    await db.run(`CREATE OR REPLACE TABLE hand AS SELECT x, target, DATE '2024-03-01' AS contacted_date, 'a' AS note FROM (VALUES (1, 1), (5, 0), (5, 1), (9, 1), (9, 0), (NULL, NULL)) t(x, target)`);
    columns = await describeColumns(db, "hand");
  });

  it("counts both rule sets and the migration in JavaScript", async () => {
    const c = await new TierPreview(db, columns, "hand").compare(A, B);
    expect(c.countedBy).toBe("loop");
    // Worked by hand: under B HIGH = x ≥ 5 (4 leads, 4 labeled, 2 conversions); under A HIGH = x 9, MID = x 5.
    expect(c.compare.tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions])).toEqual([["HIGH", 4, 4, 2], ["REST", 2, 1, 1]]);
    expect(c.current.tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions])).toEqual([["HIGH", 2, 2, 1], ["MID", 2, 2, 1], ["REST", 2, 1, 1]]);
    expect(c.matrix.map((m) => `${m.from}→${m.to}:${m.leads}`).sort()).toEqual(["HIGH→HIGH:2", "HIGH→MID:2", "REST→REST:2"]);
  });

  it("reads the population once and reuses it while only thresholds change", async () => {
    const preview = new TierPreview(db, columns, "hand");
    const first = await preview.compare(A, B);
    const moved = structuredClone(A);
    (moved.tiers[1].when![0] as {gte: number}).gte = 2;
    const second = await preview.compare(moved, B);
    expect(first.readMs).toBeGreaterThan(0);
    expect(second.readMs).toBe(0);
    expect(second.current.tiers.map((t) => t.leads)).toEqual([2, 2, 2]); // MID is now x ≥ 2: still 5, 5
    const third = await preview.compare(moved, B, {population: {to: "2024-02-01"}});
    expect(third.readMs).toBeGreaterThan(0);
    expect(third.current.population.leads).toBe(0);
  });

  it("with scanFirst, answers the first comparison by SQL and counts the next ones in JavaScript on the leads it read meanwhile", async () => {
    const preview = new TierPreview(db, columns, "hand", {scanFirst: true});
    const first = await preview.compare(A, B);
    expect([first.countedBy, first.reason, first.readMs]).toEqual(["sql", SCAN_FIRST_REASON, 0]);
    expect(first.current.tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions])).toEqual([["HIGH", 2, 2, 1], ["MID", 2, 2, 1], ["REST", 2, 1, 1]]);
    const next = await preview.compare(A, B);
    expect(next.countedBy).toBe("loop");
    expect(next.current.tiers).toEqual(first.current.tiers);
    expect(next.matrix.map((m) => `${m.from}→${m.to}:${m.leads}`).sort()).toEqual(["HIGH→HIGH:2", "HIGH→MID:2", "REST→REST:2"]);
    // Once read, the population is not read again; a new population is first scanned again.
    expect((await preview.compare(A, B)).readMs).toBe(0);
    const other = await preview.compare(A, B, {population: {to: "2024-02-01"}});
    expect([other.countedBy, other.current.population.leads]).toEqual(["sql", 0]);
  });

  it("with scanFirst, a failed read is forgotten: the next comparison scans and reads again", async () => {
    let fail = true;
    const flaky: Connector = {
      dialect: "duckdb",
      query: (sql) => (fail && sql.includes("tier_from") && !sql.includes("GROUP BY") ? Promise.reject(new Error("engine busy")) : db.query(sql))
    };
    const preview = new TierPreview(flaky, columns, "hand", {scanFirst: true});
    expect((await preview.compare(A, B)).countedBy).toBe("sql");
    await expect(preview.compare(A, B)).rejects.toThrow(/engine busy/);
    fail = false;
    expect((await preview.compare(A, B)).countedBy).toBe("sql");
    const again = await preview.compare(A, B);
    expect(again.countedBy).toBe("loop");
    expect(again.current.tiers.map((t) => t.leads)).toEqual([2, 2, 2]);
  });

  it("counts notBetween in the loop: x outside [2, 8] is 1, 9, 9; NULL falls through", async () => {
    const outside: RuleSet = {name: "O", tiers: [{id: "OUT", label: "Out", when: [{column: "x", notBetween: [2, 8]}]}], fallback: {id: "REST", label: "Rest"}};
    const c = await new TierPreview(db, columns, "hand").compare(outside, B);
    expect(c.countedBy).toBe("loop");
    // Worked by hand: OUT = x 1 (target 1), 9 (1), 9 (0); REST = 5 (0), 5 (1), NULL (NULL).
    expect(c.current.tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions])).toEqual([["OUT", 3, 3, 2], ["REST", 3, 2, 1]]);
  });

  it("counts a startsWith rule by SQL (the loop declines it), and a compared rule set with one still in the loop", async () => {
    const prefix: RuleSet = {name: "P", tiers: [{id: "NOTE_A", label: "a", when: [{column: "note", startsWith: "a"}]}, {id: "NOTE_B", label: "b", when: [{column: "note", startsWith: "b"}]}], fallback: {id: "REST", label: "Rest"}};
    const c = await new TierPreview(db, columns, "hand").compare(prefix, B);
    expect(c.countedBy).toBe("sql");
    expect(c.reason).toMatch(/note is a text column/);
    // Every note is 'a': all six leads in NOTE_A.
    expect(c.current.tiers.map((t) => [t.id, t.leads])).toEqual([["NOTE_A", 6], ["NOTE_B", 0], ["REST", 0]]);
    const back = await new TierPreview(db, columns, "hand").compare(B, prefix);
    expect(back.countedBy).toBe("loop");
    expect(back.matrix.map((m) => `${m.from}→${m.to}:${m.leads}`).sort()).toEqual(["NOTE_A→HIGH:4", "NOTE_A→REST:2"]);
  });

  it("the loop compiler declines startsWith with the table's reason", () => {
    const prefix: RuleSet = {name: "P", tiers: [{id: "T", label: "t", when: [{column: "x", startsWith: "1"}]}], fallback: {id: "REST", label: "Rest"}};
    const compiled = compileTierKernel(prefix, ["x"], new Map([["x", "number"]]), new Set(), false);
    expect(compiled).toEqual({ok: false, reason: "the loop cannot test startsWith (x): it tests text, and the loop reads only number and boolean columns"});
  });

  it("falls back to SQL, and says why, for a rule on a text column", async () => {
    const text: RuleSet = {...A, tiers: [{id: "NOTE", label: "Note", when: [{column: "note", eq: "a"}]}]};
    const c = await new TierPreview(db, columns, "hand").compare(text, B);
    expect(c.countedBy).toBe("sql");
    expect(c.reason).toMatch(/note is a text column/);
    expect(c.current.tiers[0].leads).toBe(6);
  });
});

describe("TierPreview where a page may not compile JavaScript", () => {
  it("falls back to SQL when new Function is refused (a strict Content-Security-Policy)", async () => {
    await db.run(`CREATE OR REPLACE TABLE csp AS SELECT * FROM (VALUES (1, 1), (7, 0), (8, 1)) t(q, target)`);
    const columns = await describeColumns(db, "csp");
    // A shape no other test compiles (compiled loops are cached by shape), so the loop is compiled here.
    const rules: RuleSet = {name: "c", description: "", tiers: [{id: "T", label: "T", when: [{column: "q", gte: 7}, {column: "q", lte: 100}, {column: "q", notIn: [2, 3, 4, 5, 6]}]}], fallback: {id: "REST", label: "Rest"}};
    // Refuse only the preview's loop: the validator (zod) compiles code too and has its own fallback.
    const RealFunction = Function;
    vi.stubGlobal(
      "Function",
      new Proxy(RealFunction, {
        construct(target, args: string[]) {
          if (String(args.at(-1)).includes("for (let i = start; i < end; ++i)")) throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
          return Reflect.construct(target, args);
        }
      })
    );
    try {
      const c = await new TierPreview(db, columns, "csp").compare(rules, rules);
      expect(c.countedBy).toBe("sql");
      expect(c.reason).toMatch(/may not compile JavaScript .*unsafe-eval/);
      expect(c.current.tiers[0].leads).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("TierPreview falls back where JavaScript numbers would differ from SQL", () => {
  it("DOUBLE columns holding NaN (DuckDB orders NaN above every number)", async () => {
    await db.run(`CREATE OR REPLACE TABLE nan AS SELECT * FROM (VALUES (1.0, 1), ('NaN'::DOUBLE, 0), (3.0, 1)) t(d, target)`);
    const columns = await describeColumns(db, "nan");
    const rules: RuleSet = {name: "n", description: "", tiers: [{id: "BIG", label: "Big", when: [{column: "d", gt: 2}]}], fallback: {id: "REST", label: "Rest"}};
    const c = await new TierPreview(db, columns, "nan").compare(rules, rules);
    expect(c.countedBy).toBe("sql");
    expect(c.reason).toMatch(/NaN/);
    // DuckDB itself: NaN > 2 is true, so BIG holds 3.0 and NaN.
    expect(c.current.tiers[0].leads).toBe(2);
  });

  it("BIGINT values beyond 2^53 and DECIMAL columns", async () => {
    await db.run(`CREATE OR REPLACE TABLE wide AS SELECT * FROM (VALUES (9007199254740993::BIGINT, 1.5::DECIMAL(4,2), 1), (1::BIGINT, 2.5::DECIMAL(4,2), 0)) t(big, dec, target)`);
    const columns = await describeColumns(db, "wide");
    const big: RuleSet = {name: "b", description: "", tiers: [{id: "T", label: "T", when: [{column: "big", gt: 1000}]}], fallback: {id: "REST", label: "Rest"}};
    const viaBig = await new TierPreview(db, columns, "wide").compare(big, big);
    expect([viaBig.countedBy, viaBig.reason]).toEqual(["sql", "big holds integers beyond 2^53"]);
    expect(viaBig.current.tiers[0].leads).toBe(1);
    const dec: RuleSet = {name: "d", description: "", tiers: [{id: "T", label: "T", when: [{column: "dec", lte: 2}]}], fallback: {id: "REST", label: "Rest"}};
    const viaDec = await new TierPreview(db, columns, "wide").compare(dec, dec);
    expect(viaDec.countedBy).toBe("sql");
    expect(viaDec.reason).toMatch(/dec is DECIMAL/);
  });
});

// --- Property: the preview equals compareRuleSets for random rule sets, populations and data ----

const COLUMNS = {
  i: {type: "INTEGER", values: [-2, -1, 0, 1, 2, 3]},
  s: {type: "SMALLINT", values: [0, 1, 2, 5, 10]},
  big: {type: "BIGINT", values: [-3, 0, 4, 7]},
  'we"ird col': {type: "DOUBLE", values: [-1.5, -0.5, 0, 0.1, 0.5, 1, 2.25]},
  b: {type: "BOOLEAN", values: [true, false]}
} as const;
type Column = keyof typeof COLUMNS;
const NAMES = Object.keys(COLUMNS) as Column[];
const OPERANDS = [-2, -1.5, -1, -0.5, 0, 0.1, 0.5, 1, 2, 2.25, 3, 5, 7];

/** A condition with any operator of the table the loop counts (the property expects the loop's answer). */
function condition(column: Column): fc.Arbitrary<Condition> {
  return column === "b" ? conditionOn(column, "boolean", fc.boolean(), {loop: true}) : conditionOn(column, "number", fc.constantFrom(...OPERANDS), {loop: true});
}
/** The columns a columns file holds (integers and booleans). */
const FILE_NAMES: Column[] = ["i", "s", "b"];
const andList = (names: readonly Column[]) => fc.array(fc.constantFrom(...names).chain(condition), {minLength: 1, maxLength: 3});
const criteria = (names: readonly Column[]): fc.Arbitrary<Pick<Tier, "when" | "anyOf">> =>
  fc.oneof(andList(names).map((when) => ({when})), fc.array(andList(names), {minLength: 1, maxLength: 3}).map((anyOf) => ({anyOf})));
const ruleSet = (prefix: string, names: readonly Column[] = NAMES): fc.Arbitrary<RuleSet> =>
  fc.array(criteria(names), {minLength: 1, maxLength: 4}).map((tiers) => ({
    name: prefix,
    description: "",
    tiers: tiers.map((c, k) => ({id: `${prefix}${k}`, label: `${prefix} ${k}`, ...c})),
    fallback: {id: "REST", label: "Rest"}
  }));
const population: fc.Arbitrary<Population> = fc.record(
  {
    from: fc.constantFrom("2024-01-01", "2024-02-01"),
    to: fc.constantFrom("2024-02-15", "2024-03-31"),
    // (GAP: no lead has it)
    split: fc.constantFrom("TRAIN", "TEST", "GAP"),
    excludeWirehouse: fc.boolean(),
    analysisDate: fc.constant("2024-03-31"),
    maturityDays: fc.constantFrom(0, 30, 60)
  },
  {requiredKeys: []}
).map((p) => (p.maturityDays !== undefined && !p.analysisDate ? {...p, maturityDays: undefined} : p));
const lead = leadArbitrary(COLUMNS);

describe("TierPreview equals compareRuleSets (DuckDB)", () => {
  it("for random rule sets, populations and leads with NULLs and values on the thresholds", async () => {
    let javascript = 0;
    let fileServed = 0;
    const counted = new OperatorCounts();
    const filePath = join(mkdtempSync(join(tmpdir(), "tierlab-preview-")), "p.arrow");
    // Half the rule sets test only the columns a columns file holds.
    const pair = fc.boolean().chain((narrow) => fc.tuple(ruleSet("E", narrow ? FILE_NAMES : NAMES), ruleSet("D", narrow ? FILE_NAMES : NAMES)));
    await fc.assert(
      fc.asyncProperty(pair, population, fc.array(lead, {minLength: 1, maxLength: 40, size: "max"}), fc.boolean(), fc.integer({min: 1, max: 64}), fc.boolean(), fc.boolean(), async ([edited, deployed], pop, leads, columnar, slice, scanFirst, fromFile) => {
        const columns = await writeLeads(db, COLUMNS, leads);
        const a = parseRuleSet(edited, columns);
        const b = parseRuleSet(deployed, columns);
        // Small slices: the loop runs in several pieces, as it does on millions of leads.
        // With a columns file, written and decoded as the site does: it holds the integer and
        // boolean columns (not BIGINT `big` or the DOUBLE), so rules on those are read from the engine.
        let source: PreviewSource | null = null;
        if (fromFile) {
          // (In record batches of a few leads: the page decodes them one by one.)
          await copyToPreviewColumns(db, filePath, PROVENANCE, "p", {candidates: [...NAMES, "is_wirehouse"], batchRows: slice % 9 + 1});
          source = await decodePreviewColumns(readFileSync(filePath));
        }
        const preview = new TierPreview(columnar ? db : rowsOnly(db), columns, "p", {slice, scanFirst, source});
        const sql = await compareRuleSets(db, a, b, {population: pop, columns, table: "p"});
        const served = source !== null && [...ruleColumns(a), ...ruleColumns(b)].every((n) => source!.features.has(n));
        if (served) {
          const first = await preview.compare(a, b, {population: pop});
          expect([first.countedBy, first.columnsFrom]).toEqual(["loop", "file"]);
          fileServed++;
          expect(sorted(first.matrix)).toEqual(sorted(sql.matrix));
          expect(first.current.tiers).toEqual(sql.current.tiers);
        } else if (scanFirst) {
          // The first answer is the SQL scan itself; the read it starts is awaited by the next one.
          const first = await preview.compare(a, b, {population: pop});
          expect([first.countedBy, first.reason, first.readMs]).toEqual(["sql", SCAN_FIRST_REASON, 0]);
          expect(first.current.tiers).toEqual(sql.current.tiers);
          expect(sorted(first.matrix)).toEqual(sorted(sql.matrix));
          expect(first.sql).toBe(sql.sql);
        }
        const fast = await preview.compare(a, b, {population: pop});
        expect(fast.countedBy).toBe("loop");
        javascript++;
        expect(sorted(fast.matrix)).toEqual(sorted(sql.matrix));
        expect(fast.current.tiers).toEqual(sql.current.tiers);
        expect(fast.compare.gates).toEqual(sql.compare.gates);
        expect(fast.sql).toBe(sql.sql);
        for (const tier of a.tiers) for (const c of tier.when ?? tier.anyOf!.flat()) counted.add(operatorIn(c));
      }),
      {numRuns: 250, seed: 20261123}
    );
    expect(javascript).toBe(250);
    // Every operator the loop counts was counted by it, in many rule sets.
    const loopOperators = OPERATORS.filter((op) => !("declines" in OPERATOR_TABLE[op].js) && (appliesTo(op, "number") || appliesTo(op, "boolean")));
    expect(counted.below(loopOperators, 40)).toEqual({});
    // (Enough runs took the columns file's path to mean something.)
    expect(fileServed).toBeGreaterThan(25);
  });
});
