// `--engine bigquery`: the CLI sends the compiled BigQuery SQL and builds the report from the
// aggregates that come back, answered here by a stand-in client (bigquery-stand-in.ts).
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import type {BigQueryQueryClient} from "../../loaders/bigquery-connector.js";
import {bigQueryStandIn} from "./bigquery-stand-in.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";

const TABLE = "acme-analytics.ml_features.lead_scoring_features_pit";
let conn: NodeConnector;
let file: string;
const sent: string[] = [];

const fakeBigQuery = bigQueryStandIn(() => conn, TABLE, sent);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "tierlab-bqe-"));
  file = join(dir, "leads.parquet");
  expect((await runCli(["generate", "--rows", "6000", "--seed", "11", "--out", file])).code).toBe(0);
  conn = await NodeConnector.open();
  await conn.run(`CREATE TABLE leads AS SELECT * FROM read_parquet('${file}')`);
});
afterAll(() => conn.close());

const run = (args: string[], withBigQuery = true) => runCli(args, withBigQuery ? {bigqueryClient: fakeBigQuery} : {});

describe("tierlab report --engine bigquery", () => {
  it("sends one aggregate query in BigQuery SQL and gives the DuckDB engine's report", async () => {
    sent.length = 0;
    const bq = await run(["report", "--engine", "bigquery", "--bigquery", TABLE, "--rules", "v3.2", "--split", "TRAIN"]);
    expect(bq.code).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("FROM `acme-analytics.ml_features.lead_scoring_features_pit`");
    expect(sent[0]).toContain("WHEN (`current_firm_tenure_months` BETWEEN 12 AND 36 AND `industry_tenure_months` BETWEEN 60 AND 180");
    expect(sent[0]).toContain("CAST(`target` AS INT64)");
    expect(sent[0]).toContain("`split` = 'TRAIN'");
    expect(sent[0]).toMatch(/GROUP BY tier/);
    expect(sent[0]).not.toContain('"');
    const local = await run(["report", "--data", file, "--rules", "v3.2", "--split", "TRAIN"], false);
    const a = JSON.parse(bq.out);
    const b = JSON.parse(local.out);
    expect(a.tiers).toEqual(b.tiers);
    expect(a.groups).toEqual(b.groups);
    expect(a.gates).toEqual(b.gates);
  });

  it("needs a table, and refuses --data with it", async () => {
    expect((await run(["report", "--engine", "bigquery", "--rules", "v3.2"])).err).toMatch(/needs --bigquery PROJECT\.DATASET\.TABLE/);
    expect((await run(["report", "--engine", "bigquery", "--bigquery", TABLE, "--data", file, "--rules", "v3.2"])).code).toBe(2);
  });

  it("a BigQuery failure names the table and the cause", async () => {
    const failing: BigQueryQueryClient = {
      ...fakeBigQuery,
      async query() {
        throw Object.assign(new Error("Access Denied: Table acme-analytics:ml_features.lead_scoring_features_pit"), {code: 403});
      }
    };
    const {code, err} = await runCli(["report", "--engine", "bigquery", "--bigquery", TABLE, "--rules", "v3.1"], {bigqueryClient: failing});
    expect(code).toBe(1);
    expect(err).toMatch(/permission denied reading acme-analytics\.ml_features\.lead_scoring_features_pit/);
  });
});

describe("backtest and signals --engine bigquery", () => {
  for (const [name, args] of [
    ["backtest", ["backtest", "--rules", "v3.1"]],
    ["signals", ["signals"]]
  ] as const) {
    it(`${name}: BigQuery SQL only, and the DuckDB engine's numbers`, async () => {
      sent.length = 0;
      const bq = await run([...args, "--engine", "bigquery", "--bigquery", TABLE]);
      expect(bq.err).toBe("");
      expect(bq.code).toBe(0);
      expect(sent.length).toBeGreaterThan(0);
      for (const sql of sent) {
        expect(sql).toContain("`acme-analytics.ml_features.lead_scoring_features_pit`");
        expect(sql).not.toMatch(/"[a-z_]+"/);
      }
      const local = await run([...args, "--data", file], false);
      expect(JSON.parse(bq.out)).toEqual(JSON.parse(local.out));
    });
  }
});
