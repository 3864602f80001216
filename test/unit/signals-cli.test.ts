// `tierlab signals` on the hand-built 12-lead table: the JSON shape of the issue, Markdown, the
// population options, and user errors printed as one message without a stack trace.
import {writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import {WILSON, writeFixture} from "./signals-fixture.js";

describe("tierlab signals", () => {
  const data = writeFixture();

  it("prints the issue's JSON: population, ranked signals, bands with a missing row", async () => {
    const {code, out: stdout, err: stderr} = await runCli(["signals", "--data", data, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(["population", "liftBase", "signals", "bands"]);
    expect(out.population).toEqual({leads: 12, labeled: 10, conversions: 5, rate: 0.5, ci: WILSON["5/10"], description: "all leads"});
    expect(out.signals.map((s: {id: string}) => s.id)).toEqual(["small_firm_1_10", "tenure_1_3y", "prior_firms_3plus", "heavy_bleeding", "short_tenure_bleeding", "moderate_bleeding", "tenure_lt_1y"]);
    const tenure = out.signals[1];
    for (const key of ["id", "label", "leads", "labeled", "conversions", "rate", "ci", "lift", "iv"]) expect(tenure).toHaveProperty(key);
    // In the signal 2 of the 5 conversions, 1 of the 5 non-conversions; not in it 3 and 4.
    expect(tenure.iv).toBeCloseTo(0.2 * Math.log(2) + 0.2 * Math.log(0.8 / 0.6), 12);
    expect(tenure).toMatchObject({id: "tenure_1_3y", label: "1–3 years at current firm", leads: 5, labeled: 3, conversions: 2, published: {rate: 0.1576, lift: 3.7}});
    expect(tenure.rate).toBeCloseTo(2 / 3, 12);
    expect(tenure.lift).toBeCloseTo(4 / 3, 12);
    expect(tenure.ci[0]).toBeCloseTo(WILSON["2/3"][0], 12);
    expect(tenure.ci[1]).toBeCloseTo(WILSON["2/3"][1], 12);

    expect(out.bands.map((b: {column: string}) => b.column)).toEqual(["current_firm_tenure_months", "industry_tenure_months", "firm_rep_count_at_contact", "firm_net_change_12mo", "num_prior_firms"]);
    const band = out.bands[0].bands[1];
    for (const key of ["label", "min", "max", "leads", "labeled", "conversions", "rate", "ci", "lift", "woe", "iv"]) expect(band).toHaveProperty(key);
    expect(band).toMatchObject({label: "12–36", min: 12, max: 36, leads: 5, labeled: 3, conversions: 2});
    expect(band.woe).toBeCloseTo(Math.log(2), 12);
    expect(band.iv).toBeCloseTo(0.2 * Math.log(2), 12);
    expect(out.bands[0].missing).toMatchObject({leads: 1, labeled: 1, conversions: 1, rate: 1});
    expect(out.bands[0].missing.woe).toBeCloseTo(Math.log(3), 12);
    expect(Object.keys(out.bands[0])).toEqual(["column", "label", "edges", "wholeNumbers", "iv", "bands", "missing"]);
    expect(out.bands[0].iv).toBeCloseTo(0.8 * Math.log(5) + 0.2 * Math.log(2) + 0.6 * Math.log(3), 12);
    // Empty band and unlabeled missing row: null, never NaN or absent.
    expect(out.bands[2].bands[4]).toMatchObject({label: "201–1000", leads: 0, rate: null, ci: null, lift: null, woe: null, iv: null});
    expect(out.bands[2].missing).toMatchObject({leads: 1, labeled: 0, rate: null, ci: null, lift: null, woe: null, iv: null});
    expect(stdout).not.toMatch(/NaN/);
  });

  it("restricts the population with --split, --from/--to and --exclude-wirehouse", async () => {
    const train = JSON.parse((await runCli(["signals", "--data", data, "--split", "TRAIN"])).out);
    expect(train.population).toMatchObject({leads: 5, labeled: 4, conversions: 2, rate: 0.5, description: "TRAIN"});
    const window = JSON.parse((await runCli(["signals", "--data", data, "--from", "2024-03-01", "--to", "2024-05-01", "--exclude-wirehouse"])).out);
    // L05, L06, L08 (L04 and L07 are wirehouses).
    expect(window.population).toMatchObject({leads: 3, labeled: 2, conversions: 1, rate: 0.5});
  });

  it("prints Markdown tables, and the SQL with --sql", async () => {
    const {code, out: stdout} = await runCli(["signals", "--data", data, "--format", "md", "--sql"]);
    expect(code).toBe(0);
    expect(stdout).toContain("# Converting signals");
    // The published lifts' base, from data/signals.json (the seeds' 4.24% of 48,472 leads).
    expect(stdout).toContain("Lift is against this population rate; the published lifts (seeds) are against their 4.24% baseline (48,472 leads).");
    expect(stdout).toContain("| 2 | 1–3 years at current firm | current_firm_tenure_months between 12 and 36 | 5 | 3 | 2 | 66.67% | 20.77–93.85% | 1.33× | 15.76% | 3.7× | 0.196 | medium |");
    expect(stdout).toContain("| missing | 1 | 0 | 0 | – | – | – | 8.3% | – | – |");
    expect(stdout).toContain("| 12–36 | 5 | 3 | 2 | 66.67% | 20.77–93.85% | 1.33× | 41.7% | +0.69 | 0.139 |");
    expect(stdout).toContain("## Information value by attribute");
    expect(stdout).toContain("| Tenure at current firm (months) | current_firm_tenure_months | 6 | 2.085 | strong |");
    expect(stdout).toContain("gets 0.5 added to both of its counts");
    expect(stdout).toContain("```sql\nSELECT");
  });

  it("ranks the signals by IV with --rank iv", async () => {
    const byIv = JSON.parse((await runCli(["signals", "--data", data, "--rank", "iv"])).out);
    const ivs = byIv.signals.map((s: {iv: number}) => s.iv);
    expect(ivs).toEqual([...ivs].sort((a, b) => b - a));
    const md = (await runCli(["signals", "--data", data, "--rank", "iv", "--format", "md"])).out;
    expect(md).toContain("## Signals, ranked by information value");
    expect((await runCli(["signals", "--data", data, "--rank", "lift"])).code).toBe(2);
  });

  it("reads --signals FILE and reports bad definitions as one readable error", async () => {
    const path = join(dirname(data), "mine.json");
    writeFileSync(path, JSON.stringify({signals: [{id: "s", label: "s", when: [{column: "num_prior_firm", gte: 3}]}], bands: []}));
    const {code, out: stdout, err: stderr} = await runCli(["signals", "--data", data, "--signals", path]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`error: signal "s": condition 1 (num_prior_firm): unknown column "num_prior_firm" (did you mean "num_prior_firms"?)\n`);
    const own = join(dirname(data), "own.json");
    writeFileSync(own, JSON.stringify({signals: [{id: "young_firm", label: "tiny firm", when: [{column: "firm_rep_count_at_contact", lte: 2}]}], bands: []}));
    const result = JSON.parse((await runCli(["signals", "--data", data, "--signals", own])).out);
    // reps ≤ 2: L01 (1), L07 (0), L10 (2); labeled L01 L07; converted L01.
    expect(result.signals).toMatchObject([{id: "young_firm", leads: 3, labeled: 2, conversions: 1, rate: 0.5, lift: 1}]);
    expect(result.bands).toEqual([]);
    const broken = join(dirname(data), "broken.json");
    writeFileSync(broken, "{");
    expect((await runCli(["signals", "--data", data, "--signals", broken])).err).toMatch(/^error: signal definitions .*broken\.json: invalid JSON/);
  });

  it("rejects usage mistakes with exit code 2", async () => {
    expect((await runCli(["signals", "--data", data, "--format", "csv"])).code).toBe(2);
    expect((await runCli(["signals", "--data", data, "--split", "HOLDOUT"])).code).toBe(2);
    expect((await runCli(["signals"])).err).toMatch(/--data is required/);
  });
});
