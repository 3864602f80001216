// `tierlab backtest`: the JSON shape of the issue, the hand-worked numbers through the CLI, the
// Markdown, and exit codes (bad periods file → 1 with a readable message, misuse → 2).
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {HAND_PERIODS, HAND_RULES, handLeadsSql} from "./backtest-fixture.js";

let dir: string;
let data: string;
let rules: string;
let periods: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-backtest-"));
  data = join(dir, "leads.parquet");
  rules = join(dir, "rules.json");
  periods = join(dir, "periods.json");
  writeFileSync(rules, JSON.stringify(HAND_RULES));
  writeFileSync(periods, JSON.stringify({periods: HAND_PERIODS}));
  const conn = await NodeConnector.open();
  await conn.run(handLeadsSql("hand"));
  await conn.run(`COPY hand TO '${data}' (FORMAT parquet)`);
  conn.close();
});

const run = runCli;

describe("tierlab backtest", () => {
  it("prints the issue's JSON: rules, periods (train/test report objects), stability, gates", async () => {
    const {code, out, err} = await run(["backtest", "--data", data, "--rules", rules, "--periods", periods]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["rules", "periods", "stability", "gates", "discrimination"]);
    expect(json.rules).toBe("hand-backtest");
    expect(json.periods.map((p: {name: string}) => p.name)).toEqual(["P1", "P2", "P3"]);
    for (const p of json.periods) {
      expect(Object.keys(p)).toEqual(["name", "psi", "csi", "train", "test"]);
      expect(Object.keys(p.train)).toEqual(["population", "tiers", "groups", "gates"]);
      expect(Object.keys(p.test)).toEqual(["population", "tiers", "groups", "gates", "discrimination"]);
      expect(Object.keys(p.test.discrimination)).toEqual(["auc", "gini", "ks"]);
      // data/signals.json's band columns are not in the hand table: no CSI.
      expect(p.csi).toEqual({});
    }
    // hand-worked (see backtest.test.ts): PSI of the tier mix, AUC per test window.
    expect(json.periods.map((p: {psi: number | null}) => p.psi === null)).toEqual([false, false, true]);
    expect(json.periods[1].test.discrimination.auc).toBeCloseTo(0.375, 12);
    expect(Object.keys(json.discrimination)).toEqual(["auc", "gini", "ks"]);
    expect(json.discrimination.auc).toMatchObject({values: [1, 0.375, null], mean: 0.6875, min: 0.375, max: 1});
    expect(Object.keys(json.discrimination.auc)).toEqual(["values", "mean", "min", "max", "sd"]);
    // hand-worked (see backtest.test.ts): P1 test, February
    const t1 = json.periods[0].test.tiers.find((t: {id: string}) => t.id === "T1");
    expect([t1.leads, t1.labeled, t1.conversions, t1.rate, t1.lift]).toEqual([2, 1, 1, 1, 2]);
    expect(json.periods[0].test.population).toMatchObject({leads: 5, labeled: 4, conversions: 2, rate: 0.5});
    // Tier rows carry the lift's Katz interval: P2 test T3 1/1 over the window's 2/4, SE 0.5.
    const t3 = json.periods[1].test.tiers.find((t: {id: string}) => t.id === "T3");
    expect(t3.liftCi[0]).toBeCloseTo(2 * Math.exp(-1.959963984540054 * 0.5), 12);
    expect(t3.liftCi[1]).toBeCloseTo(2 * Math.exp(1.959963984540054 * 0.5), 12);
    expect(json.periods[1].test.groups.find((g: {id: string}) => g.id === "G1").liftCi).toBeNull();
    expect(json.periods[2].test.population).toMatchObject({leads: 0, rate: null});
    const s = json.stability.find((x: {id: string}) => x.id === "REST");
    expect(s).toMatchObject({lifts: [0, 1, null], mean: 0.5, min: 0, max: 1});
    expect(s.sd).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Object.keys(json.stability[0])).toEqual(["id", "label", "level", "lifts", "mean", "min", "max", "sd"]);
    expect(json.gates.slice(0, 3).map((g: {id: string}) => g.id)).toEqual(["backtest-mean-lift", "backtest-lift-sd", "backtest-min-lift"]);
    expect(json.gates[1].label).toBe("BACKTEST-2: Tier 1 lift sample SD < 1×");
    expect(json.gates.find((g: {id: string}) => g.id === "P1:tier1-shift").value).toBeCloseTo(2 / 3, 12);
  });

  it("applies --analysis-date and --maturity-days to every window", async () => {
    const {code, out} = await run(["backtest", "--data", data, "--rules", rules, "--periods", periods, "--analysis-date", "2024-04-04", "--maturity-days", "20"]);
    expect(code).toBe(0);
    const p2 = JSON.parse(out).periods[1].test;
    expect(p2.population).toMatchObject({leads: 4, labeled: 3, conversions: 1, description: "2024-03-01 – 2024-03-31, mature by 2024-03-15"});
  });

  it("reads thresholds from a file", async () => {
    const file = join(dir, "thresholds.json");
    writeFileSync(file, JSON.stringify({maxTier1Shift: 0.7}));
    const {code, out} = await run(["backtest", "--data", data, "--rules", rules, "--periods", periods, "--thresholds", file]);
    expect(code).toBe(0);
    expect(JSON.parse(out).gates.find((g: {id: string}) => g.id === "P1:tier1-shift")).toMatchObject({pass: true, threshold: 0.7});
  });

  it("prints Markdown with the stability table, gates, each period and the days-to-MQL distribution", async () => {
    const {code, out} = await run(["backtest", "--data", data, "--rules", rules, "--periods", periods, "--format", "md", "--sql"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^# Backtest: hand-backtest/);
    expect(out).toContain("## Stability of test lift across periods");
    expect(out).toContain("| tier / group | P1 | P2 | P3 | mean | min | max | sample SD | periods with a lift |");
    expect(out).toContain("| Rest | 0.00× | 1.00× | – | 0.50× | 0.00× | 1.00× | 0.71× | 2 of 3 |");
    expect(out).toContain("## P1: train 2024-01-01 – 2024-01-31 (calibration), test 2024-02-01 – 2024-02-29");
    expect(out).toContain("## Maturity: days from contact to MQL");
    // This data's days beside the seeds' published ones (data/reference/published.json "maturity").
    for (const row of ["| mean | 6.6 days | 20.5 days |", "| median | 2 days | 1 day |", "| 90th percentile | 18 days | 43 days |", "| 95th percentile | 24 days | 121.9 days |", "| 99th percentile | 28.8 days | 342.7 days |", "| window capturing 90% | 30 days | 43 days |"]) {
      expect(out).toContain(row);
    }
    expect(out).toMatch(/```sql\nSELECT w\.period_index/);
  });

  it("runs the seeds' periods by default", async () => {
    const {code, out} = await run(["backtest", "--data", data, "--rules", rules]);
    expect(code).toBe(0);
    expect(JSON.parse(out).periods.map((p: {name: string}) => p.name)).toEqual(["H1_2024", "Q1Q2_2024", "Q2Q3_2024", "Full_2024"]);
  });

  it("a bad periods file exits 1 with a readable message and no stack trace", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({periods: [{name: "A", train: ["2024-06-30", "2024-02-01"], test: ["2024-07-01", "2024-07-31"]}]}));
    let r = await run(["backtest", "--data", data, "--rules", rules, "--periods", bad]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`error: periods file ${bad}: period 1 (A): train ends (2024-02-01) before it starts (2024-06-30)\n`);

    writeFileSync(bad, JSON.stringify({periods: [{name: "A", train: ["2024-01-01", "2024-13-01"], test: ["2024-07-01", "2024-07-31"]}, {name: "A", train: ["2024-01-01", "2024-01-31"], test: ["2024-07-01", "2024-07-31"]}]}));
    r = await run(["backtest", "--data", data, "--rules", rules, "--periods", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: periods file ${bad}: 2 problems`);
    expect(r.err).toContain(`  - period 1 (A): train has "2024-13-01", not a date like "2024-02-01"`);
    expect(r.err).toContain(`  - period 2 (A): the name "A" is used twice; period names must be unique`);
    expect(r.err).not.toMatch(/\n\s+at /);

    for (const [text, message] of [
      ["{", "not valid JSON"],
      ['{"periods": []}', "the list of periods is empty"]
    ]) {
      writeFileSync(bad, text);
      r = await run(["backtest", "--data", data, "--rules", rules, "--periods", bad]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(message);
    }
    r = await run(["backtest", "--data", data, "--rules", rules, "--periods", join(dir, "missing.json")]);
    expect([r.code, r.err]).toEqual([1, `error: periods file ${join(dir, "missing.json")}: file not found\n`]);
  });

  it("misuse exits 2 with the usage", async () => {
    let r = await run(["backtest", "--data", data]);
    expect([r.code, r.err.split("\n")[0]]).toEqual([2, "error: --rules is required"]);
    r = await run(["backtest", "--data", data, "--rules", rules, "--maturity-days", "43"]);
    expect([r.code, r.err.split("\n")[0]]).toEqual([2, "error: --maturity-days needs --analysis-date (the window is counted back from it)"]);
    r = await run(["backtest", "--data", data, "--rules", rules, "--analysis-date", "2024-02-30"]);
    expect(r.code).toBe(2);
    r = await run(["backtest", "--data", data, "--rules", rules, "--format", "csv"]);
    expect(r.code).toBe(2);
  });
});
