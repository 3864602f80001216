// `tierlab tune` against the other commands: each shown candidate's fit and holdout numbers are
// `tierlab report`'s row for its rule set (written to a file) on the fit and holdout windows, its
// backtest is `tierlab backtest`'s stability row. Also the JSON shape, Markdown, and one message
// with the right exit code for each bad request.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";

const STACK = /\n\s+at /;
let dir: string;
let data: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-tune-cli-"));
  data = join(dir, "leads.parquet");
  expect((await runCli(["generate", "--rows", "8000", "--seed", "13", "--out", data])).code).toBe(0);
});

const STATS = ["leads", "labeled", "conversions", "rate", "ci", "lift", "liftVsFallback"];
const tierRow = (json: {tiers: Record<string, unknown>[]}, id: string) => {
  const row = json.tiers.find((t) => t.id === id)!;
  return Object.fromEntries(STATS.map((k) => [k, row[k]]));
};

describe("tierlab tune", () => {
  it("JSON: each candidate's fit, holdout and backtest are tierlab report's and tierlab backtest's for its rule set", async () => {
    const r = await runCli(["tune", "--data", data, "--rules", "v3.2-consolidated", "--tier", "TIER_1_PRIME_MOVER", "--free", "2.2,3.1:high", "--steps", "12", "--top", "3"]);
    expect([r.code, r.err]).toEqual([0, ""]);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(["tier", "free", "objective", "evaluated", "fit", "holdout", "current", "candidates", "warnings"]);
    expect({tier: json.tier, free: json.free, objective: json.objective, fit: json.fit, holdout: json.holdout}).toEqual({tier: "TIER_1_PRIME_MOVER", free: ["2.2", "3.1:high"], objective: "lift-lower", fit: {description: "TRAIN"}, holdout: {description: "TEST"}});
    expect(json.evaluated).toBeGreaterThan(50);
    expect(Object.keys(json.current)).toEqual(["ruleSet", "fit", "holdout", "backtest", "constraints", "score", "holdoutOutsideFit"]);
    expect(json.candidates.length).toBeGreaterThan(0);
    expect(json.candidates.length).toBeLessThanOrEqual(3);
    for (const c of [json.current, ...json.candidates]) {
      if (c !== json.current) expect(Object.keys(c)).toEqual(["values", "ruleSet", "fit", "holdout", "backtest", "constraints", "score", "holdoutOutsideFit"]);
      expect(Object.keys(c.fit)).toEqual(STATS);
      expect(Object.keys(c.backtest)).toEqual(["lifts", "mean", "min", "sd"]);
      expect(c.backtest.lifts).toHaveLength(4);
      expect(c.constraints.map((x: {id: string}) => x.id)).toEqual(["min-labeled", "min-lift", "priority-share", "ci-separation", "tier-order"]);
      const file = join(dir, `candidate-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(c.ruleSet));
      const fit = JSON.parse((await runCli(["report", "--data", data, "--rules", file, "--split", "TRAIN"])).out);
      const holdout = JSON.parse((await runCli(["report", "--data", data, "--rules", file, "--split", "TEST"])).out);
      const bt = JSON.parse((await runCli(["backtest", "--data", data, "--rules", file])).out);
      expect(c.fit).toEqual(tierRow(fit, "TIER_1_PRIME_MOVER"));
      expect(c.holdout).toEqual(tierRow(holdout, "TIER_1_PRIME_MOVER"));
      const s = bt.stability.find((x: {id: string}) => x.id === "TIER_1_PRIME_MOVER");
      expect(c.backtest).toEqual({lifts: s.lifts, mean: s.mean, min: s.min, sd: s.sd});
    }
    // The candidates' rule sets differ from the current one only in the freed thresholds.
    for (const c of json.candidates) {
      const expected = structuredClone(json.current.ruleSet);
      expected.tiers[0].anyOf[1][1].lte = c.values["2.2"];
      expected.tiers[0].anyOf[2][0].between[1] = c.values["3.1:high"];
      expect(c.ruleSet).toEqual(expected);
    }
    // TRAIN ends after the backtest periods' test windows: said so.
    expect(json.warnings.join("\n")).toMatch(/the backtest's test windows of H1_2024, Q1Q2_2024, Q2Q3_2024, Full_2024 overlap the fit window/);
  });

  it("date windows for fit and holdout, another objective and Markdown", async () => {
    // --min-lift 1.5: in this small table's 2024 (the backtest windows, which convert above TRAIN's
    // average) Tier 2 lifts 1.89× over all leads, and the test needs a candidate that passes.
    const args = ["tune", "--data", data, "--rules", "v3.2-consolidated", "--tier", "TIER_2_PROVEN_MOVER", "--free", "1", "--objective", "conversions", "--min-rate", "0.05", "--min-lift", "1.5", "--fit", "2024-02-01:2024-12-31", "--holdout", "2025-01-01:2025-10-01", "--exclude-wirehouse"];
    const json = JSON.parse((await runCli(args)).out);
    expect(json.fit).toEqual({description: "2024-02-01 – 2024-12-31, no wirehouses"});
    expect(json.candidates[0].constraints.map((x: {id: string}) => x.id)).toContain("min-rate");
    const fit = JSON.parse((await runCli(["report", "--data", data, "--rules", "v3.2-consolidated", "--from", "2024-02-01", "--to", "2024-12-31", "--exclude-wirehouse"])).out);
    expect(json.current.fit).toEqual(tierRow(fit, "TIER_2_PROVEN_MOVER"));
    // Ranked by conversions on the fit window.
    const conversions = json.candidates.map((c: {fit: {conversions: number}}) => c.fit.conversions);
    expect(conversions).toEqual([...conversions].sort((a, b) => b - a));
    const md = await runCli([...args, "--format", "md"]);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Tuning TIER_2_PROVEN_MOVER of V3\.2_12212025\n/);
    expect(md.out).toContain("Freed: 1 (num_prior_firms ≥ v). Objective: conversions");
    expect(md.out).toContain(`| current | 3 | ${json.current.fit.leads.toLocaleString("en-US")} |`);
    expect(md.out).toMatch(/\| 1 \| \d+ \| [\d,]+ \|/);
  });
});

describe("tierlab tune: bad requests, one message each", () => {
  const tune = (...args: string[]) => ["tune", "--data", data, "--rules", "v3.2-consolidated", ...args];
  const cases: [string, () => string[], number, RegExp][] = [
    ["no such tier", () => tune("--tier", "NOPE", "--free", "1"), 2, /^error: no tier "NOPE" in V3\.2_12212025/],
    ["--free missing", () => tune("--tier", "TIER_1_PRIME_MOVER"), 2, /^error: --free is required/],
    ["--free not a condition", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "1.x"), 2, /^error: a freed threshold is N or A\.N, with :low or :high for an end of a range \(e\.g\. 1\.2, 1\.1:low\), got "1\.x"/],
    ["four thresholds", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "1.4,2.2,1.1:low,1.1:high"), 2, /^error: free one to three thresholds of the tier, got 4/],
    ["a range without its end", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "1.1"), 2, /^error: condition 1\.1 of tier TIER_1_PRIME_MOVER is a range .*: say which end moves, low or high/],
    ["a condition that is not a threshold", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "1.5"), 2, /^error: condition 1\.5 of tier TIER_1_PRIME_MOVER tests is_wirehouse with eq; only numeric thresholds/],
    ["a condition that does not exist", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.9"), 2, /^error: tier TIER_1_PRIME_MOVER has no condition 2\.9 \(list 2 has conditions 1–3\)/],
    ["--objective unknown", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--objective", "profit"), 2, /^error: --objective must be one of lift-lower, conversions, priority-conversions, got "profit"/],
    ["--fit neither split nor window", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--fit", "2024"), 2, /^error: --fit must be a split \(TRAIN, GAP, TEST\) or a date window FROM:TO like 2024-02-01:2024-06-30, got "2024"/],
    ["--holdout backwards", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--holdout", "2025-03-01:2025-01-01"), 2, /^error: --holdout ends \(2025-01-01\) before it starts \(2025-03-01\)/],
    ["--min-rate above 1", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--min-rate", "15"), 2, /^error: --min-rate must be a number from 0 to 1, got "15"/],
    ["--split is not a tune option", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--split", "TRAIN"), 2, /^error: Unknown option '--split'/],
    ["a fit window without labeled leads", () => tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--fit", "2030-01-01:2030-12-31"), 1, /^error: \S+leads\.parquet: the fit window \(2030-01-01 – 2030-12-31\) has no labeled leads: nothing to tune on\n$/]
  ];
  for (const [name, args, code, message] of cases) {
    it(name, async () => {
      const r = await runCli(args());
      expect([r.code, r.out, STACK.test(r.err)]).toEqual([code, "", false]);
      expect(r.err).toMatch(message);
    });
  }

  it("constraints no candidate meets: the output shows the closest and what it misses, exit 1", async () => {
    const r = await runCli(tune("--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--min-lift", "30", "--steps", "10"));
    expect(r.code).toBe(1);
    expect(STACK.test(r.err)).toBe(false);
    expect(r.err).toMatch(/^error: TIER_1_PRIME_MOVER: no candidate of \d+ meets the constraints; the closest \(2\.2 = [\d.]+\) misses min-lift: lift vs all leads [\d.]+× \(at least 30\.00×\)\n$/);
    const json = JSON.parse(r.out);
    expect(json.candidates).toEqual([]);
    expect(json.closest.constraints.find((c: {id: string}) => c.id === "min-lift").pass).toBe(false);
    expect(json.message).toBe(r.err.replace(/^error: TIER_1_PRIME_MOVER: /, "").trim());
  });
});
