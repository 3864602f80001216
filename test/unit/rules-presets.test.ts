import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {evaluateTier, groupOrder, parseRuleSet, type RuleSet} from "../../src/lib/rules/index.js";

/** The data contract's known features (src/lib/data-contract.ts). */
const columns: ColumnInfo[] = [
  {name: "lead_id", kind: "string", type: "VARCHAR"},
  {name: "contacted_date", kind: "date", type: "DATE"},
  {name: "target", kind: "number", type: "TINYINT"},
  {name: "split", kind: "string", type: "VARCHAR"},
  {name: "current_firm_tenure_months", kind: "number", type: "INTEGER"},
  {name: "industry_tenure_months", kind: "number", type: "INTEGER"},
  {name: "firm_net_change_12mo", kind: "number", type: "INTEGER"},
  {name: "firm_rep_count_at_contact", kind: "number", type: "INTEGER"},
  {name: "num_prior_firms", kind: "number", type: "INTEGER"},
  {name: "is_wirehouse", kind: "number", type: "TINYINT"},
  {name: "pit_moves_3yr", kind: "number", type: "INTEGER"},
  {name: "pit_restlessness_ratio", kind: "number", type: "DOUBLE"}
];

function load(file: string): RuleSet {
  return parseRuleSet(JSON.parse(readFileSync(new URL(`../../data/rules/${file}`, import.meta.url), "utf8")), columns);
}

const v31 = load("v3.1.json");
const v32 = load("v3.2.json");
const consolidated = load("v3.2-consolidated.json");

// The seeds' SQL, transcribed a second time here (seeds/003, "Current V3.1 Tier Logic" and "New V3.2
// Tier Logic") as [column, operator, operand] so the JSON presets are checked against it.
type Row3 = [string, string, unknown];
const T = "current_firm_tenure_months";
const I = "industry_tenure_months";
const F = "firm_net_change_12mo";
const R = "firm_rep_count_at_contact";
const W = "is_wirehouse";
const SEED_V31: Record<string, Row3[]> = {
  TIER_1_PRIME_MOVER: [
    [T, "between", [12, 48]],
    [I, "between", [60, 180]],
    [F, "ne", 0],
    [W, "eq", 0]
  ],
  TIER_2_MODERATE_BLEEDER: [
    [F, "between", [-10, -1]],
    [I, "gte", 60]
  ],
  TIER_3_EXPERIENCED_MOVER: [
    [T, "between", [12, 48]],
    [I, "gte", 240]
  ],
  TIER_4_HEAVY_BLEEDER: [
    [F, "lt", -10],
    [I, "gte", 60]
  ]
};
const SEED_V32: Record<string, Row3[]> = {
  TIER_1A_PRIME_MOVER_SMALL: [
    [T, "between", [12, 36]],
    [I, "between", [60, 180]],
    [F, "lt", 0],
    [R, "lte", 50],
    [W, "eq", 0]
  ],
  TIER_1B_SMALL_FIRM: [
    [T, "between", [12, 36]],
    [R, "lte", 10],
    [W, "eq", 0]
  ],
  TIER_1C_PRIME_MOVER: [
    [T, "between", [12, 48]],
    [I, "between", [60, 180]],
    [F, "lt", 0],
    [W, "eq", 0]
  ],
  TIER_2A_PROVEN_MOVER: [
    ["num_prior_firms", "gte", 3],
    [I, "gte", 60],
    [W, "eq", 0]
  ],
  TIER_2B_MODERATE_BLEEDER: [
    [F, "between", [-10, -1]],
    [I, "gte", 60]
  ],
  TIER_3_EXPERIENCED_MOVER: [
    [T, "between", [12, 48]],
    [I, "gte", 240]
  ],
  TIER_4_HEAVY_BLEEDER: [
    [F, "lt", -10],
    [I, "gte", 60]
  ]
};
const asConditions = (rows: Row3[]) => rows.map(([column, op, value]) => ({column, [op]: value}));

describe("the V3.1 preset", () => {
  it("has the seeds' tiers, in CASE order, with the seeds' SQL", () => {
    expect(v31.name).toBe("V3.1");
    expect(v31.tiers.map((t) => t.id)).toEqual(Object.keys(SEED_V31));
    for (const tier of v31.tiers) expect(tier.when).toEqual(asConditions(SEED_V31[tier.id]));
    expect(v31.fallback.id).toBe("STANDARD");
  });

  it("carries the Phase 6.1 calibration as expected conversion", () => {
    expect(v31.tiers.map((t) => t.expectedConversion)).toEqual([0.135, 0.084, 0.1089, 0.0852]);
    expect(v31.fallback.expectedConversion).toBe(0.033);
  });
});

describe("the V3.2 preset", () => {
  it("has the seven tiers with the seeds' SQL", () => {
    expect(v32.name).toBe("V3.2");
    expect(v32.tiers.map((t) => t.id)).toEqual(Object.keys(SEED_V32));
    for (const tier of v32.tiers) expect(tier.when).toEqual(asConditions(SEED_V32[tier.id]));
  });

  it("groups 1A/1B/1C as TIER_1 and 2A/2B as TIER_2", () => {
    expect(groupOrder(v32)).toEqual([
      {id: "TIER_1", tiers: ["TIER_1A_PRIME_MOVER_SMALL", "TIER_1B_SMALL_FIRM", "TIER_1C_PRIME_MOVER"]},
      {id: "TIER_2", tiers: ["TIER_2A_PROVEN_MOVER", "TIER_2B_MODERATE_BLEEDER"]},
      {id: "TIER_3_EXPERIENCED_MOVER", tiers: ["TIER_3_EXPERIENCED_MOVER"]},
      {id: "TIER_4_HEAVY_BLEEDER", tiers: ["TIER_4_HEAVY_BLEEDER"]},
      {id: "STANDARD", tiers: ["STANDARD"]}
    ]);
  });

  it("has the display names, expected conversion and lift, actions of phase_4_v3_tiered_scoring.sql", () => {
    expect(v32.tiers.map((t) => t.label)).toEqual([
      "Prime Mover (Small Firm)",
      "Small Firm Advisor",
      "Prime Mover",
      "Proven Mover",
      "Moderate Bleeder",
      "Experienced Mover",
      "Heavy Bleeder"
    ]);
    expect(v32.tiers.map((t) => t.expectedConversion)).toEqual([0.15, 0.14, 0.13, 0.1, 0.11, 0.1, 0.1]);
    expect(v32.tiers.map((t) => t.expectedLift)).toEqual([3.5, 3.5, 3.5, 2.5, 2.5, 2.5, 2.3]);
    expect(v32.fallback).toMatchObject({label: "Standard", expectedConversion: 0.04, expectedLift: 1});
    expect(v32.tiers.map((t) => t.action)).toEqual([
      ...Array(3).fill("Call immediately - highest priority"),
      ...Array(2).fill("Priority outreach within 24 hours"),
      ...Array(2).fill("Priority follow-up this week")
    ]);
    expect(v32.fallback.action).toBe("Standard outreach cadence");
    expect(v32.tiers[1].explanation).toBe("Recent joiner at very small firm (<10 reps) - high portability signal");
  });

  it("assigns hand-picked leads on the thresholds as the seeds' CASE would", () => {
    const lead = {
      current_firm_tenure_months: 36,
      industry_tenure_months: 60,
      firm_net_change_12mo: -1,
      firm_rep_count_at_contact: 50,
      is_wirehouse: 0,
      num_prior_firms: 0
    };
    expect(evaluateTier(v32, lead)).toBe("TIER_1A_PRIME_MOVER_SMALL");
    // 51 reps: not 1A (≤ 50) nor 1B (≤ 10); tenure 36 is within 1C's 12–48.
    expect(evaluateTier(v32, {...lead, firm_rep_count_at_contact: 51})).toBe("TIER_1C_PRIME_MOVER");
    // Not bleeding (0), 10 reps: 1B.
    expect(evaluateTier(v32, {...lead, firm_net_change_12mo: 0, firm_rep_count_at_contact: 10})).toBe(
      "TIER_1B_SMALL_FIRM"
    );
    // Tenure 37: outside 1A/1B's 12–36, inside 1C's 12–48.
    expect(evaluateTier(v32, {...lead, current_firm_tenure_months: 37})).toBe("TIER_1C_PRIME_MOVER");
    // Wirehouse: no Tier 1 or 2A; firm change −1 with 5 years experience is 2B.
    expect(evaluateTier(v32, {...lead, is_wirehouse: 1})).toBe("TIER_2B_MODERATE_BLEEDER");
    // Wirehouse, firm change −11: Tier 4 (no tenure/experience tier matches first).
    expect(evaluateTier(v32, {...lead, is_wirehouse: 1, firm_net_change_12mo: -11})).toBe("TIER_4_HEAVY_BLEEDER");
    // Experience 59 months: nothing needs less than 60 except 1B, which needs ≤ 10 reps.
    expect(evaluateTier(v32, {...lead, industry_tenure_months: 59})).toBe("STANDARD");
    // A NULL firm size fails 1A and 1B but not 1C, which does not test it.
    expect(evaluateTier(v32, {...lead, firm_rep_count_at_contact: null})).toBe("TIER_1C_PRIME_MOVER");
  });
});

describe("the V3.2_12212025 preset", () => {
  it("is V3.2 consolidated: Tier 1 = 1A or 1B or 1C, the rest renumbered", () => {
    expect(consolidated.name).toBe("V3.2_12212025");
    expect(consolidated.tiers.map((t) => t.id)).toEqual([
      "TIER_1_PRIME_MOVER",
      "TIER_2_PROVEN_MOVER",
      "TIER_3_MODERATE_BLEEDER",
      "TIER_4_EXPERIENCED_MOVER",
      "TIER_5_HEAVY_BLEEDER"
    ]);
    expect(consolidated.tiers[0].anyOf).toEqual([
      asConditions(SEED_V32.TIER_1A_PRIME_MOVER_SMALL),
      asConditions(SEED_V32.TIER_1B_SMALL_FIRM),
      asConditions(SEED_V32.TIER_1C_PRIME_MOVER)
    ]);
    expect(consolidated.tiers.slice(1).map((t) => t.when)).toEqual(
      ["TIER_2A_PROVEN_MOVER", "TIER_2B_MODERATE_BLEEDER", "TIER_3_EXPERIENCED_MOVER", "TIER_4_HEAVY_BLEEDER"].map(
        (id) => asConditions(SEED_V32[id])
      )
    );
    expect(consolidated.fallback.id).toBe("STANDARD");
    expect(consolidated.tiers[0]).toMatchObject({expectedConversion: 0.16, expectedLift: 4.98});
  });

  it("puts every lead in the same place as V3.2 with 1A/1B/1C merged", () => {
    const merge = (id: string) =>
      ({
        TIER_1A_PRIME_MOVER_SMALL: "TIER_1_PRIME_MOVER",
        TIER_1B_SMALL_FIRM: "TIER_1_PRIME_MOVER",
        TIER_1C_PRIME_MOVER: "TIER_1_PRIME_MOVER",
        TIER_2A_PROVEN_MOVER: "TIER_2_PROVEN_MOVER",
        TIER_2B_MODERATE_BLEEDER: "TIER_3_MODERATE_BLEEDER",
        TIER_3_EXPERIENCED_MOVER: "TIER_4_EXPERIENCED_MOVER",
        TIER_4_HEAVY_BLEEDER: "TIER_5_HEAVY_BLEEDER",
        STANDARD: "STANDARD"
      })[id];
    const values = {
      current_firm_tenure_months: [null, 11, 12, 36, 37, 48, 49],
      industry_tenure_months: [null, 59, 60, 180, 181, 240],
      firm_net_change_12mo: [null, -11, -10, -1, 0],
      firm_rep_count_at_contact: [null, 10, 11, 50, 51],
      num_prior_firms: [null, 2, 3],
      is_wirehouse: [null, 0, 1]
    };
    let checked = 0;
    const keys = Object.keys(values) as (keyof typeof values)[];
    const walk = (i: number, row: Record<string, number | null>) => {
      if (i === keys.length) {
        expect(evaluateTier(consolidated, row)).toBe(merge(evaluateTier(v32, row)));
        ++checked;
        return;
      }
      for (const v of values[keys[i]]) walk(i + 1, {...row, [keys[i]]: v});
    };
    walk(0, {});
    expect(checked).toBe(7 * 6 * 5 * 5 * 3 * 3);
  });
});

describe("the published reference results", () => {
  const published = JSON.parse(readFileSync(new URL("../../data/reference/published.json", import.meta.url), "utf8"));

  it("records the V3.2_12212025 tier table, which adds up to 39,448 leads", () => {
    const tiers = published.v3_2_12212025.tiers as {id: string; volume: number; rate: number}[];
    expect(tiers.map((t) => t.id)).toEqual([...consolidated.tiers.map((t) => t.id), "STANDARD"]);
    expect(tiers.reduce((s, t) => s + t.volume, 0)).toBe(39448);
    expect(tiers[0]).toMatchObject({volume: 245, rate: 0.1592});
  });

  it("records the V3.1 all-leads table (39,448 leads) and marks the Phase 4.1 intervals wrong", () => {
    const tiers = published.v3_1_all_leads.tiers as {id: string; volume: number}[];
    expect(tiers.map((t) => t.id)).toEqual([...v31.tiers.map((t) => t.id), "STANDARD"]);
    expect(tiers.reduce((s, t) => s + t.volume, 0)).toBe(39448);
    const intervals = published.v3_1_phase_4_1_intervals;
    expect(intervals.wrong).toBe(true);
    const excluding = (intervals.tiers as {rate: number; ci: [number, number]}[]).filter(
      (t) => t.rate < t.ci[0] || t.rate > t.ci[1]
    );
    expect(excluding.length).toBeGreaterThan(0);
  });

  it("records the splits, signals, backtest and maturity", () => {
    expect(published.splits.splits.reduce((s: number, x: {volume: number}) => s + x.volume, 0)).toBe(39448);
    expect(published.signals.baseline).toBe(0.0424);
    expect(published.signals.correction.rate).toBe(0.0392);
    expect(published.backtest.periods.map((p: {tier1: {lift: number}}) => p.tier1.lift)).toEqual([
      5.86, 4.65, 5.25, 4.7
    ]);
    expect(published.maturity).toMatchObject({windowDays: 43, daysToConversion: {median: 1, p90: 43}});
  });
});
