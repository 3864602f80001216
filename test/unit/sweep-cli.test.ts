// `tierlab sweep` against `tierlab report`: each point must be what the report gives for the tier
// with the threshold set to the point's value (a rule-set file written with that value), on the
// same population. Also the JSON shape, Markdown and CSV, --engine bigquery (its SQL replayed on
// DuckDB) and one message with the right exit code for each bad request.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {bigQueryStandIn} from "./bigquery-stand-in.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {runCli} from "../support/cli.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PRESET = JSON.parse(readFileSync(join(ROOT, "data", "rules", "v3.2-consolidated.json"), "utf8"));
const STACK = /\n\s+at /;

let dir: string;
let data: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-sweep-cli-"));
  data = join(dir, "leads.parquet");
  expect((await runCli(["generate", "--rows", "4000", "--seed", "9", "--out", data])).code).toBe(0);
});

/** The preset with one condition's operand replaced, as a file. */
function rulesWith(path: (rules: typeof PRESET) => Record<string, unknown>, op: string, operand: unknown): string {
  const copy = structuredClone(PRESET);
  path(copy)[op] = operand;
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

const FIELDS = ["value", "leads", "labeled", "conversions", "rate", "ci", "lift"];

describe("tierlab sweep", () => {
  const cases: {name: string; args: string[]; at: (r: typeof PRESET) => Record<string, unknown>; op: string; operand: (v: number) => unknown; population: string[]}[] = [
    {name: "Tier 1 condition 2.2 (reps ≤ v), all leads", args: ["--tier", "TIER_1_PRIME_MOVER", "--condition", "2.2"], at: (r) => r.tiers[0].anyOf[1][1], op: "lte", operand: (v) => v, population: []},
    {name: "Tier 1 condition 1.1, the low end of a between, TRAIN", args: ["--tier", "TIER_1_PRIME_MOVER", "--condition", "1.1", "--bound", "low"], at: (r) => r.tiers[0].anyOf[0][0], op: "between", operand: (v) => [v, 36], population: ["--split", "TRAIN"]},
    {name: "Tier 3 condition 1, the high end, without wirehouses and mature by a date", args: ["--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1", "--bound", "high"], at: (r) => r.tiers[2].when[0], op: "between", operand: (v) => [-10, v], population: ["--exclude-wirehouse", "--analysis-date", "2025-06-30", "--maturity-days", "60"]},
    {name: "Tier 2 condition 1 (prior firms ≥ v) at given values", args: ["--tier", "TIER_2_PROVEN_MOVER", "--condition", "1", "--values", "1,2,3,5,40"], at: (r) => r.tiers[1].when[0], op: "gte", operand: (v) => v, population: ["--from", "2024-06-01", "--to", "2025-03-31"]}
  ];
  for (const c of cases) {
    it(`${c.name}: each point is tierlab report's row with the threshold there`, async () => {
      const r = await runCli(["sweep", "--data", data, "--rules", "v3.2-consolidated", ...c.args, ...c.population]);
      expect([r.code, r.err]).toEqual([0, ""]);
      const json = JSON.parse(r.out);
      expect(Object.keys(json)).toEqual(["tier", "condition", "column", "operator", "bound", "current", "points"]);
      for (const p of json.points) expect(Object.keys(p)).toEqual(FIELDS);
      expect(json.points.length).toBeGreaterThan(3);
      // Every point of a short sweep, else a spread of them (each is a full report run).
      const step = Math.max(1, Math.floor(json.points.length / 6));
      const checked = json.points.filter((_: unknown, i: number) => i % step === 0 || i === json.points.length - 1);
      for (const p of checked) {
        const file = rulesWith(c.at, c.op, c.operand(p.value));
        const rep = await runCli(["report", "--data", data, "--rules", file, ...c.population]);
        expect(rep.code).toBe(0);
        const row = JSON.parse(rep.out).tiers.find((t: {id: string}) => t.id === json.tier);
        expect(p).toEqual({value: p.value, leads: row.leads, labeled: row.labeled, conversions: row.conversions, rate: row.rate, ci: row.ci ?? [null, null], lift: row.lift});
      }
    });
  }

  it("JSON header fields, and a value beyond every lead", async () => {
    const r = await runCli(["sweep", "--data", data, "--rules", "v3.2-consolidated", "--tier", "TIER_1_PRIME_MOVER", "--condition", "2.2", "--values", "10,-5"]);
    const json = JSON.parse(r.out);
    expect({...json, points: undefined}).toEqual({tier: "TIER_1_PRIME_MOVER", condition: "2.2", column: "firm_rep_count_at_contact", operator: "lte", bound: null, current: 10, points: undefined});
    // Values come sorted. At −5 list 2 takes nobody (no firm has fewer than 0 reps); lists 1 and 3 still do.
    expect(json.points.map((p: {value: number}) => p.value)).toEqual([-5, 10]);
    expect(json.points[0].leads).toBeLessThan(json.points[1].leads);
  });

  it("Markdown and CSV carry the JSON's numbers", async () => {
    const args = ["sweep", "--data", data, "--rules", "v3.2-consolidated", "--tier", "TIER_2_PROVEN_MOVER", "--condition", "1", "--values", "2,3,4"];
    const json = JSON.parse((await runCli(args)).out);
    const md = (await runCli([...args, "--format", "md"])).out;
    expect(md).toMatch(/^# Sweep: TIER_2_PROVEN_MOVER, condition 1 of V3\.2_12212025\n/);
    expect(md).toContain("num_prior_firms ≥ v");
    expect(md).toContain("| value | current | leads | labeled (n) | conv. | rate | 95% CI (Wilson) | lift vs all leads |");
    const row3 = md.split("\n").find((l) => l.startsWith("| 3 |"))!;
    expect(row3).toContain("| yes |");
    expect(row3).toContain(`| ${json.points[1].leads.toLocaleString("en-US")} |`);
    const csv = (await runCli([...args, "--format", "csv"])).out.trim().split("\r\n");
    expect(csv[0]).toBe("value,current,leads,labeled,conversions,rate,ci_low,ci_high,lift");
    const fields = csv[2].split(",");
    const p = json.points[1];
    expect(fields.map(Number)).toEqual([3, NaN, p.leads, p.labeled, p.conversions, p.rate, p.ci[0], p.ci[1], p.lift]);
    expect(fields[1]).toBe("true");
  });
});

describe("tierlab sweep: bad requests, one message each", () => {
  let textRules: string;
  beforeAll(() => {
    const rules = structuredClone(PRESET);
    rules.tiers[1].when.push({column: "split", startsWith: "TR"});
    textRules = join(dir, "text-rules.json");
    writeFileSync(textRules, JSON.stringify(rules));
  });
  const sweepArgs = (...args: string[]) => ["sweep", "--data", data, "--rules", "v3.2-consolidated", ...args];
  const cases: [string, () => string[], number, RegExp][] = [
    ["no such tier", () => sweepArgs("--tier", "TIER_9", "--condition", "1"), 2, /^error: no tier "TIER_9" in V3\.2_12212025 \(its tiers: TIER_1_PRIME_MOVER, TIER_2_PROVEN_MOVER/],
    ["the fallback", () => sweepArgs("--tier", "STANDARD", "--condition", "1"), 2, /^error: STANDARD is the fallback tier of V3\.2_12212025: it has no conditions to move/],
    ["a condition that does not exist", () => sweepArgs("--tier", "TIER_2_PROVEN_MOVER", "--condition", "4"), 2, /^error: tier TIER_2_PROVEN_MOVER has no condition 4 \(its conditions are 1–3\)/],
    ["N for an anyOf tier", () => sweepArgs("--tier", "TIER_1_PRIME_MOVER", "--condition", "2"), 2, /^error: tier TIER_1_PRIME_MOVER is an anyOf of 3 lists: name the condition as A\.N/],
    ["a text column", () => ["sweep", "--data", data, "--rules", textRules, "--tier", "TIER_2_PROVEN_MOVER", "--condition", "4"], 2, /^error: condition 4 of tier TIER_2_PROVEN_MOVER tests split with startsWith; only numeric thresholds \(lt, lte, gt, gte, between, notBetween\) can be moved/],
    ["eq", () => sweepArgs("--tier", "TIER_2_PROVEN_MOVER", "--condition", "3"), 2, /^error: condition 3 of tier TIER_2_PROVEN_MOVER tests is_wirehouse with eq; only numeric thresholds/],
    ["--bound on a single threshold", () => sweepArgs("--tier", "TIER_2_PROVEN_MOVER", "--condition", "1", "--bound", "low"), 2, /^error: condition 1 of tier TIER_2_PROVEN_MOVER is gte 3, a single threshold: low and high are only for between and notBetween/],
    ["--bound missing on a range", () => sweepArgs("--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1"), 2, /^error: condition 1 of tier TIER_3_MODERATE_BLEEDER is a range \(firm_net_change_12mo between \[-10,-1\]\): say which end moves, low or high/],
    ["--bound not low or high", () => sweepArgs("--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1", "--bound", "top"), 2, /^error: --bound must be one of low, high, got "top"/],
    ["--values not numbers", () => sweepArgs("--tier", "TIER_2_PROVEN_MOVER", "--condition", "1", "--values", "1,x"), 2, /^error: --values must be numbers separated by commas \(e\.g\. 5,10,20\), got "1,x"/],
    ["a value past the range's other end", () => sweepArgs("--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1", "--bound", "low", "--values=-20,5"), 2, /^error: 5 cannot be the low end of firm_net_change_12mo between \[…, -1\]: the range needs low ≤ high/],
    ["--tier missing", () => sweepArgs("--condition", "1"), 2, /^error: --tier is required/],
    ["a rule set that does not fit the data", () => ["sweep", "--data", data, "--rules", join(dir, "missing.json"), "--tier", "T", "--condition", "1"], 2, /^error: --rules .* is neither a preset/]
  ];
  for (const [name, args, code, message] of cases) {
    it(name, async () => {
      const r = await runCli(args());
      expect([r.code, r.out, STACK.test(r.err)]).toEqual([code, "", false]);
      expect(r.err).toMatch(message);
    });
  }

  it("an invalid rule-set file exits 1 with the rule set's problem", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({...PRESET, tiers: [{id: "A", label: "a", when: [{column: "num_prior_firm", gte: 3}]}]}));
    const r = await runCli(["sweep", "--data", data, "--rules", bad, "--tier", "A", "--condition", "1"]);
    expect([r.code, r.out]).toEqual([1, ""]);
    expect(r.err).toMatch(/unknown column "num_prior_firm"/);
  });
});

describe("tierlab sweep --engine bigquery", () => {
  // A stand-in client answers the BigQuery SQL by running it on DuckDB (bigquery-stand-in.ts).
  const TABLE = "acme-analytics.ml_features.leads";
  let conn: NodeConnector;
  const sent: string[] = [];
  const client = bigQueryStandIn(() => conn, TABLE, sent);
  beforeAll(async () => {
    conn = await NodeConnector.open();
    await conn.run(`CREATE TABLE leads AS SELECT * FROM read_parquet('${data}')`);
  });
  afterAll(() => conn?.close());

  it("sends one aggregate query in BigQuery's dialect and gives the DuckDB engine's points", async () => {
    const args = ["--rules", "v3.2-consolidated", "--tier", "TIER_1_PRIME_MOVER", "--condition", "1.4", "--split", "TRAIN"];
    const local = await runCli(["sweep", "--data", data, ...args]);
    const bq = await runCli(["sweep", "--engine", "bigquery", "--bigquery", TABLE, ...args], {bigqueryClient: client});
    expect([bq.code, bq.err]).toEqual([0, ""]);
    expect(JSON.parse(bq.out)).toEqual(JSON.parse(local.out));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("`firm_rep_count_at_contact`");
    expect(sent[0]).toMatch(/GROUP BY 1, 2, 3, 4\n/);
    expect(sent[0]).toMatch(/UNION ALL\nSELECT 1 AS part, NULL, NULL, x0, COUNT\(\*\) AS leads, 0 AS labeled, 0 AS conversions\n/);
  });
});
