// The site's data loader (src/data/leads.tar.ts) writes one tar archive holding the published
// Parquet file and the DuckDB database file the pages load. Checked here with tools that are not
// the loader's: GNU tar lists and extracts the archive, and a separate DuckDB reads each file.
import {execFileSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {decodePreviewColumns} from "../../src/components/leadsArrowFile.js";
import {runLoader} from "../support/loader.js";

interface Extracted {
  members: string[];
  parquet: string;
  duckdb: string;
  columns: string;
  pid: number;
}

/** Runs the loader and extracts its archive with GNU tar. */
async function archive(name: string, env: Record<string, string>): Promise<Extracted> {
  const dir = mkdtempSync(join(tmpdir(), `tierlab-archive-${name}-`));
  const tar = join(dir, "leads.tar");
  const r = await runLoader(env);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(tar, r.stdout);
  const members = execFileSync("tar", ["-tf", tar], {encoding: "utf8"}).trim().split("\n");
  const out = join(dir, "out");
  execFileSync("mkdir", [out]);
  execFileSync("tar", ["-xf", tar, "-C", out]);
  return {members, parquet: join(out, "leads.parquet"), duckdb: join(out, "leads.duckdb"), columns: join(out, "leads.arrow"), pid: r.pid};
}

let conn: NodeConnector;
let synthetic: Extracted;
let fromFile: Extracted;
let source: string;
let started: number;
beforeAll(async () => {
  started = Date.now();
  conn = await NodeConnector.open();
  // A local export with NULL targets (leads not yet mature), a text column with quotes and accents,
  // and a DOUBLE column: everything must come through both files alike.
  source = join(mkdtempSync(join(tmpdir(), "tierlab-archive-source-")), "export.parquet");
  await conn.run(`COPY (
    SELECT 'L' || i AS lead_id, DATE '2024-02-01' + (i % 600)::INTEGER AS contacted_date,
      CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 9 = 0)::INTEGER END AS target,
      (i % 40)::SMALLINT AS firm_rep_count_at_contact, CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 3)::SMALLINT END AS num_prior_firms,
      i / 7.0 AS pit_restlessness_ratio, 'note "' || i || '" é' AS note
    FROM range(2500) t(i)) TO '${source}' (FORMAT parquet)`);
  [synthetic, fromFile] = await Promise.all([archive("synthetic", {TIERLAB_ROWS: "3000", TIERLAB_SEED: "5"}), archive("file", {TIERLAB_DATA: source})]);
}, 240_000);
afterAll(() => conn?.close());

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

describe("the data archive", () => {
  it("holds exactly the Parquet file, the DuckDB database file, the columns file and the report page's report", () => {
    expect(synthetic.members).toEqual(["leads.parquet", "leads.duckdb", "leads.arrow", "report.json"]);
    expect(fromFile.members).toEqual(["leads.parquet", "leads.duckdb", "leads.arrow", "report.json"]);
  });

  it("the report is of the same leads; data the configured rules cannot run on still builds, its report saying why", async () => {
    const report = JSON.parse(readFileSync(join(synthetic.duckdb, "..", "report.json"), "utf8"));
    await conn.run(`ATTACH ${q(synthetic.duckdb)} AS r (READ_ONLY)`);
    try {
      const [{n}] = await conn.query(`SELECT COUNT(*) AS n FROM r.leads`);
      expect(report.data.comparison.current.population.leads).toBe(Number(n));
    } finally {
      await conn.run(`DETACH r`);
    }
    expect(report.html).toContain('id="report-tiers"');
    // The file source has none of the features the default rules name.
    const failed = JSON.parse(readFileSync(join(fromFile.duckdb, "..", "report.json"), "utf8"));
    expect(failed.error).toMatch(/unknown column "current_firm_tenure_months"/);
  });

  for (const which of ["synthetic", "file"] as const) {
    it(`${which} source: the columns file holds the DuckDB file's columns list, provenance and, narrowed, the values of its date, split, target and integer features`, async () => {
      const a = which === "synthetic" ? synthetic : fromFile;
      const source = await decodePreviewColumns(readFileSync(a.columns));
      await conn.run(`ATTACH ${q(a.duckdb)} AS f (READ_ONLY)`);
      try {
        const described = await conn.query(`DESCRIBE f.leads`);
        expect(source.schema.map((c) => [c.name, c.type])).toEqual(described.map((r) => [r.column_name, r.column_type]));
        const [meta] = await conn.query(`SELECT value FROM f.tierlab_metadata WHERE key = 'tierlab.provenance'`);
        expect(source.provenance).toEqual(JSON.parse(String(meta.value)));
        // The integer features the table has, and nothing that is text, a DOUBLE or an identifier.
        const expected = which === "synthetic" ? ["current_firm_tenure_months", "industry_tenure_months", "firm_net_change_12mo", "firm_rep_count_at_contact", "num_prior_firms", "is_wirehouse", "pit_moves_3yr"] : ["firm_rep_count_at_contact", "num_prior_firms"];
        expect([...source.features.keys()]).toEqual(expected);
        const rows = await conn.query(`SELECT strftime(contacted_date, '%Y-%m-%d') AS d, target, ${which === "synthetic" ? "split, " : ""}${expected.join(", ")} FROM f.leads`);
        expect(source.rows).toBe(rows.length);
        const value = (c: {values: ArrayLike<number>; valid: Uint8Array | null}, i: number) => (c.valid && !c.valid[i] ? null : c.values[i]);
        rows.forEach((row, i) => {
          expect(new Date(source.days[i] * 86_400_000).toISOString().slice(0, 10)).toBe(row.d);
          expect(value(source.target, i)).toBe(row.target);
          if (which === "synthetic") expect(source.split!.values[source.split!.codes.values[i]]).toBe(row.split);
          for (const name of expected) expect(value(source.features.get(name)!, i), `${name} row ${i}`).toBe(row[name]);
        });
        expect(source.split === null).toBe(which === "file");
        // Narrowed: the features' values fit a byte or two here.
        expect(source.features.get("num_prior_firms")!.values).toBeInstanceOf(Int8Array);
      } finally {
        await conn.run(`DETACH f`);
      }
    });
  }

  for (const which of ["synthetic", "file"] as const) {
    it(`${which} source: both files hold the same rows, in the same order, with the same column types`, async () => {
      const a = which === "synthetic" ? synthetic : fromFile;
      await conn.run(`ATTACH ${q(a.duckdb)} AS f (READ_ONLY)`);
      try {
        const types = (sql: string) => conn.query(`SELECT column_name, column_type FROM (DESCRIBE ${sql})`);
        expect(await types(`SELECT * FROM f.leads`)).toEqual(await types(`SELECT * FROM read_parquet(${q(a.parquet)})`));
        const [counts] = await conn.query(`SELECT (SELECT COUNT(*) FROM f.leads) AS db, (SELECT COUNT(*) FROM read_parquet(${q(a.parquet)})) AS pq`);
        expect(counts).toEqual(which === "synthetic" ? {db: 3000, pq: 3000} : {db: 2500, pq: 2500});
        // Every row in one file is in the other as often (EXCEPT ALL compares NULLs as equal).
        const [diff] = await conn.query(`SELECT
          (SELECT COUNT(*) FROM (SELECT * FROM f.leads EXCEPT ALL SELECT * FROM read_parquet(${q(a.parquet)}))) AS only_db,
          (SELECT COUNT(*) FROM (SELECT * FROM read_parquet(${q(a.parquet)}) EXCEPT ALL SELECT * FROM f.leads)) AS only_pq`);
        expect(diff).toEqual({only_db: 0, only_pq: 0});
        const [order] = await conn.query(`SELECT (SELECT list(lead_id) FROM f.leads) = (SELECT list(lead_id) FROM read_parquet(${q(a.parquet)})) AS same`);
        expect(order.same).toBe(true);
        if (which === "file") {
          // The source's leads, NULL targets and text all arrived.
          const [check] = await conn.query(`SELECT
            (SELECT COUNT(*) FROM (SELECT lead_id, target, note FROM read_parquet(${q(source)}) EXCEPT ALL SELECT lead_id, target, note FROM f.leads)) AS missing,
            (SELECT COUNT(*) FROM f.leads WHERE target IS NULL) AS nulls`);
          expect(check).toEqual({missing: 0, nulls: 358});
        }
        const tables = await conn.query(`SELECT table_name FROM duckdb_tables() WHERE database_name = 'f' ORDER BY table_name`);
        expect(tables.map((t) => t.table_name)).toEqual(["leads", "tierlab_metadata"]);
      } finally {
        await conn.run(`DETACH f`);
      }
    });
  }

  it("the DuckDB file is in a storage version the browser's DuckDB 1.4 reads (64–67), complete without a write-ahead log", () => {
    for (const a of [synthetic, fromFile]) {
      // DuckDB's file header: 8 bytes of checksum, "DUCK", then the storage version as a uint64
      // (DuckDB 1.4 reads versions 64 to 67, and 67 is its own; native 1.5 writes newer ones by default).
      const header = readFileSync(a.duckdb).subarray(0, 20);
      expect(header.subarray(8, 12).toString("latin1")).toBe("DUCK");
      expect(Number(header.readBigUInt64LE(12))).toBe(67);
      expect(readdirSync(join(a.duckdb, ".."))).toEqual(["leads.arrow", "leads.duckdb", "leads.parquet", "report.json"]);
    }
  });

  it("both files carry the same provenance, which says where the data came from", async () => {
    for (const [a, expected] of [
      [synthetic, {kind: "synthetic", source: "synthetic (seed 5)", rows: 3000, seed: 5}],
      [fromFile, {kind: "file", source: "export.parquet", rows: 2500}]
    ] as const) {
      const [pq] = await conn.query(`SELECT decode(value) AS v FROM parquet_kv_metadata(${q(a.parquet)}) WHERE decode(key) = 'tierlab.provenance'`);
      await conn.run(`ATTACH ${q(a.duckdb)} AS f (READ_ONLY)`);
      const [db] = await conn.query(`SELECT value AS v FROM f.tierlab_metadata WHERE key = 'tierlab.provenance'`);
      await conn.run(`DETACH f`);
      const fromParquet = JSON.parse(String(pq.v));
      expect(JSON.parse(String(db.v))).toEqual(fromParquet);
      expect(fromParquet).toMatchObject(expected);
      const exported = Date.parse(fromParquet.exportedAt);
      expect(exported).toBeGreaterThanOrEqual(started - 1000);
      expect(exported).toBeLessThanOrEqual(Date.now());
    }
  });

  it("leaves no temp files behind", () => {
    const leftovers = readdirSync(tmpdir()).filter((f) => [synthetic.pid, fromFile.pid].some((pid) => f.startsWith(".tierlab-tmp-") && f.includes(`-${pid}-`)));
    expect(leftovers).toEqual([]);
  });
});
