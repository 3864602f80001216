// generate / inspect from the command line (an interrupted export: faults-cli.test.ts).
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-cli-data-"));
});

const run = runCli;

describe("tierlab generate and inspect", () => {
  it("generate writes the requested rows; inspect's numbers match plain SQL on the file", async () => {
    const file = join(dir, "g.parquet");
    expect((await run(["generate", "--rows", "5000", "--seed", "3", "--out", file])).code).toBe(0);
    const {code, out} = await run(["inspect", "--data", file]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    const conn = await NodeConnector.open();
    const [total] = await conn.query(`SELECT COUNT(*) AS n, COUNT(target) AS labeled, SUM(target) AS conv, MIN(contacted_date) AS lo, MAX(contacted_date) AS hi FROM read_parquet('${file}')`);
    const splits = await conn.query(`SELECT split, COUNT(*) AS n, SUM(target) AS conv FROM read_parquet('${file}') GROUP BY split ORDER BY MIN(contacted_date)`);
    const [wh] = await conn.query(`SELECT COUNT(*) FILTER (WHERE is_wirehouse = 1) AS n FROM read_parquet('${file}')`);
    conn.close();
    expect(json.population).toMatchObject({leads: 5000, labeled: total.labeled, conversions: total.conv, from: total.lo, to: total.hi});
    expect(json.population.rate).toBeCloseTo(Number(total.conv) / Number(total.labeled), 12);
    expect(json.splits.map((s: {split: string; leads: number; conversions: number}) => [s.split, s.leads, s.conversions])).toEqual(splits.map((s) => [s.split, s.n, s.conv]));
    // Split counts scale exactly from the seeds' 30,727 / 1,802 / 6,919 of 39,448: GAP 1,802 × 5,000 /
    // 39,448 = 228.40 → 228, TEST 6,919 × 5,000 / 39,448 = 876.98 → 877, TRAIN the rest, 3,895.
    expect(Object.fromEntries(json.splits.map((s: {split: string; leads: number}) => [s.split, s.leads]))).toEqual({TRAIN: 3895, GAP: 228, TEST: 877});
    expect(json.wirehouse.leads).toBe(wh.n);
    expect(json.source).toMatchObject({kind: "synthetic", seed: 3, rows: 5000});
    expect(json.checks.duplicateIds.count).toBe(0);
    const md = await run(["inspect", "--data", file, "--format", "md"]);
    expect(md.out).toContain("| 5,000 |");
  });

  it("the same seed gives the same data", async () => {
    const a = join(dir, "a.parquet");
    const b = join(dir, "b.parquet");
    expect((await run(["generate", "--rows", "2000", "--seed", "9", "--out", a])).code).toBe(0);
    expect((await run(["generate", "--rows", "2000", "--seed", "9", "--out", b])).code).toBe(0);
    const conn = await NodeConnector.open();
    // Both ways: a row of either file missing from the other (counting duplicates) is a difference.
    const [diff] = await conn.query(
      `SELECT (SELECT COUNT(*) FROM (SELECT * FROM read_parquet('${a}') EXCEPT ALL SELECT * FROM read_parquet('${b}'))) AS a_only,
              (SELECT COUNT(*) FROM (SELECT * FROM read_parquet('${b}') EXCEPT ALL SELECT * FROM read_parquet('${a}'))) AS b_only,
              (SELECT COUNT(*) FROM read_parquet('${a}')) AS a_rows, (SELECT COUNT(*) FROM read_parquet('${b}')) AS b_rows`
    );
    conn.close();
    expect(diff).toEqual({a_only: 0, b_only: 0, a_rows: 2000, b_rows: 2000});
  });

  it("usage mistakes exit 2 and name the problem", async () => {
    expect((await run(["generate", "--rows", "0", "--out", join(dir, "x.parquet")])).err).toMatch(/--rows must be a whole number ≥ 1/);
    expect((await run(["generate", "--out", join(dir, "x.csv")])).err).toMatch(/--out must name a \.parquet file/);
    expect((await run(["inspect"])).err).toMatch(/--data is required/);
    expect((await run(["inspect", "--data", "x.parquet", "--bogus"])).code).toBe(2);
    expect((await run(["inspect", "--help"])).code).toBe(0);
  });

  it("a bad data file exits 1 with one readable message and no stack trace", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "lead_id,contacted_date\na,2024-01-01\n");
    const r = await run(["inspect", "--data", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: .*bad\.csv: required column "target" is missing/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
