// Hand-worked checks of the statistics behind the report's gains, discrimination, lift intervals
// and tier-order gate (the AUC against DuckDB's Mann–Whitney U is in cli-report.test.ts, gains on
// the hand-built leads table in report.test.ts).
import {describe, expect, it} from "vitest";
import {discrimination, katzRatioCi, oneSidedGreaterP} from "../../src/lib/stats.js";
import {tierOrderPairs} from "../../src/lib/tiers/gates.js";
import {reportFromCounts} from "../../src/lib/tiers/report.js";
import type {RuleSet} from "../../src/lib/rules/types.js";

const rules = (ids: string[]): RuleSet => ({
  name: "order",
  tiers: ids.map((id, i) => ({id, label: id, when: [{column: "x", gte: 100 - i}]})),
  fallback: {id: "REST", label: "Rest"}
});

describe("katzRatioCi", () => {
  it("reproduces SciPy's published Katz example (scipy.stats.contingency.relative_risk docs: 10/75 vs 12/225)", () => {
    // https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats._result_classes.RelativeRiskResult.confidence_interval.html
    // relative_risk(exposed_cases=10, exposed_total=75, control_cases=12, control_total=225): RR 2.5,
    // ConfidenceInterval(low=1.1261564003469628, high=5.549850800541033), "the Katz method (Method C of
    // Katz, Baptista, Azen & Pike, Biometrics 34, 1978)".
    const [low, high] = katzRatioCi(10, 75, 12, 225)!;
    expect(low).toBeCloseTo(1.1261564003469628, 9);
    expect(high).toBeCloseTo(5.549850800541033, 9);
  });

  it("is null when either proportion is 0 or a sample is empty", () => {
    expect(katzRatioCi(0, 10, 3, 10)).toBeNull();
    expect(katzRatioCi(3, 10, 0, 10)).toBeNull();
    expect(katzRatioCi(0, 0, 3, 10)).toBeNull();
    expect(() => katzRatioCi(4, 3, 1, 2)).toThrow(RangeError);
  });
});

describe("discrimination", () => {
  it("counts ties half, and is null without converters or non-converters", () => {
    expect(discrimination([{positives: 3, negatives: 7}])).toEqual({auc: 0.5, gini: 0, ks: 0});
    expect(discrimination([{positives: 0, negatives: 7}, {positives: 0, negatives: 2}])).toEqual({auc: null, gini: null, ks: null});
    expect(discrimination([])).toEqual({auc: null, gini: null, ks: null});
    // Perfect order, with an empty level between.
    expect(discrimination([{positives: 2, negatives: 0}, {positives: 0, negatives: 0}, {positives: 0, negatives: 5}])).toEqual({auc: 1, gini: 1, ks: 1});
    // Reversed: AUC 0, Gini −1, KS 1 (the gap is taken in absolute value).
    expect(discrimination([{positives: 0, negatives: 5}, {positives: 2, negatives: 0}])).toEqual({auc: 0, gini: -1, ks: 1});
    // 1/1, then 1/3: U = 1·(3 + ½·1) + 1·(½·3) = 5, AUC 5/8; KS max(|1/2 − 1/4|, 0) = 1/4.
    expect(discrimination([{positives: 1, negatives: 1}, {positives: 1, negatives: 3}])).toEqual({auc: 5 / 8, gini: 1 / 4, ks: 1 / 4});
  });

  it("a tier with no conversions still counts its non-converters", () => {
    // Levels 2/2, 0/4 (no conversions), 1/4: P = 3, N = 10.
    // U = 2·(4 + 4 + ½·2) + 0 + 1·(½·4) = 18 + 2 = 20; AUC = 20/30.
    // KS: |2/3 − 2/10| = 7/15, |2/3 − 6/10| = 1/15, 0.
    const d = discrimination([{positives: 2, negatives: 2}, {positives: 0, negatives: 4}, {positives: 1, negatives: 4}]);
    expect(d.auc).toBeCloseTo(2 / 3, 14);
    expect(d.ks).toBeCloseTo(7 / 15, 14);
    const report = reportFromCounts(rules(["T1", "T2"]), [
      {tier: "T1", leads: 5, labeled: 4, conversions: 2},
      {tier: "T2", leads: 4, labeled: 4, conversions: 0},
      {tier: "REST", leads: 6, labeled: 5, conversions: 1}
    ]);
    expect(report.discrimination.auc).toBeCloseTo(2 / 3, 14);
    expect(report.gains.map((g) => [g.cumLeads, g.cumLabeled, g.cumConversions, g.cumConversionsShare])).toEqual([[5, 4, 2, 2 / 3], [9, 8, 2, 2 / 3], [15, 13, 3, 1]]);
    expect(report.gains[1].cumRate).toBe(2 / 8);
    expect(report.tiers[1].liftCi).toBeNull();
  });

  it("gives nulls, never NaN, for a population without conversions", () => {
    const report = reportFromCounts(rules(["T1"]), [{tier: "T1", leads: 3, labeled: 3, conversions: 0}, {tier: "REST", leads: 2, labeled: 0, conversions: 0}]);
    expect(report.discrimination).toEqual({auc: null, gini: null, ks: null});
    expect(report.gains[0]).toEqual({id: "T1", cumLeads: 3, cumLabeled: 3, cumConversions: 0, cumLeadsShare: 3 / 5, cumConversionsShare: null, cumRate: 0, cumLift: null});
    expect(JSON.stringify(report)).not.toContain("NaN");
  });
});

describe("the tier-order gate", () => {
  // Pooled one-sided z tests worked by hand (Φ from math.erfc in Python):
  // 30/100 vs 10/100: pooled 0.2, SE √(0.2·0.8·0.02) = 0.0565685, z = 3.5355339, Φ(−z) = 2.0347601e-4.
  // 30/100 vs 20/1000: pooled 50/1100, z = 12.8166558, Φ(−z) = 6.6e-38.
  // 15/100 vs 12/100: pooled 0.135, z = 0.6207709, Φ(−z) = 0.2673752.
  // 12/100 vs 20/1000: pooled 32/1100, z = 5.6732997, Φ(−z) = 7.0036e-9.
  it("fails on a significant inversion (Holm across the three pairs) and names it", () => {
    const report = reportFromCounts(rules(["T1", "T2", "T3"]), [
      {tier: "T1", leads: 100, labeled: 100, conversions: 30},
      {tier: "T2", leads: 100, labeled: 100, conversions: 10},
      {tier: "T3", leads: 100, labeled: 100, conversions: 30},
      {tier: "REST", leads: 1000, labeled: 1000, conversions: 20}
    ]);
    expect(oneSidedGreaterP(30, 100, 10, 100)).toBeCloseTo(2.0347600872248e-4, 15);
    const pairs = tierOrderPairs(report.tiers, 0.05);
    expect(pairs.map((p) => [p.earlier, p.later, p.separated, p.inverted])).toEqual([
      ["T1", "T2", true, false],
      ["T2", "T3", false, true],
      ["T3", "REST", true, false]
    ]);
    // Inversions: T2 vs T3's 2.0348e-4 is the smallest of three: × 3; the others' ≈ 1 stay at 1.
    expect(pairs[1].pInverted).toBeCloseTo(3 * 2.0347600872248e-4, 12);
    // Order: 6.6e-38 × 3, then T1 vs T2's 2.0348e-4 × 2, then T2 vs T3's 1 − 2.0348e-4 × 1.
    expect(pairs[0].pOrdered).toBeCloseTo(2 * 2.0347600872248e-4, 12);
    expect(pairs[1].pOrdered).toBeCloseTo(1 - 2.0347600872248e-4, 12);
    const gate = report.gates.find((g) => g.id === "tier-order")!;
    expect([gate.pass, gate.value, gate.detail]).toEqual([false, 1, "inverted: T2 vs T3"]);
  });

  it("passes when no pair is inverted, naming the pairs not separated", () => {
    const report = reportFromCounts(rules(["T1", "T2", "T3"]), [
      {tier: "T1", leads: 100, labeled: 100, conversions: 15},
      {tier: "T2", leads: 100, labeled: 100, conversions: 12},
      {tier: "T3", leads: 7, labeled: 0, conversions: 0},
      {tier: "REST", leads: 1000, labeled: 1000, conversions: 20}
    ]);
    const pairs = tierOrderPairs(report.tiers, 0.05);
    // T3 has no labeled leads: T2 is compared with REST directly.
    expect(pairs.map((p) => [p.earlier, p.later])).toEqual([["T1", "T2"], ["T2", "REST"]]);
    expect(pairs[0].pOrdered).toBeCloseTo(0.2673752009401399, 12); // the larger of two: × 1
    expect(pairs[1].pOrdered).toBeCloseTo(2 * 7.003642566181994e-9, 15);
    const gate = report.gates.find((g) => g.id === "tier-order")!;
    expect([gate.pass, gate.value, gate.detail]).toEqual([true, 0, "not separated: T1 vs T2; no labeled leads: T3"]);
  });

  it("cannot be checked (fails, value null) with fewer than two labeled tiers", () => {
    const report = reportFromCounts(rules(["T1"]), [{tier: "T1", leads: 4, labeled: 0, conversions: 0}, {tier: "REST", leads: 9, labeled: 9, conversions: 1}]);
    const gate = report.gates.find((g) => g.id === "tier-order")!;
    expect([gate.pass, gate.value, gate.detail]).toEqual([false, null, "fewer than two tiers have labeled leads; no labeled leads: T1"]);
  });
});
