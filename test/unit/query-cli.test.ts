// `tierlab query` against hand-written SQL on the same file (a second DuckDB reading the Parquet
// directly, the tier CASE written out here), its formats, its refusals and its value conversions.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";

let dir: string;
let file: string;
let rulesFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-query-"));
  file = join(dir, "leads.parquet");
  const conn = await NodeConnector.open();
  await conn.run(`COPY (
    SELECT 'L' || i AS lead_id, DATE '2024-02-01' + (i % 300)::INTEGER AS contacted_date,
      CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 5 = 0)::INTEGER END AS target,
      (i % 60)::INTEGER AS current_firm_tenure_months, (i % 400)::INTEGER AS industry_tenure_months,
      (i % 3)::INTEGER AS num_prior_firms, (i % 9 = 0)::INTEGER AS is_wirehouse
    FROM range(1000) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.close();
  // Two tiers: tenure 12–36 → A; else industry ≥ 240 → B; else REST.
  rulesFile = join(dir, "rules.json");
  writeFileSync(rulesFile, JSON.stringify({
    name: "query-test",
    tiers: [
      {id: "A", label: "A", when: [{column: "current_firm_tenure_months", between: [12, 36]}]},
      {id: "B", label: "B", when: [{column: "industry_tenure_months", gte: 240}]}
    ],
    fallback: {id: "REST", label: "Rest"}
  }));
});

const TIER_COUNTS = "SELECT tier, COUNT(*) AS n, COUNT(target) AS labeled, SUM(target) AS conversions FROM scored_leads GROUP BY tier ORDER BY tier";

describe("tierlab query", () => {
  it("counts scored_leads as a hand-written CASE does on the same file", async () => {
    const {code, out, err} = await runCli(["query", "--data", file, "--rules", rulesFile, TIER_COUNTS]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const conn = await NodeConnector.open();
    const expected = await conn.query(`SELECT CASE WHEN current_firm_tenure_months BETWEEN 12 AND 36 THEN 'A' WHEN industry_tenure_months >= 240 THEN 'B' ELSE 'REST' END AS tier,
      COUNT(*) AS n, COUNT(target) AS labeled, SUM(target) AS conversions FROM read_parquet('${file}') GROUP BY 1 ORDER BY 1`);
    conn.close();
    expect(JSON.parse(out)).toEqual(expected);
    expect(expected.map((r) => r.tier)).toEqual(["A", "B", "REST"]);
  });

  it("prints Markdown and CSV with the columns' own names", async () => {
    const md = await runCli(["query", "--data", file, "--rules", rulesFile, "--format", "md", "SELECT 'x|y' AS s, 2.5 AS v, NULL::VARCHAR AS z"]);
    expect(md.code).toBe(0);
    expect(md.out).toBe("| s | v | z |\n|---|---:|---|\n| x\\|y | 2.5 | – |");
    const csv = await runCli(["query", "--data", file, "--rules", rulesFile, "--format", "csv", "SELECT lead_id, contacted_date FROM leads ORDER BY contacted_date, lead_id LIMIT 2"]);
    expect(csv.code).toBe(0);
    expect(csv.out).toBe("lead_id,contacted_date\r\nL0,2024-02-01\r\nL300,2024-02-01\r\n");
  });

  it("gives BIGINT as a number when it fits a double exactly, else as text; dates as YYYY-MM-DD", async () => {
    const sql = "SELECT 9007199254740991::BIGINT AS safe, 9007199254740993::BIGINT AS big, -9007199254740993::HUGEINT AS neg, DATE '2024-03-05' AS d, TIMESTAMP '2024-03-05 06:07:08' AS ts, [1, 2] AS l, {'k': 'v'} AS st, 1 AS a, 2 AS a";
    const {code, out} = await runCli(["query", "--data", file, "--rules", rulesFile, sql]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([{safe: 9007199254740991, big: "9007199254740993", neg: "-9007199254740993", d: "2024-03-05", ts: "2024-03-05T06:07:08.000Z", l: [1, 2], st: {k: "v"}, a: 1, a_2: 2}]);
  });

  it("refuses statements that would change the data, with exit code 1 and one message", async () => {
    for (const sql of ["DROP VIEW scored_leads", "CREATE OR REPLACE VIEW leads AS SELECT 1", "DELETE FROM leads", "DETACH leads_file", "SET enable_external_access = true", "SELECT 1; DROP TABLE leads"]) {
      const {code, out, err} = await runCli(["query", "--data", file, "--rules", rulesFile, sql]);
      expect(code, sql).toBe(1);
      expect(out).toBe("");
      expect(err, sql).toMatch(/^error: (\w+ is not allowed: queries here only read the data|One statement at a time)/);
      expect(err).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("cannot read files or URLs: external access is off once the data is loaded", async () => {
    const other = join(dir, "other.csv");
    writeFileSync(other, "a\n1\n");
    for (const sql of [`SELECT * FROM read_csv('${other}')`, "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", `SELECT * FROM glob('${dir}/*')`]) {
      const {code, err} = await runCli(["query", "--data", file, "--rules", rulesFile, sql]);
      expect(code, sql).toBe(1);
      expect(err, sql).toMatch(/Permission Error: .*disabled by configuration/);
    }
  });

  it("shows the engine's message with its position for bad SQL; usage mistakes exit 2", async () => {
    const bad = await runCli(["query", "--data", file, "--rules", rulesFile, "SELECT * FRM leads"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: Parser Error: syntax error at or near "leads"\n\nLINE 1: SELECT \* FRM leads\n +\^/);
    expect((await runCli(["query", "--data", file])).code).toBe(2);
    expect((await runCli(["query", "--data", file, "--rules", rulesFile, "--format", "xml", "SELECT 1"])).code).toBe(2);
    expect((await runCli(["query", "--data", file, "--rules", rulesFile, "SELECT 1", "SELECT 2"])).code).toBe(2);
    expect((await runCli(["query", "--data", file, "--rules", join(dir, "missing.json"), "SELECT 1"])).code).toBe(2);
  });
});

it("without --rules, queries leads even when the site's rule set does not fit the file (a warning says scored_leads is missing)", async () => {
  const {code, out, err} = await runCli(["query", "--data", file, "SELECT COUNT(*) AS n FROM leads"]);
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual([{n: 1000}]);
  expect(err).toMatch(/^warning: no scored_leads: .*invalid rule set/);
});
