// `tierlab report` against an independent computation: the seeds' own V3.2 CASE, pasted from the
// brief as plain SQL, run by DuckDB on the same file. Also the JSON shape and the exit codes.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";

const SEEDS_V32 = `CASE
  WHEN current_firm_tenure_months BETWEEN 12 AND 36 AND industry_tenure_months BETWEEN 60 AND 180
       AND firm_net_change_12mo < 0 AND firm_rep_count_at_contact <= 50 AND is_wirehouse = 0 THEN 'TIER_1A_PRIME_MOVER_SMALL'
  WHEN current_firm_tenure_months BETWEEN 12 AND 36 AND firm_rep_count_at_contact <= 10 AND is_wirehouse = 0 THEN 'TIER_1B_SMALL_FIRM'
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180
       AND firm_net_change_12mo < 0 AND is_wirehouse = 0 THEN 'TIER_1C_PRIME_MOVER'
  WHEN num_prior_firms >= 3 AND industry_tenure_months >= 60 AND is_wirehouse = 0 THEN 'TIER_2A_PROVEN_MOVER'
  WHEN firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60 THEN 'TIER_2B_MODERATE_BLEEDER'
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'TIER_3_EXPERIENCED_MOVER'
  WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'TIER_4_HEAVY_BLEEDER'
  ELSE 'STANDARD' END`;

let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-cli-"));
  file = join(dir, "leads.parquet");
  // Hand-built rows with NULLs and values exactly on every threshold of V3.2.
  const conn = await NodeConnector.open();
  await conn.run(`COPY (
    SELECT 'L' || i AS lead_id, DATE '2024-02-01' + (i % 500)::INTEGER AS contacted_date,
      CASE WHEN i % 11 = 0 THEN NULL ELSE (hash(i, 'y') % 5 = 0)::INTEGER END AS target,
      CASE WHEN i % 13 = 0 THEN NULL ELSE [11, 12, 36, 37, 48, 49, 120][1 + (hash(i, 'a') % 7)::INTEGER] END AS current_firm_tenure_months,
      CASE WHEN i % 17 = 0 THEN NULL ELSE [59, 60, 180, 181, 239, 240, 300][1 + (hash(i, 'b') % 7)::INTEGER] END AS industry_tenure_months,
      [-11, -10, -1, 0, 1, 5][1 + (hash(i, 'c') % 6)::INTEGER] AS firm_net_change_12mo,
      CASE WHEN i % 19 = 0 THEN NULL ELSE [1, 10, 11, 50, 51, 2000][1 + (hash(i, 'd') % 6)::INTEGER] END AS firm_rep_count_at_contact,
      CASE WHEN i % 23 = 0 THEN NULL ELSE [0, 2, 3, 4][1 + (hash(i, 'e') % 4)::INTEGER] END AS num_prior_firms,
      (hash(i, 'f') % 4 = 0)::INTEGER AS is_wirehouse,
      CASE WHEN i < 2500 THEN 'TRAIN' ELSE 'TEST' END AS split
    FROM range(3000) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.close();
});

const run = runCli;

describe("tierlab report", () => {
  afterAll(() => {});
  it("matches the seeds' CASE on the same data, tier by tier (TRAIN split)", async () => {
    const {code, out} = await run(["report", "--data", file, "--rules", "v3.2", "--split", "TRAIN"]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    const conn = await NodeConnector.open();
    const expected = await conn.query(
      `SELECT ${SEEDS_V32} AS tier, COUNT(*) AS leads, COUNT(target) AS labeled, COALESCE(SUM(target), 0) AS conversions
       FROM read_parquet('${file}') WHERE split = 'TRAIN' GROUP BY 1`
    );
    conn.close();
    const byTier = new Map(expected.map((r) => [r.tier, r]));
    expect(json.tiers.map((t: {id: string}) => t.id)).toEqual([
      "TIER_1A_PRIME_MOVER_SMALL", "TIER_1B_SMALL_FIRM", "TIER_1C_PRIME_MOVER", "TIER_2A_PROVEN_MOVER",
      "TIER_2B_MODERATE_BLEEDER", "TIER_3_EXPERIENCED_MOVER", "TIER_4_HEAVY_BLEEDER", "STANDARD"
    ]);
    for (const t of json.tiers) {
      const e = byTier.get(t.id) ?? {leads: 0, labeled: 0, conversions: 0};
      expect([t.id, t.leads, t.labeled, t.conversions]).toEqual([t.id, e.leads, e.labeled, e.conversions]);
      expect(t.rate).toBe(e.labeled ? Number(e.conversions) / Number(e.labeled) : null);
    }
    const pop = json.population;
    expect(pop.leads).toBe(2500);
    for (const t of json.tiers) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(["id", "group", "leads", "labeled", "conversions", "rate", "ci", "share", "lift", "liftVsFallback"]));
      if (t.rate !== null) expect(t.lift).toBeCloseTo(t.rate / pop.rate, 12);
    }
    expect(json.groups.map((g: {id: string}) => g.id)).toEqual(["TIER_1", "TIER_2", "TIER_3_EXPERIENCED_MOVER", "TIER_4_HEAVY_BLEEDER", "STANDARD"]);
    const tier1 = json.tiers.filter((t: {group: string}) => t.group === "TIER_1");
    expect(json.groups[0].leads).toBe(tier1.reduce((s: number, t: {leads: number}) => s + t.leads, 0));
    for (const g of json.gates) expect(Object.keys(g)).toEqual(expect.arrayContaining(["id", "label", "pass", "value", "threshold"]));
    expect(json.gates.map((g: {id: string}) => g.id)).toEqual(["tier1-rate", "priority-lift", "priority-share", "ci-overlap", "tier-order"]);
    for (const t of json.tiers) expect(t.liftCi === null || (Array.isArray(t.liftCi) && t.liftCi.length === 2 && t.liftCi[0] <= t.lift && t.lift <= t.liftCi[1])).toBe(true);
  });

  it("gives gains and an AUC equal to the Mann–Whitney U of the seeds' CASE, computed in SQL", async () => {
    const {code, out} = await run(["report", "--data", file, "--rules", "v3.2", "--split", "TRAIN"]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json.discrimination)).toEqual(["auc", "gini", "ks"]);
    expect(json.gains.map((g: {id: string}) => g.id)).toEqual(json.tiers.map((t: {id: string}) => t.id));
    for (const g of json.gains) expect(Object.keys(g)).toEqual(["id", "cumLeads", "cumLabeled", "cumConversions", "cumLeadsShare", "cumConversionsShare", "cumRate", "cumLift"]);
    // An independent computation: every labeled lead ranked by its tier's position in the rule
    // order (the seeds' CASE written out by hand), U = Σ over (converter, non-converter) pairs of
    // 1 when the converter's tier comes first, ½ in the same tier; AUC = U / (P·N). KS from the
    // cumulative counts over the tier boundaries; the gains' conversions by a window sum.
    const order = `[${json.tiers.map((t: {id: string}) => `'${t.id}'`).join(", ")}]`;
    const conn = await NodeConnector.open();
    const scored = `(SELECT list_position(${order}, ${SEEDS_V32}) AS r, target FROM read_parquet('${file}') WHERE split = 'TRAIN' AND target IS NOT NULL)`;
    const [mw] = await conn.query(
      `SELECT SUM(CASE WHEN p.r < n.r THEN 1.0 WHEN p.r = n.r THEN 0.5 ELSE 0.0 END) AS u, (SELECT COUNT(*) FROM ${scored} WHERE target = 1) AS pos, (SELECT COUNT(*) FROM ${scored} WHERE target = 0) AS neg
       FROM ${scored} p, ${scored} n WHERE p.target = 1 AND n.target = 0`
    );
    const [ks] = await conn.query(
      `SELECT MAX(ABS(cp / tp - cn / tn)) AS ks FROM (
         SELECT SUM(p) OVER (ORDER BY r) AS cp, SUM(n) OVER (ORDER BY r) AS cn, SUM(p) OVER () AS tp, SUM(n) OVER () AS tn
         FROM (SELECT r, SUM(target) AS p, COUNT(*) - SUM(target) AS n FROM ${scored} GROUP BY r))`
    );
    const cum = await conn.query(
      `SELECT t, SUM(c) OVER (ORDER BY t) AS cum FROM (SELECT list_position(${order}, ${SEEDS_V32}) AS t, COALESCE(SUM(target), 0) AS c FROM read_parquet('${file}') WHERE split = 'TRAIN' GROUP BY 1) ORDER BY t`
    );
    conn.close();
    const auc = Number(mw.u) / (Number(mw.pos) * Number(mw.neg));
    expect(Number(mw.pos)).toBeGreaterThan(0);
    expect(json.discrimination.auc).toBeCloseTo(auc, 12);
    expect(json.discrimination.gini).toBeCloseTo(2 * auc - 1, 12);
    expect(json.discrimination.ks).toBeCloseTo(Number(ks.ks), 12);
    const cumByTier = new Map(cum.map((row) => [json.tiers[Number(row.t) - 1].id, Number(row.cum)]));
    let last = 0;
    for (const g of json.gains) {
      last = cumByTier.get(g.id) ?? last;
      expect([g.id, g.cumConversions]).toEqual([g.id, last]);
    }
  });

  it("writes Markdown and CSV with the same counts", async () => {
    const md = await run(["report", "--data", file, "--rules", "v3.1", "--format", "md"]);
    const csv = await run(["report", "--data", file, "--rules", "v3.1", "--format", "csv"]);
    const json = JSON.parse((await run(["report", "--data", file, "--rules", "v3.1"])).out);
    expect(md.code).toBe(0);
    for (const t of json.tiers) {
      // The Markdown names tiers by label (as the pages do); the CSV by id, beside its label.
      expect(md.out).toContain(`| ${t.label} | ${t.leads.toLocaleString("en-US")} |`);
      expect(csv.out).toMatch(new RegExp(`^${t.id},.*,${t.leads},`, "m"));
    }
  });

  it("usage errors exit 2 with help; bad rules exit 1 with the problem named", async () => {
    expect((await run(["report", "--rules", "v3.2"])).err).toMatch(/--data is required/);
    expect((await run(["report", "--data", file, "--rules", "v3.2", "--from", "2024-13-01"])).code).toBe(2);
    expect((await run(["report", "--data", file, "--rules", "nope"])).err).toMatch(/neither a preset \(v3\.1, v3\.2, v3\.2-consolidated\) nor an existing file/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, `{"name": "x", "description": "", "tiers": [{"id": "A", "label": "A", "when": [{"column": "no_such_column", "lt": 3}]}], "fallback": {"id": "S", "label": "S"}}`);
    const r = await run(["report", "--data", file, "--rules", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no_such_column/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect((await run(["nope"])).code).toBe(2);
  });
});

describe("a hand-written rule file without a description", () => {
  const text = `{"name": "no words", "tiers": [{"id": "A", "label": "A", "when": [{"column": "current_firm_tenure_months", "between": [12, 36]}]}], "fallback": {"id": "S", "label": "S"}}`;

  it("reports the counts a plain SQL query gives on the same file, and compiles", async () => {
    const rules = join(dir, "no-description.json");
    writeFileSync(rules, text);
    const report = await run(["report", "--data", file, "--rules", rules]);
    expect(report.err).toBe("");
    expect(report.code).toBe(0);
    const conn = await NodeConnector.open();
    const expected = await conn.query(
      `SELECT CASE WHEN current_firm_tenure_months BETWEEN 12 AND 36 THEN 'A' ELSE 'S' END AS tier, COUNT(*) AS leads, COUNT(target) AS labeled
       FROM read_parquet('${file}') GROUP BY 1 ORDER BY 1`
    );
    conn.close();
    expect(JSON.parse(report.out).tiers.map((t: {id: string; leads: number; labeled: number}) => ({tier: t.id, leads: t.leads, labeled: t.labeled}))).toEqual(expected);
    const sql = await run(["sql", "--rules", rules, "--dialect", "duckdb", "--kind", "case"]);
    expect([sql.code, sql.out]).toEqual([0, `CASE\n  WHEN ("current_firm_tenure_months" BETWEEN 12 AND 36) THEN 'A'\n  ELSE 'S'\nEND`]);
    const scoring = await run(["sql", "--rules", rules, "--dialect", "bigquery"]);
    expect(scoring.code).toBe(0);
  });
});

describe("tierlab sql", () => {
  it("prints BigQuery SQL with backtick identifiers that DuckDB also accepts in its dialect", async () => {
    const bq = await run(["sql", "--rules", "v3.2", "--dialect", "bigquery", "--kind", "case"]);
    expect(bq.out).toContain("WHEN (`current_firm_tenure_months` BETWEEN 12 AND 36");
    const duck = await run(["sql", "--rules", "v3.2", "--dialect", "duckdb", "--kind", "counts", "--table", "t"]);
    const conn = await NodeConnector.open();
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
    const rows = await conn.query(duck.out);
    conn.close();
    expect(rows.reduce((s, r) => s + Number(r.leads), 0)).toBe(3000);
  });
});
