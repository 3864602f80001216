// One population for every page and command: resolvePopulation from the site's maturity and the
// address's state (old links included), and the command line's population options counting what a
// hand-written SQL COUNT counts on the same file.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import fc from "fast-check";
import {beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {decodeState, encodeState} from "../../src/lib/permalink.js";
import {PopulationError, populationState, resolvePopulation} from "../../src/lib/population.js";
import {runCli} from "../support/cli.js";

const SITE = {analysisDate: "2025-09-15", maturityDays: 43};

describe("resolvePopulation", () => {
  it("takes the site's maturity where the state says nothing", () => {
    expect(resolvePopulation(SITE, {})).toEqual({analysisDate: "2025-09-15", maturityDays: 43});
    expect(resolvePopulation(SITE)).toEqual({analysisDate: "2025-09-15", maturityDays: 43});
    expect(resolvePopulation({analysisDate: null, maturityDays: null}, {split: "TRAIN"})).toEqual({split: "TRAIN"});
    expect(resolvePopulation({}, {from: "2024-02-01", to: "2024-06-30", excludeWirehouse: true})).toEqual({from: "2024-02-01", to: "2024-06-30", excludeWirehouse: true});
  });

  it("takes the state's maturity over the site's; null is none", () => {
    expect(resolvePopulation(SITE, {analysisDate: "2025-01-15"})).toEqual({analysisDate: "2025-01-15", maturityDays: 43});
    expect(resolvePopulation(SITE, {maturityDays: 0})).toEqual({analysisDate: "2025-09-15", maturityDays: 0});
    expect(resolvePopulation(SITE, {analysisDate: null})).toEqual({});
    expect(resolvePopulation(SITE, {maturityDays: null})).toEqual({analysisDate: "2025-09-15"});
    expect(resolvePopulation({}, {analysisDate: "2025-01-15", maturityDays: 10})).toEqual({analysisDate: "2025-01-15", maturityDays: 10});
  });

  it("drops a window without a date to count it back from", () => {
    expect(resolvePopulation({maturityDays: 43}, {})).toEqual({});
    expect(resolvePopulation(SITE, {analysisDate: null, maturityDays: 20})).toEqual({});
  });

  it("refuses what SQL would refuse or misread, naming the field", () => {
    const cases: [object, RegExp][] = [
      [{from: "2024-02-30"}, /^from must be a date like 2024-06-30, got "2024-02-30"$/],
      [{to: "2024-06-30' OR '1'='1"}, /^to must be a date/],
      [{analysisDate: "15/09/2025"}, /^analysis date must be a date/],
      [{from: "2024-06-30", to: "2024-02-01"}, /^the window ends \(2024-02-01\) before it starts \(2024-06-30\)$/],
      [{maturityDays: -1}, /^maturity window must be a whole number of days ≥ 0, got -1$/],
      [{maturityDays: 1.5}, /whole number/],
      [{split: 3}, /^split must be text/]
    ];
    for (const [state, message] of cases) {
      expect(() => resolvePopulation(SITE, state as never), JSON.stringify(state)).toThrow(PopulationError);
      expect(() => resolvePopulation(SITE, state as never), JSON.stringify(state)).toThrow(message);
    }
  });

  it("a resolved population, written into a link, resolves to itself whatever the site's defaults", () => {
    const date = fc.integer({min: 0, max: 2000}).map((d) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const population = fc.record(
      {split: fc.constantFrom("TRAIN", "GAP", "TEST"), from: date, excludeWirehouse: fc.constant(true), analysisDate: date, maturityDays: fc.integer({min: 0, max: 400})},
      {requiredKeys: []}
    );
    const site = fc.record({analysisDate: fc.option(date), maturityDays: fc.option(fc.integer({min: 0, max: 400}))}, {requiredKeys: []});
    fc.assert(
      fc.property(population, site, site, (p, siteA, siteB) => {
        const resolved = resolvePopulation(siteA, p);
        expect(resolvePopulation(siteB, JSON.parse(JSON.stringify(populationState(resolved))))).toEqual(resolved);
      })
    );
  });
});

describe("links", () => {
  it("carry the maturity: a link opens on its own, not on the site's", async () => {
    const population = populationState(resolvePopulation(SITE, {split: "TEST", maturityDays: 10}));
    const state = await decodeState(await encodeState({rules: {name: "r"}, population}));
    expect(state.population).toEqual({split: "TEST", analysisDate: "2025-09-15", maturityDays: 10});
    expect(resolvePopulation({analysisDate: "2026-01-01", maturityDays: 90}, state.population)).toEqual({split: "TEST", analysisDate: "2025-09-15", maturityDays: 10});
    // A population with no maturity stays without one on a site that has one.
    const none = await decodeState(await encodeState({population: populationState({excludeWirehouse: true})}));
    expect(resolvePopulation(SITE, none.population)).toEqual({excludeWirehouse: true});
  });

  it("made before the maturity was carried still open, on the site's maturity", async () => {
    // The bytes of a link as tierlab wrote it before (rules, compare, population without maturity).
    const old = `1.${Buffer.from(
      new Uint8Array(await new Response(new Blob([JSON.stringify({rules: {name: "old"}, compare: "v3.1", population: {split: "TRAIN"}})]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer())
    ).toString("base64url")}`;
    const state = await decodeState(old);
    expect(state).toEqual({rules: {name: "old"}, compare: "v3.1", population: {split: "TRAIN"}});
    expect(resolvePopulation(SITE, state.population)).toEqual({split: "TRAIN", analysisDate: "2025-09-15", maturityDays: 43});
  });
});

describe("the command line's population options", () => {
  let file: string;
  let rules: string;
  let signals: string;
  let hand: (where: string, cutoff: string) => Promise<{leads: number; labeled: number}>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-population-"));
    file = join(dir, "leads.parquet");
    rules = join(dir, "rules.json");
    signals = join(dir, "signals.json");
    writeFileSync(signals, JSON.stringify({signals: [{id: "movers", label: "3+ prior firms", when: [{column: "num_prior_firms", gte: 3}]}], bands: [{column: "num_prior_firms", edges: [1, 3]}]}));
    writeFileSync(rules, JSON.stringify({name: "movers", tiers: [{id: "MOVER", label: "Mover", when: [{column: "num_prior_firms", gte: 3}]}], fallback: {id: "REST", label: "Rest"}}));
    const conn = await NodeConnector.open();
    await conn.run(`COPY (
      SELECT 'L' || i AS lead_id, DATE '2024-02-01' + (i % 600)::INTEGER AS contacted_date,
        CASE WHEN i % 7 = 0 THEN NULL ELSE (hash(i, 't') % 9 = 0)::INTEGER END AS target,
        (hash(i, 'w') % 4 = 0)::INTEGER AS is_wirehouse,
        CASE WHEN i % 600 < 400 THEN 'TRAIN' ELSE 'TEST' END AS split,
        (hash(i, 'n') % 6)::INTEGER AS num_prior_firms
      FROM range(4000) t(i)) TO '${file}' (FORMAT parquet)`);
    conn.close();
    // The independent count: plain SQL on the file, not the project's population code.
    hand = async (where, cutoff) => {
      const c = await NodeConnector.open();
      const [row] = await c.query(`SELECT COUNT(*) AS leads, COUNT(*) FILTER (WHERE target IS NOT NULL AND contacted_date <= DATE '${cutoff}') AS labeled FROM read_parquet('${file}') WHERE ${where}`);
      c.close();
      return {leads: Number(row.leads), labeled: Number(row.labeled)};
    };
  });

  // 2025-05-15 − 44 days = 2025-04-01
  const options = ["--analysis-date", "2025-05-15", "--maturity-days", "44", "--exclude-wirehouse", "--split", "TEST"];
  const where = "split = 'TEST' AND is_wirehouse <> 1";

  it("report, signals and inspect count the population a hand-written COUNT counts", async () => {
    const want = await hand(where, "2025-04-01");
    expect(want.labeled).toBeLessThan(want.leads - 100); // the maturity matters on this data
    for (const [command, ...rest] of [["report", "--rules", rules], ["signals", "--signals", signals], ["inspect"]]) {
      const {code, out, err} = await runCli([command, "--data", file, ...rest, ...options]);
      expect(err, command).toBe("");
      expect(code, command).toBe(0);
      const {population} = JSON.parse(out) as {population: {leads: number; labeled: number; description: string}};
      expect([population.leads, population.labeled], command).toEqual([want.leads, want.labeled]);
      expect(population.description, command).toBe("TEST, no wirehouses, mature by 2025-04-01");
    }
  });

  it("backtest counts each window of that population like a hand-written COUNT", async () => {
    // 2025-01-20 − 10 days = 2025-01-10; Full_2024's test window (2024-11-01 … 2025-01-31) cut at --from.
    const args = ["--analysis-date", "2025-01-20", "--maturity-days", "10", "--exclude-wirehouse", "--split", "TRAIN", "--from", "2024-12-01"];
    const {code, out} = await runCli(["backtest", "--data", file, "--rules", rules, ...args]);
    expect(code).toBe(0);
    const periods = JSON.parse(out).periods as {name: string; test: {population: {leads: number; labeled: number}}}[];
    const want = await hand("split = 'TRAIN' AND is_wirehouse <> 1 AND contacted_date BETWEEN DATE '2024-12-01' AND DATE '2025-01-31'", "2025-01-10");
    expect(want.labeled).toBeGreaterThan(0);
    expect(want.labeled).toBeLessThan(want.leads - 50);
    expect(periods.find((p) => p.name === "Full_2024")!.test.population).toMatchObject(want);
    // A window entirely before --from is empty.
    expect(periods.find((p) => p.name === "Q1Q2_2024")!.test.population).toMatchObject({leads: 0, labeled: 0});
  });

  it("refuse a window without a date and dates that are not dates, as usage errors", async () => {
    const runs: [string[], string][] = [
      [["report", "--rules", rules, "--maturity-days", "43"], "error: --maturity-days needs --analysis-date (the window is counted back from it)"],
      [["signals", "--signals", signals, "--analysis-date", "2025-02-30"], `error: --analysis-date must be a date like 2024-06-30, got "2025-02-30"`],
      [["inspect", "--analysis-date", "2025-05-15", "--maturity-days=-1"], `error: --maturity-days must be a whole number ≥ 0, got "-1"`]
    ];
    for (const [args, message] of runs) {
      const {code, err} = await runCli([args[0], "--data", file, ...args.slice(1)]);
      expect([code, err.split("\n")[0]], args.join(" ")).toEqual([2, message]);
    }
  });
});
