// The tuner's numbers against independent computations: every candidate's tier table (the grid of
// one to three freed thresholds, classified by SQL or by the compiled loop) equals tierReport of the
// candidate's rule set; the ranking equals a brute force over those reports; tune()'s fit, holdout
// and backtest equal tierReport and runBacktest of each proposed rule set.
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import type {Population} from "../../src/lib/population.js";
import {parseRuleSet, type Condition, type RuleSet, type Tier} from "../../src/lib/rules/index.js";
import {ruleColumns} from "../../src/lib/rules/js-compile.js";
import {runBacktest, type Period} from "../../src/lib/backtest/backtest.js";
import {resolveThresholds} from "../../src/lib/tiers/gates.js";
import {reportFromCounts, tierReport, type Report} from "../../src/lib/tiers/report.js";
import {countGrid, planGrid, readLeadColumns, signaturesFromColumns, signaturesFromRows, signaturesSql, sortedCandidates, THRESHOLD_OPERATORS, withThresholds, type Axis} from "../../src/lib/tiers/sweep.js";
import {constraintResults, evaluateGrid, freedThresholds, tune, tuneLimits, type Limits, type TierNumbers} from "../../src/lib/tiers/tune.js";
import {runCli} from "../support/cli.js";
import {leadArbitrary, writeLeads} from "./lead-arbitraries.js";
import {conditionOn, OperatorCounts} from "./rule-arbitraries.js";

let db: NodeConnector;
beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db?.close());

/** The tier tables of a report, without the fields that name the query. */
const tables = (r: Report) => ({population: r.population, tiers: r.tiers, groups: r.groups, gates: r.gates});

// --- Property: every cell of the grid is tierReport of its rule set ------------------------------

const COLUMNS = {
  i: {type: "INTEGER", values: [-2, -1, 0, 1, 2, 3]},
  s: {type: "SMALLINT", values: [0, 1, 2, 5, 10]},
  big: {type: "BIGINT", values: [-3, 0, 4, 7]},
  d: {type: "DOUBLE", values: [-1.5, -0.5, 0, 0.1, 0.5, 1, 2.25]},
  b: {type: "BOOLEAN", values: [true, false]}
} as const;
type Column = keyof typeof COLUMNS;
const NAMES = Object.keys(COLUMNS) as Column[];
const NUMERIC: Column[] = ["i", "s", "big", "d"];
const OPERANDS = [-2, -1.5, -1, -0.5, 0, 0.1, 0.5, 1, 2, 2.25, 3, 5, 7];

const condition = (column: Column): fc.Arbitrary<Condition> => (column === "b" ? conditionOn(column, "boolean", fc.boolean()) : conditionOn(column, "number", fc.constantFrom(...OPERANDS)));
const andList = fc.array(fc.constantFrom(...NAMES).chain(condition), {minLength: 1, maxLength: 2});
const criteria: fc.Arbitrary<Pick<Tier, "when" | "anyOf">> = fc.oneof(andList.map((when) => ({when})), fc.array(andList, {minLength: 1, maxLength: 3}).map((anyOf) => ({anyOf})));
const thresholdCondition = fc.tuple(fc.constantFrom(...NUMERIC), fc.constantFrom(...THRESHOLD_OPERATORS), fc.constantFrom(...OPERANDS), fc.constantFrom(...OPERANDS)).map(
  ([column, op, a, b]) => (op === "between" || op === "notBetween" ? {column, [op]: a <= b ? [a, b] : [b, a]} : {column, [op]: a}) as Condition
);

/** A rule set, a tier in it, and one to three freed thresholds put into its lists (sometimes both ends of one between). */
const tuneCase = fc
  .tuple(fc.array(criteria, {minLength: 1, maxLength: 3}), fc.nat(), fc.array(fc.tuple(thresholdCondition, fc.nat(), fc.nat(), fc.constantFrom<"low" | "high">("low", "high")), {minLength: 1, maxLength: 3}), fc.boolean(), fc.boolean())
  .map(([generatedTiers, tierPick, generatedInserted, bothEnds, spread]) => {
    // (A copy: fast-check may map the same generated value again while shrinking.)
    const [tiers, inserted] = structuredClone([generatedTiers, generatedInserted]);
    const k = tierPick % tiers.length;
    if (spread && inserted.length > 1) {
      // Each freed threshold in a list of its own with at most one other condition, so that many
      // leads are in several of them (inclusion–exclusion's overlaps).
      const old = tiers[k].anyOf ?? [tiers[k].when!];
      tiers[k] = {anyOf: inserted.map((_, j) => (old[j % old.length] ?? []).slice(0, 1))};
      inserted.forEach((x, j) => (x[1] = j));
    }
    const lists = tiers[k].anyOf ?? [tiers[k].when!];
    const placed: {list: number; condition: Condition; bound: "low" | "high"}[] = [];
    for (const [c, listPick, posPick, bound] of inserted) {
      const a = listPick % lists.length;
      lists[a].splice(posPick % (lists[a].length + 1), 0, c);
      placed.push({list: a, condition: c, bound});
    }
    // Where each inserted condition ended up (later insertions shift earlier ones).
    const free: string[] = [];
    for (const p of placed) {
      const position = lists[p.list].indexOf(p.condition) + 1;
      const ref = tiers[k].anyOf ? `${p.list + 1}.${position}` : String(position);
      const op = Object.keys(p.condition).find((key) => key !== "column")!;
      if (op === "between" && bothEnds && placed.length < 3) free.push(`${ref}:low`, `${ref}:high`);
      else free.push(op === "between" || op === "notBetween" ? `${ref}:${p.bound}` : ref);
    }
    const rules: RuleSet = {name: "P", tiers: tiers.map((c, i) => ({id: `T${i}`, label: `t ${i}`, ...c})), fallback: {id: "REST", label: "Rest"}};
    return {rules, tier: `T${k}`, free: [...new Set(free)].slice(0, 3)};
  });
const population: fc.Arbitrary<Population> = fc.oneof(
  fc.constant({}),
  fc.record({from: fc.constantFrom("2024-01-01", "2024-02-01"), split: fc.constantFrom("TRAIN", "TEST"), excludeWirehouse: fc.boolean(), analysisDate: fc.constant("2024-03-31"), maturityDays: fc.constantFrom(0, 30)}, {requiredKeys: []})
);
const lead = leadArbitrary(COLUMNS);

describe("the grid of freed thresholds equals tierReport of each candidate (DuckDB)", () => {
  it("for random rule sets, one to three freed thresholds (same or different lists, both ends of a range), populations and NULL-laden leads", async () => {
    const shapes = new OperatorCounts();
    let cellsChecked = 0;
    await fc.assert(
      fc.asyncProperty(tuneCase, population, fc.array(lead, {minLength: 0, maxLength: 60, size: "max"}), fc.array(fc.array(fc.constantFrom(...OPERANDS), {minLength: 1, maxLength: 4}), {minLength: 3, maxLength: 3}), fc.nat(), fc.integer({min: 1, max: 50}), async (c, pop, leads, pools, pickSeed, slice) => {
        const columns = await writeLeads(db, COLUMNS, leads);
        const rules = parseRuleSet(c.rules, columns);
        const freed = freedThresholds(rules, {tier: c.tier, free: c.free}, columns);
        const plan = planGrid(rules, freed);
        const axes: Axis[] = freed.map((t, d) => {
          const both = freed.some((u) => u !== t && u.alternative === t.alternative && u.position === t.position);
          return {threshold: t, candidates: sortedCandidates(t, [...pools[d], t.current], both)};
        });
        const viaSql = await countGrid(plan, signaturesFromRows(plan, await db.query(signaturesSql(plan, pop, {table: "p"}))), axes, {slice});
        const leadsRead = await readLeadColumns(db, columns, pop, ruleColumns(rules), "p");
        if ("reason" in leadsRead) throw new Error(leadsRead.reason);
        const signatures = await signaturesFromColumns(plan, leadsRead, {slice});
        if ("reason" in signatures) throw new Error(signatures.reason);
        const viaLoop = await countGrid(plan, signatures, axes, {slice});
        const valid = [...Array(viaSql.cells).keys()].filter((cell) => viaSql.valid(cell));
        // Both paths, every cell.
        for (const cell of valid) expect(viaLoop.countRows(cell)).toEqual(viaSql.countRows(cell));
        // Against tierReport: a spread of cells (each is a full report query).
        const picked = valid.filter((_, i) => (i + pickSeed) % Math.max(1, Math.ceil(valid.length / 5)) === 0);
        for (const cell of picked) {
          const candidate = withThresholds(rules, freed, viaSql.valuesOf(cell));
          const expected = await tierReport(db, candidate, {population: pop, table: "p", columns});
          expect(tables(reportFromCounts(candidate, viaSql.countRows(cell), {population: pop}))).toEqual(tables(expected));
          cellsChecked++;
        }
        // Leads two freed lists may both take: where inclusion–exclusion subtracts the overlap.
        const sig = signatures;
        let overlapping = 0;
        for (let i = 0; i < sig.rows; ++i) if (sig.base[i] > plan.tierIndex && sig.holds.filter((h, a) => h[i] === sig.holdsWhen[a]).length >= 2) overlapping++;
        if (overlapping > 0) shapes.add("a lead in two freed lists");
        shapes.add(`${freed.length} freed`);
        if (plan.alternatives.length > 1) shapes.add("freed in several lists");
        if (plan.hasConst) shapes.add("a list without freed thresholds");
        if (freed.some((t) => t.bound === "low") && freed.some((t) => t.bound === "high" && freed.some((u) => u.bound === "low" && u.position === t.position && u.alternative === t.alternative))) shapes.add("both ends");
        if (valid.length < viaSql.cells) shapes.add("cells out of order left out");
        for (const t of freed) shapes.add(t.bound ? `${t.operator}:${t.bound}` : t.operator);
      }),
      {numRuns: 150, seed: 20261217}
    );
    expect(shapes.below(["1 freed", "2 freed", "3 freed", "freed in several lists", "a list without freed thresholds", "both ends", "cells out of order left out", "a lead in two freed lists"], 5)).toEqual({});
    expect(shapes.below(["lt", "lte", "gt", "gte", "between:low", "between:high", "notBetween:low", "notBetween:high"], 10)).toEqual({});
    expect(cellsChecked).toBeGreaterThan(300);
  });
});

// --- The ranking against a brute force over tierReport -------------------------------------------

describe("evaluateGrid ranks like a brute force over every candidate's report", () => {
  it("on synthetic leads: the same best candidates (distinct tables) for each objective, and the closest when none passes", async () => {
    const {mkdtempSync} = await import("node:fs");
    const {join} = await import("node:path");
    const {tmpdir} = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "tierlab-tune-")), "leads.parquet");
    expect((await runCli(["generate", "--rows", "6000", "--seed", "3", "--out", file])).code).toBe(0);
    await db.run(`CREATE OR REPLACE TABLE syn AS SELECT * FROM read_parquet('${file}')`);
    const columns = await describeColumns(db, "syn");
    const {readFileSync} = await import("node:fs");
    const rules = parseRuleSet(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "data", "rules", "v3.2-consolidated.json"), "utf8")), columns);
    const fit: Population = {split: "TRAIN"};
    const freed = freedThresholds(rules, {tier: "TIER_1_PRIME_MOVER", free: ["1.4", "1.1:high"]}, columns);
    const plan = planGrid(rules, freed);
    const axes: Axis[] = [
      {threshold: freed[0], candidates: Float64Array.from([10, 25, 50, 100, 400])},
      {threshold: freed[1], candidates: Float64Array.from([24, 36, 60])}
    ];
    const grid = await countGrid(plan, signaturesFromRows(plan, await db.query(signaturesSql(plan, fit, {table: "syn"}))), axes);
    const current = await tierReport(db, rules, {population: fit, table: "syn", columns});
    const reports = new Map<number, Report>();
    for (let cell = 0; cell < grid.cells; ++cell) reports.set(cell, await tierReport(db, withThresholds(rules, freed, grid.valuesOf(cell)), {population: fit, table: "syn", columns}));
    const thresholds = resolveThresholds();
    for (const [objective, extra] of [["lift-lower", {}], ["conversions", {minRate: 0.1}], ["priority-conversions", {}], ["lift-lower", {minLift: 50}]] as const) {
      const limits: Limits = tuneLimits({tier: "TIER_1_PRIME_MOVER", free: [], objective, ...extra}, current, thresholds);
      const evaluation = await evaluateGrid(grid, limits, 3);
      // Brute force: each cell's report, its constraints by constraintResults, its objective from the report.
      const row = (r: Report) => r.tiers.find((t) => t.id === "TIER_1_PRIME_MOVER")!;
      const score = (r: Report) =>
        objective === "conversions" ? row(r).conversions : objective === "lift-lower" ? row(r).ci![0] / r.population.rate! : r.tiers.filter((t) => !t.fallback).reduce((s, t) => s + (t.labeled ? (t.leads * t.conversions) / t.labeled : 0), 0);
      const all = [...reports].map(([cell, r]) => ({cell, r, fails: constraintResults(r, "TIER_1_PRIME_MOVER", limits).filter((c) => !c.pass).length, score: score(r), values: grid.valuesOf(cell)}));
      const distance = (v: number[]) => Math.abs(v[0] - 50) / 390 + Math.abs(v[1] - 36) / 36;
      const order = (a: (typeof all)[number], b: (typeof all)[number]) => a.fails - b.fails || b.score - a.score || row(b.r).labeled - row(a.r).labeled || distance(a.values) - distance(b.values);
      const passing = all.filter((x) => x.fails === 0).sort(order);
      const distinct = passing.filter((x, i) => passing.findIndex((y) => JSON.stringify(tables(y.r).tiers.map((t) => [t.leads, t.labeled, t.conversions])) === JSON.stringify(tables(x.r).tiers.map((t) => [t.leads, t.labeled, t.conversions]))) === i);
      expect(evaluation.evaluated).toBe(15);
      expect(evaluation.best.map((cell) => grid.valuesOf(cell))).toEqual(distinct.slice(0, 3).map((x) => x.values));
      if (distinct.length === 0) expect(grid.valuesOf(evaluation.closest!)).toEqual([...all].sort(order)[0].values);
      else expect(evaluation.closest).toBeNull();
    }
  });
});

// --- tune(): fit, holdout and backtest of every shown candidate ---------------------------------

describe("tune on a connector", () => {
  let columns: ColumnInfo[];
  let rules: RuleSet;
  const periods: Period[] = [
    {name: "P1", train: ["2024-02-01", "2024-05-31"], test: ["2024-06-01", "2024-08-31"]},
    {name: "P2", train: ["2024-02-01", "2024-08-31"], test: ["2024-09-01", "2024-12-31"]}
  ];
  beforeAll(async () => {
    const {mkdtempSync, readFileSync} = await import("node:fs");
    const {join} = await import("node:path");
    const {tmpdir} = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "tierlab-tune2-")), "leads.parquet");
    expect((await runCli(["generate", "--rows", "8000", "--seed", "21", "--out", file])).code).toBe(0);
    await db.run(`CREATE OR REPLACE TABLE syn2 AS SELECT * FROM read_parquet('${file}')`);
    columns = await describeColumns(db, "syn2");
    rules = parseRuleSet(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "data", "rules", "v3.2-consolidated.json"), "utf8")), columns);
  });

  it("every candidate's fit, holdout and backtest are tierReport's and runBacktest's for its rule set; ranked on the fit alone", async () => {
    const fit: Population = {split: "TRAIN"};
    const holdout: Population = {split: "TEST"};
    const result = await tune(db, rules, {tier: "TIER_2_PROVEN_MOVER", free: ["1", "2"], steps: 8, top: 4}, {fit, holdout, periods, table: "syn2", columns});
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.evaluated).toBeGreaterThan(10);
    const freed = freedThresholds(rules, {tier: "TIER_2_PROVEN_MOVER", free: ["1", "2"]});
    const numbers = (r: Report): TierNumbers => {
      const t = r.tiers.find((x) => x.id === "TIER_2_PROVEN_MOVER")!;
      return {leads: t.leads, labeled: t.labeled, conversions: t.conversions, rate: t.rate, ci: t.ci, lift: t.lift, liftVsFallback: t.liftVsFallback};
    };
    for (const c of [...result.candidates, {...result.current, values: {"1": 3, "2": 60}}]) {
      expect(c.ruleSet).toEqual(withThresholds(rules, freed, [c.values["1"], c.values["2"]]));
      const fitReport = await tierReport(db, c.ruleSet, {population: fit, table: "syn2", columns});
      const holdoutReport = await tierReport(db, c.ruleSet, {population: holdout, table: "syn2", columns});
      expect(c.fit).toEqual(numbers(fitReport));
      expect(c.holdout).toEqual(numbers(holdoutReport));
      const bt = await runBacktest(db, c.ruleSet, periods, {table: "syn2", columns});
      const s = bt.stability.find((x) => x.id === "TIER_2_PROVEN_MOVER")!;
      expect(c.backtest).toEqual({lifts: s.lifts, mean: s.mean, min: s.min, sd: s.sd});
      // The flag: the holdout lift outside the fit rate's interval over the fit population's rate.
      const lo = fitReport.tiers[1].ci![0] / fitReport.population.rate!;
      const hi = fitReport.tiers[1].ci![1] / fitReport.population.rate!;
      expect(c.holdoutOutsideFit).toBe(holdoutReport.tiers[1].lift! < lo || holdoutReport.tiers[1].lift! > hi);
    }
    // Ranked by the objective on the fit window: the Wilson lower bound over the population's rate, best first.
    const scores = result.candidates.map((c) => c.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const c of result.candidates) expect(c.score).toBeCloseTo(c.fit.ci![0] / (c.fit.rate! / c.fit.lift!), 12);
    expect(result.candidates.every((c) => c.constraints.every((x) => x.pass))).toBe(true);
    expect(result.fit).toEqual({description: "TRAIN"});
    expect(result.holdout).toEqual({description: "TEST"});
    expect(result.free).toEqual(["1", "2"]);
  });

  it("constraints no candidate meets: the closest, with what it misses", async () => {
    const result = await tune(db, rules, {tier: "TIER_1_PRIME_MOVER", free: ["2.2"], minLift: 40, steps: 6}, {fit: {split: "TRAIN"}, holdout: {split: "TEST"}, table: "syn2", columns});
    expect(result.candidates).toEqual([]);
    expect(result.closest!.constraints.find((c) => c.id === "min-lift")).toMatchObject({pass: false});
    expect(result.message).toMatch(/^no candidate of \d+ meets the constraints; the closest \(2\.2 = [\d.]+\) misses min-lift: lift vs all leads [\d.]+× \(at least 40\.00×\)/);
  });

  it("a fit window without labeled leads, more than three thresholds, an unknown form: one message each", async () => {
    await expect(tune(db, rules, {tier: "TIER_1_PRIME_MOVER", free: ["2.2"]}, {fit: {from: "2030-01-01", to: "2030-12-31"}, holdout: {split: "TEST"}, table: "syn2", columns})).rejects.toThrow(/^the fit window \(2030-01-01 – 2030-12-31\) has no labeled leads: nothing to tune on$/);
    await expect(tune(db, rules, {tier: "TIER_1_PRIME_MOVER", free: ["1.4", "2.2", "1.3", "3.3"]}, {fit: {}, holdout: {}, table: "syn2", columns})).rejects.toThrow(/^free one to three thresholds of the tier, got 4$/);
    await expect(tune(db, rules, {tier: "TIER_1_PRIME_MOVER", free: ["1.1:middle"]}, {fit: {}, holdout: {}, table: "syn2", columns})).rejects.toThrow(/^a freed threshold is N or A\.N, with :low or :high/);
    await expect(tune(db, rules, {tier: "TIER_1_PRIME_MOVER", free: ["1.4", "1.4"]}, {fit: {}, holdout: {}, table: "syn2", columns})).rejects.toThrow(/^threshold 1\.4 of tier TIER_1_PRIME_MOVER is named twice$/);
  });
});

describe("a grid worked by hand: two freed lists, a lead in both", () => {
  it("counts each cell as tierReport does, the overlap once", async () => {
    // Tier A = (x ≤ v1) or (y ≤ v2), B = x ≥ 0 (later), fallback REST; v1, v2 ∈ {1, 5}.
    //   x     y     target
    //   1     1     1     → A at every cell (both lists; counted once)
    //   3     3     0     → A when v1 = 5 or v2 = 5, else B (x ≥ 0)
    //   3     9     1     → A when v1 = 5 (list 1), else B
    //   NULL  2     1     → A when v2 = 5 (list 2), else REST (B needs x)
    //   9     9     0     → B
    await db.run(`CREATE OR REPLACE TABLE two AS SELECT x, y, target, DATE '2024-03-01' AS contacted_date FROM (VALUES (1, 1, 1), (3, 3, 0), (3, 9, 1), (NULL, 2, 1), (9, 9, 0)) t(x, y, target)`);
    const columns = await describeColumns(db, "two");
    const rules = parseRuleSet({name: "two", tiers: [{id: "A", label: "A", anyOf: [[{column: "x", lte: 1}], [{column: "y", lte: 1}]]}, {id: "B", label: "B", when: [{column: "x", gte: 0}]}], fallback: {id: "REST", label: "Rest"}}, columns);
    const freed = freedThresholds(rules, {tier: "A", free: ["1.1", "2.1"]}, columns);
    const plan = planGrid(rules, freed);
    const axes: Axis[] = freed.map((t) => ({threshold: t, candidates: Float64Array.from([1, 5])}));
    const grid = await countGrid(plan, signaturesFromRows(plan, await db.query(signaturesSql(plan, {}, {table: "two"}))), axes);
    const leads = (v1: number, v2: number) => grid.countRows(grid.cellOf([v1 === 1 ? 0 : 1, v2 === 1 ? 0 : 1])).map((r) => [r.tier, r.leads, r.conversions]);
    expect(leads(1, 1)).toEqual([["A", 1, 1], ["B", 3, 1], ["REST", 1, 1]]);
    expect(leads(5, 1)).toEqual([["A", 3, 2], ["B", 1, 0], ["REST", 1, 1]]);
    expect(leads(1, 5)).toEqual([["A", 3, 2], ["B", 2, 1], ["REST", 0, 0]]);
    expect(leads(5, 5)).toEqual([["A", 4, 3], ["B", 1, 0], ["REST", 0, 0]]);
    for (const v1 of [1, 5]) for (const v2 of [1, 5]) {
      const candidate = withThresholds(rules, freed, [v1, v2]);
      const cell = grid.cellOf([v1 === 1 ? 0 : 1, v2 === 1 ? 0 : 1]);
      expect(tables(reportFromCounts(candidate, grid.countRows(cell)))).toEqual(tables(await tierReport(db, candidate, {table: "two", columns})));
    }
  });
});

describe("evaluateGrid shows one of the candidates that count the same leads", () => {
  it("the one nearest the current value", async () => {
    // A = x ≤ v (current 5). No lead has x in (4, 5), so v = 4, 4.5 and 4.9 give the same tiers;
    // REST holds 40 leads with x = 20 (target 0) and x 5 … 8. Shown: 4.9, the nearest to 5, and 5.
    await db.run(`CREATE OR REPLACE TABLE same AS SELECT x, target, DATE '2024-03-01' AS contacted_date FROM (VALUES (1, 1), (2, 1), (3, 0), (4, 1), (5, 1), (6, 0), (7, 0), (8, 0)) t(x, target) UNION ALL SELECT 20, 0, DATE '2024-03-01' FROM range(40)`);
    const columns = await describeColumns(db, "same");
    const rules = parseRuleSet({name: "s", tiers: [{id: "A", label: "A", when: [{column: "x", lte: 5}]}], fallback: {id: "REST", label: "Rest"}}, columns);
    const freed = freedThresholds(rules, {tier: "A", free: ["1"]}, columns);
    const plan = planGrid(rules, freed);
    const grid = await countGrid(plan, signaturesFromRows(plan, await db.query(signaturesSql(plan, {}, {table: "same"}))), [{threshold: freed[0], candidates: Float64Array.from([4, 4.5, 4.9, 5])}]);
    const current = await tierReport(db, rules, {table: "same", columns});
    const limits: Limits = {...tuneLimits({tier: "A", free: []}, current, resolveThresholds()), minLabeled: 1, minLift: 0, priorityShare: [0, 1]};
    // v = 5: A = x 1 … 5, 4/5 converted, Wilson lower 37.55% (the best); v = 4, 4.5, 4.9: x 1 … 4,
    // 3/4, lower 30.06%, the same tiers each — met in that order, each nearer 5 than the last.
    const evaluation = await evaluateGrid(grid, limits, 3);
    expect(evaluation.best.map((cell) => grid.valuesOf(cell)[0])).toEqual([5, 4.9]);
  });
});

describe("long counts run in slices and can be cancelled", () => {
  // The hand table of "a grid worked by hand": 5 leads, one per row of the loop's signatures.
  async function setup() {
    await db.run(`CREATE OR REPLACE TABLE slices AS SELECT x, target, DATE '2024-03-01' AS contacted_date FROM (VALUES (1, 1), (2, 0), (3, 1), (4, 0), (5, 1)) t(x, target)`);
    const columns = await describeColumns(db, "slices");
    const rules = parseRuleSet({name: "s", tiers: [{id: "A", label: "A", when: [{column: "x", lte: 2}]}], fallback: {id: "REST", label: "Rest"}}, columns);
    const freed = freedThresholds(rules, {tier: "A", free: ["1"]}, columns);
    const plan = planGrid(rules, freed);
    const leads = await readLeadColumns(db, columns, {}, ["x"], "slices");
    if ("reason" in leads) throw new Error(leads.reason);
    const signatures = await signaturesFromColumns(plan, leads);
    if ("reason" in signatures) throw new Error(signatures.reason);
    return {plan, signatures, axes: [{threshold: freed[0], candidates: Float64Array.from([1, 3, 5])}]};
  }

  it("yields to the page between slices (a timer set before runs before the count ends), not within one", async () => {
    const {plan, signatures, axes} = await setup();
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    await countGrid(plan, signatures, axes, {slice: 100});
    expect(ticked).toBe(false);
    const grid = await countGrid(plan, signatures, axes, {slice: 1});
    expect(ticked).toBe(true);
    // x ≤ 3: leads 1, 2, 3 — 2 conversions.
    expect(grid.countRows(grid.cellOf([1]))[0]).toEqual({tier: "A", leads: 3, labeled: 3, conversions: 2});
  });

  it("stops with the signal's reason, before or between slices", async () => {
    const {plan, signatures, axes} = await setup();
    const before = new AbortController();
    before.abort(new Error("the analyst closed the panel"));
    await expect(countGrid(plan, signatures, axes, {signal: before.signal})).rejects.toThrow("the analyst closed the panel");
    const during = new AbortController();
    setTimeout(() => during.abort(new Error("a new edit")), 0);
    await expect(countGrid(plan, signatures, axes, {slice: 1, signal: during.signal})).rejects.toThrow("a new edit");
    const grid = await countGrid(plan, signatures, axes);
    const stopped = new AbortController();
    stopped.abort(new Error("stop"));
    await expect(evaluateGrid(grid, {objective: "lift-lower", minLabeled: 0, minLift: 0, minRate: null, priorityShare: [0, 1], ordered: []}, 1, {signal: stopped.signal})).rejects.toThrow("stop");
  });
});

// --- A hand-worked tuning ------------------------------------------------------------------------

describe("a tuning worked by hand", () => {
  it("picks the cut with the best Wilson lower bound that keeps 3 labeled leads", async () => {
    // One tier A: x ≤ v. Eight leads (x, target), each → A when x ≤ v, else REST:
    //   (1, 1) (2, 1) (3, 0) (4, 1) (5, 0) (6, 0) (7, 0) (8, 0)
    // and 40 leads (20, 0) → REST unless v ≥ 20 (they give REST a tight interval near 0).
    // Population: 48 leads, 3 conversions, rate 1/16. Candidates: the values 1 … 8, 20 (and 2, current).
    //   v = 1, 2: 1 and 2 labeled leads → miss min-labeled (3);
    //   v = 3: 2/3, Wilson lower 20.77% vs REST 1/45 upper 11.5%: passes;
    //   v = 4: 3/4, lower 30.06% (the best) vs REST 0/44 upper 8.0%;
    //   v = 5: 3/5, lower 23.07% (second); v = 6, 7, 8: 3/6, 3/7, 3/8, lower 18.76%, 15.82%, 13.68%;
    //   v = 20: every lead in A, REST empty → misses ci-separation (and the share).
    await db.run(`CREATE OR REPLACE TABLE hand AS SELECT x, target, DATE '2024-03-01' AS contacted_date FROM (VALUES (1, 1), (2, 1), (3, 0), (4, 1), (5, 0), (6, 0), (7, 0), (8, 0)) t(x, target) UNION ALL SELECT 20, 0, DATE '2024-03-01' FROM range(40)`);
    const columns = await describeColumns(db, "hand");
    const rules: RuleSet = {name: "h", tiers: [{id: "A", label: "A", when: [{column: "x", lte: 2}]}], fallback: {id: "REST", label: "Rest"}};
    const result = await tune(db, rules, {tier: "A", free: ["1"], minLabeled: 3, minLift: 0, top: 2}, {fit: {}, holdout: {}, table: "hand", columns, thresholds: {priorityShare: [0, 1]}});
    expect(result.evaluated).toBe(9);
    expect(result.candidates.map((c) => c.values)).toEqual([{"1": 4}, {"1": 5}]);
    expect(result.candidates[0].fit).toMatchObject({leads: 4, labeled: 4, conversions: 3, rate: 0.75, lift: 12});
    expect(result.candidates[0].fit.ci![0]).toBeCloseTo(0.30064, 4);
    expect(result.candidates[1].fit.ci![0]).toBeCloseTo(0.23072, 4);
    expect(result.candidates[0].score).toBeCloseTo(0.30064 / 0.0625, 2);
    // The current rule (v = 2) misses min-labeled.
    expect(result.current.constraints.find((c) => c.id === "min-labeled")).toEqual({id: "min-labeled", pass: false, detail: "2 labeled leads (at least 3)"});
  });
});

