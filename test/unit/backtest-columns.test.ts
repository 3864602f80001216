// The backtest counted from the columns file (src/lib/backtest/backtest-columns.ts) must equal the
// backtest of the one SQL query (runBacktest on DuckDB) in every number: checked on a hand-worked
// table and, for random rule sets, periods (empty windows, windows beyond the data, overlapping
// ones), populations (maturity cutoffs inside the windows), band columns and leads with NULLs,
// by deep equality of the two Backtest objects.
import fc from "fast-check";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {copyToPreviewColumns} from "../../loaders/leads-arrow.js";
import {decodePreviewColumns} from "../../src/components/leadsArrowFile.js";
import {runBacktest, type Period} from "../../src/lib/backtest/backtest.js";
import {BacktestCounter} from "../../src/lib/backtest/backtest-columns.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {maturityCutoff, type Population} from "../../src/lib/population.js";
import type {Provenance} from "../../src/lib/provenance.js";
import type {Condition, RuleSet, Tier} from "../../src/lib/rules/types.js";
import type {BandDefinition} from "../../src/lib/signals/signals.js";
import type {PreviewSource} from "../../src/lib/tiers/preview-source.js";
import {HAND_PERIODS, handLeadsSql} from "./backtest-fixture.js";
import {leadArbitrary, writeLeads} from "./lead-arbitraries.js";
import {conditionOn} from "./rule-arbitraries.js";

const PROVENANCE: Provenance = {kind: "synthetic", source: "test", exportedAt: "2026-12-01T00:00:00Z", rows: 0};

let db: NodeConnector;
const dir = mkdtempSync(join(tmpdir(), "tierlab-backtest-columns-"));
beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db?.close());

/** The `leads` table's columns file, written and decoded as the site does. */
async function columnsFile(candidates: readonly string[], batchRows?: number): Promise<PreviewSource> {
  const path = join(dir, "leads.arrow");
  await copyToPreviewColumns(db, path, PROVENANCE, "leads", {candidates, batchRows});
  return decodePreviewColumns(readFileSync(path));
}

const tierCounts = (bt: {results: {train: {tiers: {id: string; leads: number; labeled: number; conversions: number}[]}; test: {tiers: {id: string; leads: number; labeled: number; conversions: number}[]}}[]}, i: number, w: "train" | "test") =>
  bt.results[i][w].tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions]);

describe("the backtest from the columns file, on the hand-built table", () => {
  // backtest-fixture.ts's leads; a rule set on x alone (the file holds whole-number columns, not y's text).
  const RULES: RuleSet = {
    name: "hand-x",
    description: "",
    tiers: [
      {id: "T1", label: "One", when: [{column: "x", gte: 10}]},
      {id: "T3", label: "Three", when: [{column: "x", between: [5, 9]}]}
    ],
    fallback: {id: "REST", label: "Rest"}
  };
  let source: PreviewSource;
  let columns: ColumnInfo[];
  beforeAll(async () => {
    await db.run("DROP TABLE IF EXISTS leads");
    await db.run(handLeadsSql());
    columns = await describeColumns(db, "leads");
    source = await columnsFile(["x", "is_wirehouse"]);
  });

  it("counts each window's tiers as worked out by hand", async () => {
    const out = await new BacktestCounter(source).run(RULES, HAND_PERIODS, {columns});
    if (!out.ok) throw new Error(out.reason);
    const bt = out.backtest;
    // P1 train, January: j1 (x 10, converted) and j2 (12, 0) are T1; j3 (5, 0) and j4 (7, no
    // target) T3; j5 (1, converted), j6 (x NULL, 0) and j7 (2, 0) fall through.
    expect(tierCounts(bt, 0, "train")).toEqual([["T1", 2, 2, 1], ["T3", 2, 1, 0], ["REST", 3, 3, 1]]);
    // P1 test, February: f1 (11, converted) and f5 (20, no target) T1; f2 (NULL, converted), f3, f4 (0) fall through.
    expect(tierCounts(bt, 0, "test")).toEqual([["T1", 2, 1, 1], ["T3", 0, 0, 0], ["REST", 3, 3, 1]]);
    // P3 test, June: no lead.
    expect(tierCounts(bt, 2, "test")).toEqual([["T1", 0, 0, 0], ["T3", 0, 0, 0], ["REST", 0, 0, 0]]);
  });

  it("labels only mature leads: analysis date 2024-04-04, 20 days → cutoff 2024-03-15", async () => {
    const out = await new BacktestCounter(source).run(RULES, HAND_PERIODS, {columns, analysisDate: "2024-04-04", maturityDays: 20});
    if (!out.ok) throw new Error(out.reason);
    // P2 test, March: m1 (10, 0) T1; m5 (0, converted) and m3 (0, 0, on the cutoff: mature) fall
    // through; m2 (6, converted, 2024-03-31) is T3 but after the cutoff: a lead, not labeled.
    expect(tierCounts(out.backtest, 1, "test")).toEqual([["T1", 1, 1, 0], ["T3", 1, 0, 0], ["REST", 2, 2, 1]]);
  });

  it("says why when the file cannot count the rule set, a band or the table", async () => {
    const onText: RuleSet = {...RULES, tiers: [{id: "T2", label: "Two", when: [{column: "y", eq: "s"}]}]};
    const counter = new BacktestCounter(source);
    expect(await counter.run(onText, HAND_PERIODS, {columns})).toEqual({ok: false, reason: "the columns file does not hold y"});
    expect(await counter.run(RULES, HAND_PERIODS, {columns, table: "other"})).toEqual({ok: false, reason: "the columns file holds the leads table, not other"});
    await db.run("ALTER TABLE leads ADD COLUMN z INTEGER DEFAULT 1");
    const withZ = await describeColumns(db, "leads");
    expect(await counter.run(RULES, HAND_PERIODS, {columns: withZ, bands: [{column: "z", edges: [1]}]})).toEqual({ok: false, reason: "the columns file does not hold z"});
    await db.run("ALTER TABLE leads DROP COLUMN z");
  });
});

// --- Property: the backtest from the columns file equals runBacktest's ------------------------

/** Whole-number and yes/no columns (what a columns file holds), and one it does not hold. */
const COLUMNS = {
  i: {type: "INTEGER", values: [-2, -1, 0, 1, 2, 3]},
  s: {type: "SMALLINT", values: [0, 1, 2, 5, 10]},
  b: {type: "BOOLEAN", values: [true, false]},
  big: {type: "BIGINT", values: [-3, 0, 4, 7]}
} as const;
type Column = keyof typeof COLUMNS;
const NAMES = Object.keys(COLUMNS) as Column[];
const IN_FILE: Column[] = ["i", "s", "b"];
const OPERANDS = [-2, -1, 0, 0.5, 1, 2, 3, 5, 7];
const DAY0 = Date.parse("2024-01-01T00:00:00Z");
const iso = (day: number) => new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);

const condition = (column: Column): fc.Arbitrary<Condition> =>
  column === "b" ? conditionOn(column, "boolean", fc.boolean(), {loop: true}) : conditionOn(column, "number", fc.constantFrom(...OPERANDS), {loop: true});
const andList = (names: readonly Column[]) => fc.array(fc.constantFrom(...names).chain(condition), {minLength: 1, maxLength: 3});
const criteria = (names: readonly Column[]): fc.Arbitrary<Pick<Tier, "when" | "anyOf">> =>
  fc.oneof(andList(names).map((when) => ({when})), fc.array(andList(names), {minLength: 1, maxLength: 2}).map((anyOf) => ({anyOf})));
const ruleSet = (names: readonly Column[]): fc.Arbitrary<RuleSet> =>
  fc.array(fc.tuple(criteria(names), fc.boolean()), {minLength: 1, maxLength: 4}).map((tiers) => ({
    name: "R",
    description: "",
    // (Some tiers share a group, so the groups' stability is compared too.)
    tiers: tiers.map(([c, grouped], k) => ({id: `T${k}`, label: `Tier ${k}`, ...(grouped ? {group: "G"} : {}), ...c})),
    fallback: {id: "REST", label: "Rest"}
  }));

/** A window: days from 2023-12-02 to 2024-05-30 (the leads are contacted in the first 90 days of 2024). */
const window = fc.tuple(fc.integer({min: -30, max: 150}), fc.integer({min: 0, max: 60})).map(([start, length]) => [iso(start), iso(start + length)] as [string, string]);
const periods: fc.Arbitrary<Period[]> = fc.array(fc.tuple(window, window), {minLength: 1, maxLength: 4}).map((list) => list.map(([train, test], k) => ({name: `P${k}`, train, test})));
const population: fc.Arbitrary<Population> = fc.record(
  {
    from: fc.constantFrom("2024-01-01", "2024-02-01"),
    to: fc.constantFrom("2024-02-15", "2024-03-31"),
    split: fc.constantFrom("TRAIN", "TEST", "GAP"),
    excludeWirehouse: fc.boolean(),
    analysisDate: fc.constantFrom("2024-03-31", "2024-02-20"),
    maturityDays: fc.constantFrom(0, 30, 60)
  },
  {requiredKeys: []}
).map((p) => (p.maturityDays !== undefined && !p.analysisDate ? {...p, maturityDays: undefined} : p));
/** Band columns: increasing edges on i and s (a column at most once). */
const edges = fc.uniqueArray(fc.constantFrom(-1, 0, 1, 2, 3, 5, 10), {minLength: 1, maxLength: 4}).map((e) => [...e].sort((a, b) => a - b));
const bands: fc.Arbitrary<BandDefinition[]> = fc.subarray(["i", "s"]).chain((names) => fc.tuple(...names.map((n) => edges.map((e) => ({column: n, edges: e})))));
const lead = leadArbitrary(COLUMNS, 6);

describe("the backtest from the columns file equals runBacktest (DuckDB)", () => {
  it("for random rule sets, periods, populations, bands and leads with NULLs", async () => {
    let counted = 0;
    let declined = 0;
    let beyond = 0;
    let immature = 0;
    const rules = fc.boolean().chain((narrow) => ruleSet(narrow ? IN_FILE : NAMES));
    await fc.assert(
      fc.asyncProperty(rules, periods, periods, population, bands, fc.array(lead, {minLength: 0, maxLength: 40, size: "max"}), fc.integer({min: 1, max: 9}), fc.boolean(), async (r, first, second, pop, bandList, leads, batchRows, doubles) => {
        const columns = await writeLeads(db, COLUMNS, leads, "leads");
        const file = await columnsFile([...IN_FILE, "is_wirehouse"], batchRows);
        // Features as doubles (as a connector without the columnar path gives them): bands then go
        // through the loop lead by lead instead of a table of the column's values.
        const source = doubles ? {...file, features: new Map([...file.features].map(([n, c]) => [n, {values: Float64Array.from(c.values), valid: c.valid}]))} : file;
        const counter = new BacktestCounter(source);
        const options = {...pop, columns, bands: bandList};
        // The first periods count the leads; the second reuse those counts (a period edited).
        for (const p of [first, second]) {
          const viaFile = await counter.run(r, p, options);
          if (!viaFile.ok) {
            // Only a rule on the column the file does not hold sends the backtest to the engine.
            expect(viaFile.reason).toBe("the columns file does not hold big");
            declined++;
            return;
          }
          const viaSql = await runBacktest(db, r, p, options);
          expect(viaFile.backtest).toStrictEqual(viaSql);
          counted++;
          if (p.some((x) => x.test[1] > "2024-03-31" || x.train[0] < "2024-01-01")) beyond++;
          const cutoff = maturityCutoff(pop);
          if (cutoff !== null && leads.some((l) => iso(l.day) > cutoff && l.target !== null && p.some((x) => x.test[0] <= iso(l.day) && iso(l.day) <= x.test[1]))) immature++;
        }
      }),
      {numRuns: 200, seed: 20261203}
    );
    // (Enough runs of each kind to mean something.)
    expect(counted).toBeGreaterThan(150);
    expect(declined).toBeGreaterThan(20);
    expect(beyond).toBeGreaterThan(50);
    expect(immature).toBeGreaterThan(20);
  });
});
