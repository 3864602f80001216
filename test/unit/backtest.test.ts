// Backtests: the seeds' stability arithmetic, periods validation, a hand-built table whose every
// count is worked out below, and the one aggregate query against tierReport run window by window.
import {readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {loadSource} from "../../loaders/source.js";
import {
  backtestJson,
  backtestSql,
  parsePeriods,
  parsePeriodsText,
  PeriodsError,
  runBacktest,
  safeParsePeriods,
  summarizeLifts,
  windowPopulation,
  type Backtest
} from "../../src/lib/backtest/backtest.js";
import {backtestToMarkdown, calibrationRows, discriminationRows, liftPoints, publishedRows, stabilityRows} from "../../src/lib/backtest/format.js";
import {PSI_EMPTY_COUNT, stabilityIndex, stabilityLight} from "../../src/lib/backtest/stability.js";
import {compileTierCase} from "../../src/lib/rules/compile.js";
import {backtestGates, DEFAULT_THRESHOLDS} from "../../src/lib/tiers/gates.js";
import {tierReport, type Report, type TierStats} from "../../src/lib/tiers/report.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {HAND_PERIODS, HAND_RULES, handLeadsSql} from "./backtest-fixture.js";

const SEEDS_PERIODS = JSON.parse(readFileSync("data/periods.json", "utf8"));
const PUBLISHED = JSON.parse(readFileSync("data/reference/published.json", "utf8"));

describe("stability arithmetic (seeds' BACKTEST-COMPILE)", () => {
  // 5.86 + 4.65 + 5.25 + 4.70 = 20.46; / 4 = 5.115.
  // Deviations 0.745, −0.465, 0.135, −0.415; squares 0.555025 + 0.216225 + 0.018225 + 0.172225
  // = 0.9617; / (4 − 1) = 0.320567; √ = 0.566186 (the seeds print 0.57; the population SD,
  // √(0.9617 / 4) = 0.4903, would not round to it).
  const lifts = [5.86, 4.65, 5.25, 4.7];

  it("gives mean 5.115, sample SD 0.5662, min 4.65, max 5.86", () => {
    const s = summarizeLifts(lifts);
    expect(s.n).toBe(4);
    expect(s.mean).toBeCloseTo(5.115, 12);
    expect(s.sd).toBeCloseTo(0.566186, 6);
    expect(s.min).toBe(4.65);
    expect(s.max).toBe(5.86);
    // as published: 5.12 and 0.57
    expect(+s.mean!.toFixed(2)).toBe(5.12);
    expect(+s.sd!.toFixed(2)).toBe(0.57);
  });

  it("passes BACKTEST-1/2/3 at the seeds' thresholds", () => {
    const gates = backtestGates(lifts, DEFAULT_THRESHOLDS);
    expect(gates.map((g) => [g.id, g.pass])).toEqual([
      ["backtest-mean-lift", true],
      ["backtest-min-lift", true],
      ["backtest-lift-sd", true]
    ]);
    expect(gates[2].value).toBeCloseTo(0.566186, 6);
  });

  it("is null-safe: missing periods are skipped, too few values give null", () => {
    // 5.86 and 4.70: mean 5.28, SD |5.86 − 4.70| / √2 = 0.820244
    const s = summarizeLifts([5.86, null, 4.7]);
    expect(s.n).toBe(2);
    expect(s.mean).toBeCloseTo(5.28, 12);
    expect(s.sd).toBeCloseTo(0.820244, 6);
    expect(summarizeLifts([null])).toEqual({n: 0, mean: null, min: null, max: null, sd: null});
    expect(summarizeLifts([3])).toEqual({n: 1, mean: 3, min: 3, max: 3, sd: null});
  });
});

describe("periods", () => {
  it("reads data/periods.json: the seeds' four 2024 periods", () => {
    const periods = parsePeriods(SEEDS_PERIODS);
    expect(periods.map((p) => [p.name, ...p.train, ...p.test])).toEqual([
      ["H1_2024", "2024-02-01", "2024-06-30", "2024-07-01", "2024-12-31"],
      ["Q1Q2_2024", "2024-02-01", "2024-05-31", "2024-06-01", "2024-08-31"],
      ["Q2Q3_2024", "2024-02-01", "2024-08-31", "2024-09-01", "2024-11-30"],
      ["Full_2024", "2024-02-01", "2024-10-31", "2024-11-01", "2025-01-31"]
    ]);
    expect(parsePeriods(SEEDS_PERIODS.periods)).toEqual(periods); // the bare list works too
  });

  const issues = (json: unknown) => {
    const r = safeParsePeriods(json);
    return r.ok ? [] : r.issues;
  };

  it("says exactly what is wrong", () => {
    expect(issues({periods: []})).toEqual(["the list of periods is empty; give at least one period"]);
    expect(issues({windows: []})[0]).toMatch(/expected \{"periods": \[/);
    expect(issues([{name: "A", train: ["2024-06-30", "2024-02-01"], test: ["2024-07-01", "2024-07-31"]}])).toEqual([
      "period 1 (A): train ends (2024-02-01) before it starts (2024-06-30)"
    ]);
    expect(issues([{name: "A", train: ["2024-02-30", "2024-03-01"], test: ["2024/07/01", "2024-07-31"]}])).toEqual([
      'period 1 (A): train has "2024-02-30", not a date like "2024-02-01"',
      'period 1 (A): test has "2024/07/01", not a date like "2024-02-01"'
    ]);
    const ok = {train: ["2024-01-01", "2024-01-31"], test: ["2024-02-01", "2024-02-29"]};
    expect(issues([{name: "A", ...ok}, {name: "A", ...ok}, {...ok}])).toEqual([
      'period 2 (A): the name "A" is used twice; period names must be unique',
      "period 3: needs a name (text), got null"
    ]);
    expect(issues([{name: "A", train: "2024-01-01", test: ok.test}])).toEqual([
      'period 1 (A): train must be [start, end], two dates like "2024-02-01", got "2024-01-01"'
    ]);
  });

  it("throws a PeriodsError naming the source; bad JSON too", () => {
    expect(() => parsePeriods({periods: []}, "periods.json")).toThrow(PeriodsError);
    expect(() => parsePeriods({periods: []}, "periods.json")).toThrow("periods.json: the list of periods is empty; give at least one period");
    expect(() => parsePeriodsText("{periods: [", "p.json")).toThrow(/^p\.json: not valid JSON/);
    // two empty objects: each lacks a name, a train and a test window
    const error = (() => {
      try {
        parsePeriodsText("[{}, {}]", "p.json");
      } catch (e) {
        return e as PeriodsError;
      }
    })();
    expect(error?.name).toBe("PeriodsError");
    expect(error?.message).toBe("p.json: 6 problems");
    expect(error?.issues[0]).toBe("period 1: needs a name (text), got null");
  });

  it("warns (does not fail) when a test window is not after its train window", () => {
    const r = safeParsePeriods([{name: "A", train: ["2024-01-01", "2024-02-10"], test: ["2024-02-10", "2024-02-29"]}]);
    expect(r.ok && r.warnings).toEqual(["A: the test window starts (2024-02-10) on or before the train window ends (2024-02-10), so the test is not fully out of sample"]);
  });
});

describe("backtest on a hand-built table", () => {
  let db: NodeConnector;
  let bt: Backtest;
  beforeAll(async () => {
    db = await NodeConnector.open();
    await db.run(handLeadsSql());
    bt = await runBacktest(db, HAND_RULES, HAND_PERIODS);
  });
  afterAll(() => db?.close());

  const counts = (rows: TierStats[]) => Object.fromEntries(rows.map((t) => [t.id, [t.leads, t.labeled, t.conversions]]));
  const pop = (r: Report) => [r.population.leads, r.population.labeled, r.population.conversions];

  it("counts every window by hand (boundaries inclusive, NULL targets in volume only)", () => {
    const [p1, p2, p3] = bt.results;
    // P1 train, January: j1..j7 (j8 is the day before). T1 j1 j2; T2 j6; T3 j3 j4(NULL); REST j5 j7.
    expect(counts(p1.train.tiers)).toEqual({T1: [2, 2, 1], T2: [1, 1, 0], T3: [2, 1, 0], REST: [2, 2, 1]});
    expect(pop(p1.train)).toEqual([7, 6, 2]);
    // P1 test, February: f1..f5. T1 f1 f5(NULL); T2 f2 (leap day); REST f3 f4.
    expect(counts(p1.test.tiers)).toEqual({T1: [2, 1, 1], T2: [1, 1, 1], T3: [0, 0, 0], REST: [2, 2, 0]});
    expect(pop(p1.test)).toEqual([5, 4, 2]);
    // P2 train, January and February.
    expect(counts(p2.train.tiers)).toEqual({T1: [4, 3, 2], T2: [2, 2, 1], T3: [2, 1, 0], REST: [4, 4, 1]});
    expect(pop(p2.train)).toEqual([12, 10, 4]);
    // P2 test, March: m1 m5 m3 m2 (m4 is the day after).
    expect(counts(p2.test.tiers)).toEqual({T1: [1, 1, 0], T2: [0, 0, 0], T3: [1, 1, 1], REST: [2, 2, 1]});
    expect(pop(p2.test)).toEqual([4, 4, 2]);
    // P3: the same train as P1; the June test window has no lead.
    expect(counts(p3.train.tiers)).toEqual(counts(p1.train.tiers));
    expect(pop(p3.test)).toEqual([0, 0, 0]);
    expect(counts(p3.test.groups)).toEqual({G1: [0, 0, 0], T3: [0, 0, 0], REST: [0, 0, 0]});
  });

  it("measures lift against each window's own rate; an empty window gives null, never NaN", () => {
    const [p1, p2, p3] = bt.results;
    const lifts = (rows: TierStats[]) => Object.fromEntries(rows.map((t) => [t.id, t.lift]));
    // P1 train rate 2/6 = 1/3: T1 (1/2) / (1/3) = 1.5, T2 0, T3 0, REST 1.5; G1 (1/3) / (1/3) = 1.
    expect(lifts(p1.train.tiers)).toEqual({T1: 1.5, T2: 0, T3: 0, REST: 1.5});
    expect(p1.train.groups[0].lift).toBeCloseTo(1, 12);
    // P1 test rate 2/4: T1 1/1 → 2, T2 1/1 → 2, T3 no labeled lead → null, REST 0.
    expect(lifts(p1.test.tiers)).toEqual({T1: 2, T2: 2, T3: null, REST: 0});
    // P2 test rate 2/4: T1 0, T3 2, REST 1; G1 0.
    expect(lifts(p2.test.tiers)).toEqual({T1: 0, T2: null, T3: 2, REST: 1});
    expect(p3.test.population).toMatchObject({leads: 0, labeled: 0, conversions: 0, rate: null, ci: null});
    expect(p3.test.tiers.every((t) => t.rate === null && t.lift === null && t.share === null && t.ci === null)).toBe(true);
    expect(JSON.stringify(backtestJson(bt))).not.toMatch(/NaN|Infinity/);
  });

  it("summarises every tier and group across periods", () => {
    const byId = Object.fromEntries(bt.stability.map((s) => [`${s.level}:${s.id}`, s]));
    expect(Object.keys(byId)).toEqual(["tier:T1", "tier:T2", "tier:T3", "tier:REST", "group:G1"]);
    expect(byId["tier:T1"]).toMatchObject({lifts: [2, 0, null], n: 2, mean: 1, min: 0, max: 2});
    expect(byId["tier:T1"].sd).toBeCloseTo(Math.SQRT2, 12); // √((1² + 1²) / 1)
    expect(byId["tier:T2"]).toMatchObject({lifts: [2, null, null], n: 1, mean: 2, min: 2, max: 2, sd: null});
    expect(byId["tier:T3"]).toMatchObject({lifts: [null, 2, null], n: 1, mean: 2, sd: null});
    expect(byId["tier:REST"]).toMatchObject({lifts: [0, 1, null], mean: 0.5, min: 0, max: 1});
    expect(byId["tier:REST"].sd).toBeCloseTo(Math.SQRT1_2, 12);
    expect(byId["group:G1"]).toMatchObject({lifts: [2, 0, null], mean: 1});
    expect(bt.tier1.id).toBe("G1");
    expect(stabilityRows(bt, "groups").map((s) => s.id)).toEqual(["G1", "T3", "REST"]);
  });

  it("gates: BACKTEST-1/2/3 cannot be checked with a period missing; train/test gates per period", () => {
    const byId = Object.fromEntries(bt.gates.map((g) => [g.id, g]));
    for (const id of ["backtest-mean-lift", "backtest-min-lift", "backtest-lift-sd"]) expect(byId[id]).toMatchObject({pass: false, value: null});
    // P1: G1 train lift 1, test 2 → |2 − 1| / 1 = 100% > 50%; T3's train lift is 0 → undefined.
    expect(byId["P1:lift-stability:G1"]).toMatchObject({pass: false, value: 1, period: "P1"});
    expect(byId["P1:lift-stability:T3"]).toMatchObject({pass: false, value: null});
    // Tier 1 (G1) rate: train 1/3, test 2/2 → shift 2/3.
    expect(byId["P1:tier1-shift"].value).toBeCloseTo(2 / 3, 12);
    // P2: G1 train 3/5 over 4/10 = 1.5, test 0 → 100%; shift 0.6.
    expect(byId["P2:lift-stability:G1"].value).toBeCloseTo(1, 12);
    expect(byId["P2:tier1-shift"].value).toBeCloseTo(0.6, 12);
    expect(byId["P3:tier1-shift"]).toMatchObject({pass: false, value: null});
    // The test window's tier order. P2: T1 0/1, T3 1/1, REST 1/2 (T2 has no labeled lead). T3 over
    // T1: pooled 1/2, z = 1/√(¼·2) = 1.414, one-sided p = 0.0786, × 2 (Holm) = 0.157: neither
    // inverted nor separated; REST over T3 (z < 0) neither.
    expect(byId["P2:tier-order"]).toMatchObject({pass: true, value: 0, period: "P2", detail: "not separated: T1 vs T3, T3 vs REST; no labeled leads: T2"});
    expect(byId["P2:tier-order"].label).toMatch(/^P2: Test window: no tier converts significantly better/);
    expect(byId["P3:tier-order"]).toMatchObject({pass: false, value: null});
  });

  it("with an analysis date and window, later leads count in volume only (cutoff inclusive)", async () => {
    // 2024-04-04 − 20 days = 2024-03-15: m3 (03-15) stays mature, m2 (03-31) does not.
    const m = await runBacktest(db, HAND_RULES, HAND_PERIODS, {analysisDate: "2024-04-04", maturityDays: 20});
    expect(m.population.cutoff).toBe("2024-03-15");
    const p2 = m.results[1].test;
    expect(counts(p2.tiers)).toEqual({T1: [1, 1, 0], T2: [0, 0, 0], T3: [1, 0, 0], REST: [2, 2, 1]});
    expect(pop(p2)).toEqual([4, 3, 1]);
    // rate 1/3: REST (1/2) / (1/3) = 1.5, T3 has no labeled lead.
    expect(p2.tiers.find((t) => t.id === "REST")!.lift).toBeCloseTo(1.5, 12);
    expect(p2.tiers.find((t) => t.id === "T3")!.rate).toBeNull();
    expect(p2.population.description).toBe("2024-03-01 – 2024-03-31, mature by 2024-03-15");
    // the other windows end before the cutoff and do not change
    expect(counts(m.results[0].test.tiers)).toEqual(counts(bt.results[0].test.tiers));
  });

  it("the one query agrees with tierReport run on each window separately", async () => {
    for (const options of [{}, {analysisDate: "2024-04-04", maturityDays: 20}, {excludeWirehouse: true}]) {
      const one = await runBacktest(db, HAND_RULES, HAND_PERIODS, options);
      for (const [i, period] of HAND_PERIODS.entries()) {
        for (const w of ["train", "test"] as const) {
          const {sql: _a, ...separate} = await tierReport(db, HAND_RULES, {population: windowPopulation(period, w, options)});
          const {sql: _b, ...joint} = one.results[i][w];
          expect(joint).toEqual(separate);
        }
      }
    }
  });

  it("builds the page's rows: calibration beside test, lift intervals by Katz (both rates uncertain)", () => {
    const rows = calibrationRows(bt, 0, "tiers");
    expect(rows.find((r) => r.id === "T1")).toMatchObject({trainLabeled: 2, trainRate: 0.5, testLabeled: 1, testRate: 1, shift: 0.5});
    const points = liftPoints(bt, "groups").filter((p) => p.period === "P2" && p.id === "T3");
    // P2 test: T3 1/1 over the window's 2/4: lift 2, SE² = 1/1 − 1/1 + 1/2 − 1/4 = 0.25, SE 0.5;
    // 2·exp(∓1.96·0.5) = 0.75064… and 5.32882… (not the Wilson interval of 1/1 ÷ 0.5, [0.41, 2]).
    expect(points[0].liftLow).toBeCloseTo(2 * Math.exp(-1.959963984540054 * 0.5), 12);
    expect(points[0].liftHigh).toBeCloseTo(2 * Math.exp(1.959963984540054 * 0.5), 12);
    expect(points[0].liftLow).toBeCloseTo(0.75064, 4);
    expect(points[0].liftHigh).toBeCloseTo(5.32882, 4);
    // G1 converted no one in P2's test window: no log interval.
    expect(liftPoints(bt, "groups").find((p) => p.period === "P2" && p.id === "G1")).toMatchObject({lift: 0, liftLow: null, liftHigh: null});
    expect(liftPoints(bt, "groups").filter((p) => p.period === "P3").every((p) => p.liftLow === null && p.lift === null)).toBe(true);
    const pub = publishedRows(PUBLISHED.backtest, bt);
    expect(pub.map((r) => r.period)).toEqual(["P1", "P2", "P3", "H1_2024", "Q1Q2_2024", "Q2Q3_2024", "Full_2024"]);
    expect(pub[3]).toMatchObject({publishedLift: 5.86, publishedRate: 0.2239, publishedVolume: 67, lift: null});
  });

  it("the SQL: one statement, every window in it, BigQuery-quoted for BigQuery", () => {
    const sql = backtestSql(HAND_RULES, HAND_PERIODS);
    expect(sql.match(/UNION ALL/g)).toHaveLength(5);
    expect(sql).toContain("DATE '2024-02-29' AS window_end");
    expect(sql).toContain('"contacted_date" >= DATE \'2024-01-01\' AND "contacted_date" <= DATE \'2024-06-30\'');
    expect(sql).toMatch(/GROUP BY w\.period_index, w\.window_name, daily\.tier$/);
    const bq = backtestSql(HAND_RULES, HAND_PERIODS, {analysisDate: "2024-04-04", maturityDays: 20}, "bigquery", "p.d.leads");
    expect(bq).toContain("FROM `p.d.leads`");
    expect(bq).toContain("CAST(`target` AS INT64)");
    expect(bq).not.toContain('"');
    expect(() => backtestSql(HAND_RULES, [])).toThrow(PeriodsError);
  });
});

describe("backtest on synthetic data (seeds' periods)", () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
    await loadSource(db, {kind: "synthetic", rows: 6000, seed: 7});
  });
  afterAll(() => db?.close());

  it("agrees with tierReport per window for every preset", async () => {
    const columns = await describeColumns(db, "leads");
    const periods = parsePeriods(SEEDS_PERIODS);
    for (const preset of ["v3.1", "v3.2", "v3.2-consolidated"]) {
      const rules: RuleSet = JSON.parse(readFileSync(`data/rules/${preset}.json`, "utf8"));
      const options = {analysisDate: "2025-01-15", maturityDays: 43, columns};
      const bt = await runBacktest(db, rules, periods, options);
      expect(bt.results).toHaveLength(4);
      for (const [i, period] of periods.entries()) {
        for (const w of ["train", "test"] as const) {
          const {sql: _a, ...separate} = await tierReport(db, rules, {population: windowPopulation(period, w, options), columns});
          const {sql: _b, ...joint} = bt.results[i][w];
          expect(joint).toEqual(separate);
        }
      }
      expect(bt.tier1.lifts).toEqual(bt.results.map((r) => r.test.groups[0].lift));
    }
  });
});

/** Σ (q − p) ln(q / p) over shares computed from counts by hand (no adjustment inside). */
function psiByHand(train: number[], test: number[]): number {
  const a = train.reduce((x, y) => x + y, 0);
  const b = test.reduce((x, y) => x + y, 0);
  return train.reduce((sum, t, i) => sum + (test[i] / b - t / a) * Math.log(test[i] / b / (t / a)), 0);
}

describe("population stability and discrimination on the hand-built table", () => {
  let db: NodeConnector;
  let bt: Backtest;
  const bands = [{column: "x", label: "x", edges: [5, 10]}];
  beforeAll(async () => {
    db = await NodeConnector.open();
    await db.run(handLeadsSql());
    bt = await runBacktest(db, HAND_RULES, HAND_PERIODS, {bands});
  });
  afterAll(() => db?.close());

  it("PSI of the tier mix: leads per tier by hand, an empty tier counting 0.5, an empty window null", () => {
    expect(PSI_EMPTY_COUNT).toBe(0.5);
    // P1 train (January): T1 j1 j2, T2 j6, T3 j3 j4, REST j5 j7. Test (February): T1 f1 f5, T2 f2, T3 none (0.5), REST f3 f4.
    expect(bt.results[0].psi).toBeCloseTo(psiByHand([2, 1, 2, 2], [2, 1, 0.5, 2]), 12);
    // P2 train (January and February): T1 4, T2 2, T3 2, REST 4. Test (March): T1 m1, T2 none (0.5), T3 m2, REST m5 m3.
    expect(bt.results[1].psi).toBeCloseTo(psiByHand([4, 2, 2, 4], [1, 0.5, 1, 2]), 12);
    // P3's test window (June) holds no lead.
    expect(bt.results[2].psi).toBeNull();
    expect(bt.results[0].psi).toBeGreaterThan(0);
  });

  it("CSI of a band column: bands and the missing band by hand; a band empty in both windows adds nothing", async () => {
    // x bands < 5, 5–9, ≥ 10, missing. P1 train: j5 j7 | j3 j4 | j1 j2 | j6; test: f3 f4 | none (0.5) | f1 f5 | f2.
    expect(bt.results[0].csi.x).toBeCloseTo(psiByHand([2, 2, 2, 1], [2, 0.5, 2, 1]), 12);
    // P2 train: 4 | 2 | 4 | 2; test: m5 m3 | m2 | m1 | none (0.5).
    expect(bt.results[1].csi.x).toBeCloseTo(psiByHand([4, 2, 4, 2], [2, 1, 1, 0.5]), 12);
    expect(bt.results[2].csi).toEqual({x: null});
    expect(bt.csiColumns).toEqual([{column: "x", label: "x"}]);
    const wider = await runBacktest(db, HAND_RULES, HAND_PERIODS, {bands: [{column: "x", edges: [5, 10, 100]}]});
    expect(wider.results.map((r) => r.csi.x)).toEqual(bt.results.map((r) => r.csi.x));
    // A column the table does not hold is left out when the schema is known; no bands, no CSI.
    const columns = await describeColumns(db, "leads");
    const known = await runBacktest(db, HAND_RULES, HAND_PERIODS, {bands: [...bands, {column: "num_prior_firms", edges: [1]}], columns});
    expect(known.results[0].csi).toEqual({x: bt.results[0].csi.x});
    expect((await runBacktest(db, HAND_RULES, HAND_PERIODS)).results[0].csi).toEqual({});
  });

  it("stabilityIndex and the lights", () => {
    expect(stabilityIndex([10, 20, 30], [10, 20, 30])).toBe(0);
    expect(stabilityIndex([10, 0, 30], [10, 0, 30])).toBe(0); // empty in both: nothing
    expect(stabilityIndex([0, 0], [1, 2])).toBeNull();
    expect(stabilityIndex([3, 0], [0, 4])).toBeCloseTo(psiByHand([3, 0.5], [0.5, 4]), 12);
    expect(() => stabilityIndex([1], [1, 2])).toThrow(RangeError);
    expect([0, 0.0999, 0.1, 0.25, 0.2501, null].map(stabilityLight)).toEqual(["stable", "stable", "watch", "watch", "shifted", null]);
  });

  it("the test window's AUC, Gini and KS by hand, summarised across periods", () => {
    // P1 test, labeled: f1 T1 converted, f2 T2 converted, f3 f4 REST not: every converter ranks above every non-converter.
    expect(bt.results[0].discrimination).toEqual({auc: 1, gini: 1, ks: 1});
    // P2 test: converters m2 (T3), m5 (REST); non-converters m1 (T1), m3 (REST).
    // Pairs: m2 > m3 (1), m2 < m1 (0), m5 < m1 (0), m5 = m3 (½): U = 1.5 of 4. KS: after T1, 0 of the converters and ½ of the others.
    expect(bt.results[1].discrimination.auc).toBeCloseTo(0.375, 12);
    expect(bt.results[1].discrimination.gini).toBeCloseTo(-0.25, 12);
    expect(bt.results[1].discrimination.ks).toBeCloseTo(0.5, 12);
    expect(bt.results[2].discrimination).toEqual({auc: null, gini: null, ks: null});
    const auc = bt.discrimination.auc;
    expect(auc.values).toEqual([1, 0.375, null]);
    expect([auc.mean, auc.min, auc.max]).toEqual([0.6875, 0.375, 1]);
    expect(auc.sd).toBeCloseTo(0.3125 * Math.SQRT2, 12);
    expect(discriminationRows(bt).map((r) => r.measure)).toEqual(["AUC", "Gini", "KS"]);
    const json = backtestJson(bt);
    expect(json.periods[1]).toMatchObject({psi: bt.results[1].psi, csi: {x: bt.results[1].csi.x}});
    expect(json.periods[1].test.discrimination).toEqual(bt.results[1].discrimination);
    expect(json.discrimination.auc).toEqual(auc);
    expect(backtestToMarkdown(bt)).toContain("## Population stability and discrimination");
  });
});

describe("AUC against the Mann–Whitney U statistic computed in DuckDB SQL", () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
    await loadSource(db, {kind: "synthetic", rows: 6000, seed: 11});
  });
  afterAll(() => db?.close());

  it("every preset, every period's test window", async () => {
    const columns = await describeColumns(db, "leads");
    const periods = parsePeriods(SEEDS_PERIODS);
    for (const preset of ["v3.1", "v3.2-consolidated"]) {
      const rules: RuleSet = JSON.parse(readFileSync(`data/rules/${preset}.json`, "utf8"));
      const bt = await runBacktest(db, rules, periods, {columns});
      const ids = [...rules.tiers.map((t) => t.id), rules.fallback.id];
      // Score: higher is better (tier 1 highest). U = R₁ − n₁(n₁ + 1)/2 with average ranks over ties.
      const score = `CASE tier ${ids.map((id, i) => `WHEN '${id}' THEN ${ids.length - i}`).join(" ")} END`;
      for (const [i, period] of periods.entries()) {
        const [row] = await db.query(`
          WITH scored AS (
            SELECT ${score} AS score, target FROM (SELECT ${compileTierCase(rules, {columns})} AS tier, target FROM leads
              WHERE contacted_date BETWEEN DATE '${period.test[0]}' AND DATE '${period.test[1]}' AND target IS NOT NULL)
          ), ranked AS (
            SELECT target, AVG(rn) OVER (PARTITION BY score) AS r FROM (SELECT target, score, ROW_NUMBER() OVER (ORDER BY score) AS rn FROM scored)
          )
          SELECT (SUM(r) FILTER (WHERE target = 1) - COUNT(*) FILTER (WHERE target = 1) * (COUNT(*) FILTER (WHERE target = 1) + 1) / 2.0)
                 / (COUNT(*) FILTER (WHERE target = 1) * COUNT(*) FILTER (WHERE target = 0)) AS auc
          FROM ranked`);
        expect(bt.results[i].discrimination.auc, `${preset} ${period.name}`).toBeCloseTo(Number(row.auc), 12);
        expect(bt.results[i].discrimination.gini).toBeCloseTo(2 * Number(row.auc) - 1, 12);
      }
    }
  });
});
