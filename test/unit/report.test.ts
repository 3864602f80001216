import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {
  backtestGates,
  DEFAULT_THRESHOLDS,
  liftStabilityGate,
  resolveThresholds,
  tier1ShiftGate,
  twoWindowGates
} from "../../src/lib/tiers/gates.js";
import {reportFromCounts, tierCountsSql, tierReport, type Report, type TierStats} from "../../src/lib/tiers/report.js";
import {reportToCsv, reportToMarkdown} from "../../src/lib/tiers/format.js";
import {csvField} from "../../src/lib/table/index.js";
import type {RuleSet} from "../../src/lib/rules/types.js";

// A hand-built table whose every count is worked out below. Rule order matters: a lead goes to
// the first tier it matches; NULL in a tested column never matches.
const rules: RuleSet = {
  name: "hand",
  description: "hand-worked report fixture",
  tiers: [
    {id: "TIER_A", label: 'Hot, "very"', group: "G1", when: [{column: "x", gte: 10}], expectedConversion: 0.5},
    {id: "TIER_B", label: "B", group: "G1", when: [{column: "y", eq: "s"}]},
    {id: "TIER_C", label: "C", when: [{column: "x", between: [5, 9]}]},
    {id: "TIER_EMPTY", label: "Empty", when: [{column: "x", gt: 1000}]},
    {id: "TIER_NOLABEL", label: "No label", when: [{column: "x", eq: -1}]}
  ],
  fallback: {id: "REST", label: "Rest"}
};

// lead, date, target, split, x, y      → tier (why)
const LEADS: [string, string, number | null, string, number | null, string | null][] = [
  ["a1", "2024-03-01", 1, "TRAIN", 10, null], // TIER_A (x = 10 on the threshold)
  ["a2", "2024-03-01", 1, "TRAIN", 12, null], // TIER_A
  ["a3", "2024-03-01", 0, "TRAIN", 20, "s"], // TIER_A (first match beats TIER_B)
  ["a4", "2024-03-01", null, "TRAIN", 15, null], // TIER_A, unlabeled
  ["b1", "2024-03-01", 1, "TRAIN", null, "s"], // TIER_B (x NULL falls through TIER_A)
  ["b2", "2024-03-01", 0, "TRAIN", null, "s"], // TIER_B
  ["b3", "2024-03-01", 0, "TRAIN", 4, "s"], // TIER_B
  ["c1", "2024-03-01", 0, "TRAIN", 5, null], // TIER_C (lower bound)
  ["c2", "2024-03-01", 0, "TRAIN", 9, null], // TIER_C (upper bound)
  ["c3", "2024-04-15", 1, "TRAIN", 7, null], // TIER_C, contacted late (immature with the maturity rule below)
  ["c4", "2024-03-01", 0, "TRAIN", 7, "t"], // TIER_C
  ["n1", "2024-03-01", null, "TRAIN", -1, null], // TIER_NOLABEL
  ["n2", "2024-03-01", null, "TRAIN", -1, "t"], // TIER_NOLABEL
  ["r1", "2024-03-01", 0, "TRAIN", 4, null], // REST
  ["r2", "2024-03-01", 0, "TRAIN", null, null], // REST (every feature NULL)
  ["r3", "2024-03-01", 0, "TRAIN", null, "t"], // REST
  ["r4", "2024-03-01", 1, "TRAIN", 0, null], // REST
  ["r5", "2024-03-01", null, "TRAIN", 3, null], // REST, unlabeled
  ["e1", "2024-03-01", 1, "TEST", 10, null], // TIER_A, TEST split
  ["e2", "2024-03-01", 1, "TEST", null, null] // REST, TEST split
];

// Wilson 95% intervals worked from the closed form (centre ± half-width, see stats.test.ts).
const W = {
  "2/3": [0.207659600802048, 0.938508055279604],
  "1/3": [0.0614919447203962, 0.792340399197952],
  "1/4": [0.0455872608097005, 0.699358157417598],
  "3/6": [0.187616306482651, 0.812383693517349],
  "5/14": [0.163447317535541, 0.612355768960926]
};

let db: NodeConnector;

beforeAll(async () => {
  db = await NodeConnector.open();
  await db.run(
    `CREATE TABLE leads (lead_id VARCHAR, contacted_date DATE, target INTEGER, split VARCHAR, is_wirehouse INTEGER, x INTEGER, y VARCHAR)`
  );
  const q = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v}'`);
  const values = LEADS.map(
    ([id, date, target, split, x, y]) => `(${q(id)}, DATE ${q(date)}, ${q(target)}, ${q(split)}, 0, ${q(x)}, ${q(y)})`
  );
  await db.run(`INSERT INTO leads VALUES ${values.join(", ")}`);
});

afterAll(() => db?.close());

function expectStats(actual: TierStats, expected: Partial<Record<keyof TierStats, unknown>>) {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key as keyof TierStats];
    if (typeof value === "number") expect(got, `${actual.id}.${key}`).toBeCloseTo(value, 12);
    else if (Array.isArray(value) && typeof value[0] === "number") {
      expect((got as number[])[0], `${actual.id}.${key}[0]`).toBeCloseTo(value[0], 12);
      expect((got as number[])[1], `${actual.id}.${key}[1]`).toBeCloseTo(value[1], 12);
    } else expect(got, `${actual.id}.${key}`).toEqual(value);
  }
}

describe("tierReport on the hand-built table (TRAIN)", () => {
  let report: Report;
  beforeAll(async () => {
    report = await tierReport(db, rules, {population: {split: "TRAIN"}});
  });

  it("counts the population: 18 leads, 14 labeled, 5 conversions", () => {
    expect(report.rules).toBe("hand");
    expect(report.population).toMatchObject({leads: 18, labeled: 14, conversions: 5, description: "TRAIN"});
    expect(report.population.rate).toBeCloseTo(5 / 14, 15);
    expectStats(report.population as unknown as TierStats, {ci: W["5/14"]});
  });

  it("lists every tier in rule order, the fallback last, even when empty", () => {
    expect(report.tiers.map((t) => t.id)).toEqual(["TIER_A", "TIER_B", "TIER_C", "TIER_EMPTY", "TIER_NOLABEL", "REST"]);
    expect(report.fallback).toBe("REST");
  });

  it("computes every tier's numbers as worked by hand", () => {
    const [a, b, c, empty, nolabel, rest] = report.tiers;
    // TIER_A: 2/3 vs population 5/14 → lift 28/15; vs REST 1/4 → 8/3.
    // Pooled test vs REST (2/3 vs 1/4): z = (5/12)/√(3/7·4/7·7/12) = (5/12)√7, p = 0.270289; Holm over 3 tests: ×3.
    expectStats(a, {
      group: "G1",
      label: 'Hot, "very"',
      leads: 4,
      labeled: 3,
      conversions: 2,
      rate: 2 / 3,
      ci: W["2/3"],
      share: 4 / 18,
      lift: 28 / 15,
      liftVsFallback: 8 / 3,
      expectedConversion: 0.5,
      pValue: 0.2702893848016987,
      pAdjusted: 3 * 0.2702893848016987,
      significant: false,
      small: true,
      fallback: false
    });
    // TIER_B: 1/3 → lift 14/15, vs REST 4/3; z = (1/12)/√(2/7·5/7·7/12), p = 0.809150; Holm: 2 × p > 1 → 1.
    expectStats(b, {
      group: "G1",
      leads: 3,
      labeled: 3,
      conversions: 1,
      rate: 1 / 3,
      ci: W["1/3"],
      share: 3 / 18,
      lift: 14 / 15,
      liftVsFallback: 4 / 3,
      pValue: 0.8091498346314981,
      pAdjusted: 1,
      significant: false,
      expectedConversion: null
    });
    // TIER_C: 1/4, the same rate as REST: z = 0, p = 1.
    expectStats(c, {
      group: "TIER_C",
      leads: 4,
      labeled: 4,
      conversions: 1,
      rate: 0.25,
      ci: W["1/4"],
      share: 4 / 18,
      lift: 0.7,
      liftVsFallback: 1,
      pValue: 1,
      pAdjusted: 1,
      significant: false
    });
    expectStats(empty, {
      leads: 0,
      labeled: 0,
      conversions: 0,
      rate: null,
      ci: null,
      share: 0,
      lift: null,
      liftVsFallback: null,
      pValue: null,
      pAdjusted: null,
      significant: null,
      small: true
    });
    expectStats(nolabel, {
      leads: 2,
      labeled: 0,
      conversions: 0,
      rate: null,
      ci: null,
      share: 2 / 18,
      lift: null,
      liftVsFallback: null,
      pValue: null,
      pAdjusted: null,
      significant: null
    });
    expectStats(rest, {
      group: "REST",
      fallback: true,
      leads: 5,
      labeled: 4,
      conversions: 1,
      rate: 0.25,
      ci: W["1/4"],
      share: 5 / 18,
      lift: 0.7,
      liftVsFallback: 1,
      pValue: null,
      pAdjusted: null,
      significant: null,
      small: true
    });
  });

  it("computes the groups: G1 = TIER_A + TIER_B, every other tier its own group", () => {
    expect(report.groups.map((g) => [g.id, g.tiers])).toEqual([
      ["G1", ["TIER_A", "TIER_B"]],
      ["TIER_C", ["TIER_C"]],
      ["TIER_EMPTY", ["TIER_EMPTY"]],
      ["TIER_NOLABEL", ["TIER_NOLABEL"]],
      ["REST", ["REST"]]
    ]);
    // G1: 3/6 → lift 1.4, vs REST 2; z = (1/4)/√(4/10·6/10·(1/6 + 1/4)) = 0.790569, p = 0.429195; Holm over 2 tests: ×2.
    expectStats(report.groups[0], {
      leads: 7,
      labeled: 6,
      conversions: 3,
      rate: 0.5,
      ci: W["3/6"],
      share: 7 / 18,
      lift: 1.4,
      liftVsFallback: 2,
      pValue: 0.42919530044034926,
      pAdjusted: 2 * 0.42919530044034926,
      label: "G1"
    });
    expectStats(report.groups[1], {label: "C", leads: 4, rate: 0.25, pValue: 1, pAdjusted: 1});
    expectStats(report.groups[4], {fallback: true, leads: 5, pValue: null});
  });

  it("computes the gates, failing those it cannot evaluate", () => {
    expect(report.gates.map((g) => [g.id, g.pass, g.value])).toEqual([
      ["tier1-rate", true, 0.5],
      ["priority-lift", false, null],
      ["priority-share", false, 13 / 18],
      ["ci-overlap", false, null],
      ["tier-order", true, 0]
    ]);
    expect(report.gates[1].detail).toContain("TIER_EMPTY, TIER_NOLABEL");
    // Tiers with labeled leads, in rule order: A 2/3, B 1/3, C 1/4, REST 1/4; none separated.
    expect(report.gates[4].detail).toBe("not separated: TIER_A vs TIER_B, TIER_B vs TIER_C, TIER_C vs REST; no labeled leads: TIER_EMPTY, TIER_NOLABEL");
  });

  it("cumulates the gains in rule order and gives AUC, Gini and KS by hand", () => {
    // TRAIN: A 4 leads / 3 labeled / 2 conv., B 3/3/1, C 4/4/1, EMPTY 0/0/0, NOLABEL 2/0/0, REST 5/4/1;
    // the population 18 / 14 / 5, rate 5/14.
    const rate = 5 / 14;
    expect(report.gains).toEqual([
      {id: "TIER_A", cumLeads: 4, cumLabeled: 3, cumConversions: 2, cumLeadsShare: 4 / 18, cumConversionsShare: 2 / 5, cumRate: 2 / 3, cumLift: 2 / 3 / rate},
      {id: "TIER_B", cumLeads: 7, cumLabeled: 6, cumConversions: 3, cumLeadsShare: 7 / 18, cumConversionsShare: 3 / 5, cumRate: 3 / 6, cumLift: 3 / 6 / rate},
      {id: "TIER_C", cumLeads: 11, cumLabeled: 10, cumConversions: 4, cumLeadsShare: 11 / 18, cumConversionsShare: 4 / 5, cumRate: 4 / 10, cumLift: 4 / 10 / rate},
      {id: "TIER_EMPTY", cumLeads: 11, cumLabeled: 10, cumConversions: 4, cumLeadsShare: 11 / 18, cumConversionsShare: 4 / 5, cumRate: 4 / 10, cumLift: 4 / 10 / rate},
      {id: "TIER_NOLABEL", cumLeads: 13, cumLabeled: 10, cumConversions: 4, cumLeadsShare: 13 / 18, cumConversionsShare: 4 / 5, cumRate: 4 / 10, cumLift: 4 / 10 / rate},
      {id: "REST", cumLeads: 18, cumLabeled: 14, cumConversions: 5, cumLeadsShare: 1, cumConversionsShare: 1, cumRate: rate, cumLift: 1}
    ].map((row) => expect.objectContaining(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "number" && !Number.isInteger(v) ? expect.closeTo(v, 12) : v])))));
    // Converters / non-converters per tier: A 2/1, B 1/2, C 1/3, REST 1/3 (P = 5, N = 9).
    // U = 2·(2+3+3 + ½·1) + 1·(3+3 + ½·2) + 1·(3 + ½·3) + 1·(½·3) = 17 + 7 + 4.5 + 1.5 = 30; AUC = 30/45.
    // KS: |2/5 − 1/9| = 13/45 after A; 3/5 − 3/9, 4/5 − 6/9 and 0 after the others.
    expect(report.discrimination.auc).toBeCloseTo(2 / 3, 12);
    expect(report.discrimination.gini).toBeCloseTo(1 / 3, 12);
    expect(report.discrimination.ks).toBeCloseTo(13 / 45, 12);
  });

  it("gives each tier's lift a Katz interval against the population, null without conversions", () => {
    // TIER_A 2/3 against the population's 5/14: exp(ln(28/15) ± 1.96·√(1/2 − 1/3 + 1/5 − 1/14)).
    const se = Math.sqrt(1 / 2 - 1 / 3 + 1 / 5 - 1 / 14);
    expect(report.tiers[0].liftCi![0]).toBeCloseTo((28 / 15) * Math.exp(-1.959963984540054 * se), 12);
    expect(report.tiers[0].liftCi![1]).toBeCloseTo((28 / 15) * Math.exp(1.959963984540054 * se), 12);
    expect(report.tiers[3].liftCi).toBeNull();
    expect(report.tiers[4].liftCi).toBeNull();
  });

  it("carries the one aggregate query it ran", () => {
    expect(report.sql).toBe(tierCountsSql(rules, {split: "TRAIN"}));
    expect(report.sql).toMatch(
      /^SELECT tier, COUNT\(\*\) AS leads, COUNT\(label\) AS labeled, COALESCE\(SUM\(label\), 0\) AS conversions\nFROM \(/
    );
    expect(report.sql).toContain(`WHERE "split" = 'TRAIN'`);
  });
});

describe("tierReport populations", () => {
  it("counts both splits when no population is given", async () => {
    const report = await tierReport(db, rules);
    expect(report.population).toMatchObject({leads: 20, labeled: 16, conversions: 7, description: "all leads"});
    expect(report.tiers[0]).toMatchObject({leads: 5, labeled: 4, conversions: 3});
    expect(report.tiers[5]).toMatchObject({leads: 6, labeled: 5, conversions: 2});
  });

  it("counts immature leads in volume only", async () => {
    // Mature by 2024-04-30 − 30 days = 2024-03-31: c3 (2024-04-15, converted) loses its label.
    const report = await tierReport(db, rules, {
      population: {split: "TRAIN", analysisDate: "2024-04-30", maturityDays: 30}
    });
    expect(report.population).toMatchObject({leads: 18, labeled: 13, conversions: 4});
    expect(report.tiers[2]).toMatchObject({
      id: "TIER_C",
      leads: 4,
      labeled: 3,
      conversions: 0,
      rate: 0,
      ci: [0, expect.any(Number)]
    });
  });

  it("checks the rule set's columns against the table when asked", async () => {
    await expect(tierReport(db, rules, {columns: [{name: "x", kind: "number", type: "INTEGER"}]})).rejects.toThrow(
      /unknown column "y"/
    );
  });
});

// The seeds' V3.2_12212025 table, as counts: 15.92% of 245 = 39, 8.59% of 1,281 = 110, 9.52% of 84 = 8,
// 11.54% of 130 = 15, 7.27% of 674 = 49, 3.44% of 37,034 = 1,274; 1,495 conversions in 39,448 leads,
// the log's Phase 1.1 positives.
const consolidated: RuleSet = {
  name: "V3.2_12212025",
  description: "",
  tiers: [
    "TIER_1_PRIME_MOVER",
    "TIER_2_PROVEN_MOVER",
    "TIER_3_MODERATE_BLEEDER",
    "TIER_4_EXPERIENCED_MOVER",
    "TIER_5_HEAVY_BLEEDER"
  ].map((id) => ({id, label: id, when: [{column: "x", eq: 1}]})),
  fallback: {id: "STANDARD", label: "Standard"}
};
const published = [
  {tier: "TIER_1_PRIME_MOVER", leads: 245, labeled: 245, conversions: 39},
  {tier: "TIER_2_PROVEN_MOVER", leads: 1281, labeled: 1281, conversions: 110},
  {tier: "TIER_3_MODERATE_BLEEDER", leads: 84, labeled: 84, conversions: 8},
  {tier: "TIER_4_EXPERIENCED_MOVER", leads: 130, labeled: 130, conversions: 15},
  {tier: "TIER_5_HEAVY_BLEEDER", leads: 674, labeled: 674, conversions: 49},
  {tier: "STANDARD", leads: 37034, labeled: 37034, conversions: 1274}
];

describe("reportFromCounts on the seeds' published V3.2_12212025 counts", () => {
  const report = reportFromCounts(consolidated, published);

  it("reproduces the seeds' lifts as lift vs STANDARD, and shows the lower lift vs all leads", () => {
    expect(report.population).toMatchObject({leads: 39448, labeled: 39448, conversions: 1495});
    expect(report.tiers.map((t) => t.liftVsFallback!.toFixed(2))).toEqual([
      "4.63",
      "2.50",
      "2.77",
      "3.35",
      "2.11",
      "1.00"
    ]);
    expect(report.tiers.map((t) => (t.rate! * 100).toFixed(2))).toEqual([
      "15.92",
      "8.59",
      "9.52",
      "11.54",
      "7.27",
      "3.44"
    ]);
    // lift vs all leads = (39/245) / (1495/39448) = 4.2003
    expect(report.tiers[0].lift).toBeCloseTo((39 * 39448) / (245 * 1495), 12);
  });

  it("gives a Wilson interval that contains 15.92%", () => {
    const [low, high] = report.tiers[0].ci!;
    expect(low).toBeCloseTo(0.118686, 6);
    expect(high).toBeCloseTo(0.210204, 6);
    expect(low < 0.1592 && 0.1592 < high).toBe(true);
  });

  it("evaluates the gates: Heavy Bleeder's lift vs all leads is under 2.0", () => {
    const byId = Object.fromEntries(report.gates.map((g) => [g.id, g]));
    expect(byId["tier1-rate"]).toMatchObject({pass: true, threshold: 0.1, comparison: ">="});
    expect(byId["tier1-rate"].value).toBeCloseTo(39 / 245, 15);
    // (49/674) / (1495/39448) = 1.9183
    expect(byId["priority-lift"]).toMatchObject({pass: false, threshold: 2});
    expect(byId["priority-lift"].value).toBeCloseTo((49 * 39448) / (674 * 1495), 12);
    expect(byId["priority-lift"].detail).toContain("TIER_5_HEAVY_BLEEDER");
    // 2,414 / 39,448 = 6.12%
    expect(byId["priority-share"]).toMatchObject({
      pass: true,
      threshold: 0.05,
      thresholdMax: 0.15,
      comparison: "between"
    });
    expect(byId["priority-share"].value).toBeCloseTo(2414 / 39448, 15);
    // STANDARD 1274/37034: Wilson upper 3.631%; the lowest priority lower bound is 8/84's 4.905%.
    expect(byId["ci-overlap"]).toMatchObject({pass: true, value: 0, threshold: 0});
    expect(report.tiers[5].ci![1]).toBeCloseTo(0.0363058683344967, 10);
    expect(report.tiers[2].ci![0]).toBeCloseTo(0.0490517099095594, 10);
    expect(report.tiers.every((t) => t.fallback || t.significant)).toBe(true);
  });

  it("uses edited thresholds", () => {
    const strict = reportFromCounts(consolidated, published, {
      thresholds: {tier1MinRate: 0.2, priorityShare: [0.01, 0.05], minLabeled: 100}
    });
    expect(strict.gates.find((g) => g.id === "tier1-rate")!.pass).toBe(false);
    expect(strict.gates.find((g) => g.id === "priority-share")!.pass).toBe(false);
    expect(strict.tiers.filter((t) => t.small).map((t) => t.id)).toEqual(["TIER_3_MODERATE_BLEEDER"]);
    expect(() => resolveThresholds({priorityShare: [0.2, 0.1]})).toThrow(/min ≤ max/);
    expect(() => resolveThresholds({alpha: -1})).toThrow(/alpha/);
  });

  it("rejects counts that do not add up or name unknown tiers", () => {
    expect(() => reportFromCounts(consolidated, [{tier: "X", leads: 1, labeled: 1, conversions: 0}])).toThrow(
      /does not have/
    );
    expect(() => reportFromCounts(consolidated, [{tier: "STANDARD", leads: 1, labeled: 1, conversions: 2}])).toThrow(
      /do not add up/
    );
  });

  it("gives nulls, not NaN, for an empty population", () => {
    const empty = reportFromCounts(consolidated, []);
    expect(empty.population).toMatchObject({leads: 0, labeled: 0, rate: null, ci: null});
    expect(empty.tiers.every((t) => t.rate === null && t.share === null && t.lift === null && t.ci === null)).toBe(
      true
    );
    expect(empty.gates.every((g) => !g.pass && g.value === null)).toBe(true);
    expect(JSON.stringify(empty)).not.toContain("NaN");
  });
});

describe("two-window and backtest gates", () => {
  it("check test lift against train lift (seeds' Phase 5.1: 3.69× → 4.80×)", () => {
    // |4.80 − 3.69| / 3.69 = 0.3008 ≤ 0.5
    const g = liftStabilityGate("TIER_1", 3.69, 4.8, DEFAULT_THRESHOLDS);
    expect(g).toMatchObject({id: "lift-stability:TIER_1", pass: true, threshold: 0.5});
    expect(g.value).toBeCloseTo(1.11 / 3.69, 12);
    expect(liftStabilityGate("TIER_1", 3.0, 1.4, DEFAULT_THRESHOLDS).pass).toBe(false);
    expect(liftStabilityGate("TIER_1", null, 1.4, DEFAULT_THRESHOLDS)).toMatchObject({pass: false, value: null});
  });

  it("check the Tier 1 conversion shift (seeds' G5.1.6: 13.5% → 20.0% fails)", () => {
    const g = tier1ShiftGate(0.135, 0.2, DEFAULT_THRESHOLDS);
    expect(g.pass).toBe(false);
    expect(g.value).toBeCloseTo(0.065, 12);
    expect(tier1ShiftGate(0.135, 0.16, DEFAULT_THRESHOLDS).pass).toBe(true);
  });

  it("compare two reports group by group", () => {
    const train = reportFromCounts(consolidated, published);
    const test = reportFromCounts(
      consolidated,
      published.map((c) => (c.tier === "TIER_1_PRIME_MOVER" ? {...c, conversions: 60} : c))
    );
    const gates = twoWindowGates(train, test, DEFAULT_THRESHOLDS);
    expect(gates.map((g) => g.id)).toEqual([
      "lift-stability:TIER_1_PRIME_MOVER",
      "lift-stability:TIER_2_PROVEN_MOVER",
      "lift-stability:TIER_3_MODERATE_BLEEDER",
      "lift-stability:TIER_4_EXPERIENCED_MOVER",
      "lift-stability:TIER_5_HEAVY_BLEEDER",
      "tier1-shift"
    ]);
    // Tier 1 rate 39/245 → 60/245: shift 21/245 = 0.0857 ≥ 0.05.
    expect(gates[5].value).toBeCloseTo(21 / 245, 12);
    expect(gates[5].pass).toBe(false);
  });

  it("check the backtest lifts (seeds: 5.86, 4.65, 5.25, 4.70 pass all three)", () => {
    const gates = backtestGates([5.86, 4.65, 5.25, 4.7], DEFAULT_THRESHOLDS);
    expect(gates.map((g) => [g.id, g.pass])).toEqual([
      ["backtest-mean-lift", true],
      ["backtest-min-lift", true],
      ["backtest-lift-sd", true]
    ]);
    expect(gates[0].value).toBeCloseTo(5.115, 12);
    expect(gates[1].value).toBe(4.65);
    expect(gates[2].value).toBeCloseTo(0.566186, 6);
    // 3.0, 2.4, 4.0: mean 3.1333 passes, min 2.4 fails, sd √(1.306667/2) = 0.808290 passes.
    const mixed = backtestGates([3.0, 2.4, 4.0], DEFAULT_THRESHOLDS);
    expect(mixed.map((g) => g.pass)).toEqual([true, false, true]);
    expect(mixed[2].value).toBeCloseTo(0.80829, 5);
    expect(backtestGates([5, null], DEFAULT_THRESHOLDS).every((g) => !g.pass && g.value === null)).toBe(true);
    expect(backtestGates([], DEFAULT_THRESHOLDS).every((g) => !g.pass && g.value === null)).toBe(true);
  });
});

describe("report formats", () => {
  let report: Report;
  beforeAll(async () => {
    report = await tierReport(db, rules, {population: {split: "TRAIN"}});
  });

  it("renders Markdown with n next to every rate and both lifts labelled", () => {
    const md = reportToMarkdown(report);
    expect(md).toContain(
      "| tier | leads | share | labeled (n) | conv. | rate | 95% CI (Wilson) | lift vs all leads | lift 95% CI (Katz) | lift vs Rest | p vs Rest (Holm) | flags |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    // TIER_A: 4 of the 18 TRAIN leads (22.2%), 2 conversions of 3 labeled; p 0.811 ≥ 0.05.
    expect(md).toContain('| Hot, "very" | 4 | 22.2% | 3 | 2 | 66.67% | 20.77–93.85% | 1.87× | 0.64×–5.41× | 2.67× | 0.811 | n < 50, not significant |');
    expect(md).toContain("| Empty | 0 | 0.0% | 0 | 0 | – | – | – | – | – | – | n < 50 |");
    expect(md).toContain("## Gains\n\nTiers in rule order (fallback last), cumulated. Over labeled leads, the tier order's AUC is 0.667 (ties counted half), Gini 0.333, KS 0.289.");
    expect(md).toContain("| through tier | cum. leads | share of leads | cum. labeled | cum. conv. | share of conversions | cum. rate | cum. lift |");
    expect(md).toContain("| C | 11 | 61.1% | 10 | 4 | 80.0% | 40.00% | 1.12× |");
    expect(md).toContain("| Rest | 5 | 27.8% | 4 | 1 | 25.00% |");
    expect(md).toMatch(/\| Rest \|.*\| – \| fallback, n < 50 \|/);
    expect(md).toContain("## Groups\n\n| group | leads |");
    expect(md).toContain("| result | gate | value | threshold | detail |");
    expect(md).toContain("| ✓ pass | Tier 1 (G1) conversion ≥ 10% | 50.00% | ≥ 10.00% |");
    expect(md).toContain("| ✗ fail | Priority tiers hold 5%–15% of leads | 72.22% | 5.00% – 15.00% |");
    expect(md).toContain("| ✗ fail | Every priority tier's lift vs all leads ≥ 2× | – | ≥ 2.00× |");
    expect(md).toContain("Population: TRAIN — 18 leads, 14 labeled, 5 conversions, rate 35.71% (n = 14)");
  });

  it("renders CSV with one row per tier and RFC 4180 quoting", () => {
    const csv = reportToCsv(report);
    const lines = csv.split("\r\n");
    expect(lines).toHaveLength(report.tiers.length + 2); // header, tiers, trailing empty
    expect(lines[0]).toBe(
      "tier,label,group,fallback,leads,share,labeled,conversions,rate,ci_low,ci_high,lift,lift_ci_low,lift_ci_high,lift_vs_fallback,expected_conversion,p_value,p_adjusted,significant,small,flags"
    );
    expect(lines[1].startsWith(`TIER_A,"Hot, ""very""",G1,false,4,${4 / 18},3,2,${2 / 3},`)).toBe(true);
    expect(lines[1].endsWith(",false,true,\"n < 50, not significant\"")).toBe(true);
    expect(lines[4]).toBe("TIER_EMPTY,Empty,TIER_EMPTY,false,0,0,0,0,,,,,,,,,,,,true,n < 50");
    expect(lines[6].startsWith(`REST,Rest,REST,true,5,${5 / 18},4,1,0.25,`)).toBe(true);
    expect(lines[7]).toBe("");
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField(null)).toBe("");
  });
});
