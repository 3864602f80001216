// Every source goes through one validation; each bad input ends in one readable message.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {DataError} from "../../src/lib/data-contract.js";

let dir: string;
let conn: NodeConnector;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-load-"));
  conn = await NodeConnector.open();
});
afterEach(() => conn.close());

const HEADER = "lead_id,contacted_date,target,firm_rep_count_at_contact";
function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}
async function parquet(name: string, select: string): Promise<string> {
  const path = join(dir, name);
  await conn.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  return path;
}
async function failure(path: string): Promise<DataError> {
  const error = await loadLeadsFile(conn, path).catch((e) => e);
  expect(error).toBeInstanceOf(DataError);
  return error;
}

describe("loading a leads file", () => {
  it("loads a good CSV and normalizes types", async () => {
    const path = csv("ok.csv", [HEADER, "a,2024-02-01,1,8", "b,2024-02-02,0,", "c,2024-02-03,,12"]);
    const loaded = await loadLeadsFile(conn, path);
    expect(loaded.rows).toBe(3);
    expect(loaded.warnings).toEqual([]);
    const types = Object.fromEntries(loaded.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({lead_id: "VARCHAR", contacted_date: "DATE", target: "TINYINT"});
    expect(await conn.query(`SELECT COUNT(target) AS labeled, SUM(target) AS conv FROM leads`)).toEqual([{labeled: 2, conv: 1}]);
  });

  it("file missing", async () => {
    expect((await failure(join(dir, "nope.parquet"))).message).toMatch(/nope\.parquet: file not found/);
  });

  it("not Parquet or CSV", async () => {
    const path = join(dir, "leads.xlsx");
    writeFileSync(path, "PK\u0003\u0004 zip");
    expect((await failure(path)).message).toMatch(/unsupported file type "\.xlsx"; give a \.parquet or \.csv file/);
    const fake = join(dir, "fake.parquet");
    writeFileSync(fake, "lead_id,contacted_date\n");
    expect((await failure(fake)).message).toMatch(/is not a Parquet file/);
  });

  it("a truncated Parquet file", async () => {
    const good = await parquet("good.parquet", "SELECT 'a' AS lead_id, DATE '2024-02-01' AS contacted_date, 1 AS target");
    const bytes = readFileSync(good);
    const cut = join(dir, "cut.parquet");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await failure(cut)).message).toMatch(/truncated or damaged/);
  });

  it("zero rows, and an empty file", async () => {
    expect((await failure(csv("header-only.csv", [HEADER]))).message).toMatch(/zero rows/);
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    expect((await failure(empty)).message).toMatch(/empty \(zero bytes\)/);
  });

  it("a required column missing", async () => {
    const e = await failure(csv("no-target.csv", ["lead_id,contacted_date", "a,2024-02-01"]));
    expect(e.message).toMatch(/required column "target" is missing \(columns found: lead_id, contacted_date\)/);
  });

  it("target values other than 0, 1 and NULL", async () => {
    const e = await failure(csv("bad-target.csv", [HEADER, "a,2024-02-01,2,1", "b,2024-02-01,2,1", "c,2024-02-01,1,1"]));
    expect(e.message).toMatch(/"target" must be 0, 1 or NULL; found 2 \(2 rows\)/);
  });

  it("dates that do not parse, and dates outside 2000–2100", async () => {
    const bad = await failure(await parquet("bad-date.parquet", "SELECT * FROM (VALUES ('a', '2024-02-01', 1), ('b', 'yesterday', 0)) t(lead_id, contacted_date, target)"));
    expect(bad.message).toMatch(/"contacted_date" has 1 values that are not dates, e.g. "yesterday"/);
    const old = await failure(csv("old.csv", [HEADER, "a,1899-12-31,1,1", "b,2024-01-01,0,1"]));
    expect(old.message).toMatch(/"contacted_date" has 1 dates outside 2000–2100 \(range 1899-12-31 to 2024-01-01\)/);
  });

  it("a feature stored as text where rules compare numbers", async () => {
    const e = await failure(csv("text-feature.csv", [HEADER, "a,2024-02-01,1,ten", "b,2024-02-01,0,12"]));
    expect(e.message).toMatch(/"firm_rep_count_at_contact" is stored as text \(VARCHAR\) but rules compare it with numbers/);
  });

  it("duplicate lead ids warn with the count and examples, and the load continues", async () => {
    const loaded = await loadLeadsFile(conn, csv("dup.csv", [HEADER, "a,2024-02-01,1,1", "a,2024-02-02,0,1", "b,2024-02-01,0,1", "b,2024-02-01,0,1", "c,2024-02-01,0,1"]));
    expect(loaded.rows).toBe(5);
    expect(loaded.warnings.map((w) => w.message)).toEqual([`2 lead_id values appear more than once (e.g. "a", "b"); every row is counted`]);
  });

  it("a column entirely NULL warns (an optional one) or fails (a required one)", async () => {
    const loaded = await loadLeadsFile(conn, await parquet("null-col.parquet", "SELECT 'a' AS lead_id, DATE '2024-02-01' AS contacted_date, 1 AS target, NULL::INTEGER AS num_prior_firms"));
    expect(loaded.warnings.map((w) => w.message)).toEqual([`column "num_prior_firms" is entirely NULL`]);
    const e = await failure(await parquet("null-target.parquet", "SELECT 'a' AS lead_id, DATE '2024-02-01' AS contacted_date, NULL::INTEGER AS target"));
    expect(e.message).toMatch(/column "target" is entirely NULL/);
  });
});
