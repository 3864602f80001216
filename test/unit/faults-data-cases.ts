// The bad data files, built once and shared by the tests that feed them to the data
// loader (TIERLAB_DATA) and to the command line: each with the message an analyst must see.
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {literal} from "../../src/lib/sql.js";

export interface DataCase {
  name: string;
  path: string;
  /** What stderr must say (after "error: <path>: "). */
  message: RegExp;
}

export interface WarningCase {
  name: string;
  path: string;
  /** The warning printed while the analysis goes on. */
  warning: RegExp;
}

const HEADER = "lead_id,contacted_date,target,firm_rep_count_at_contact";

/** Writes every case into `dir`. */
export async function buildDataCases(dir: string): Promise<{failures: DataCase[]; warnings: WarningCase[]; good: string}> {
  mkdirSync(dir, {recursive: true});
  const conn = await NodeConnector.open();
  const csv = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join("\n") + "\n");
    return path;
  };
  const parquet = async (name: string, select: string) => {
    const path = join(dir, name);
    await conn.run(`COPY (${select}) TO ${literal(path)} (FORMAT parquet)`);
    return path;
  };
  try {
    const good = await parquet("good.parquet", `SELECT 'L' || i AS lead_id, DATE '2024-02-01' + (i % 300)::INTEGER AS contacted_date, (i % 9 = 0)::INTEGER AS target, i % 40 AS firm_rep_count_at_contact FROM range(500) t(i)`);
    const cut = join(dir, "cut.parquet");
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    const xlsx = join(dir, "leads.xlsx");
    writeFileSync(xlsx, "PK\u0003\u0004 zip");
    const fake = join(dir, "fake.parquet");
    writeFileSync(fake, "lead_id,contacted_date,target\n");
    const folder = join(dir, "folder.parquet");
    mkdirSync(folder, {recursive: true});

    const failures: DataCase[] = [
      {name: "file missing", path: join(dir, "missing.parquet"), message: /missing\.parquet: file not found/},
      {name: "a directory", path: folder, message: /is a directory, not a data file/},
      {name: "not Parquet or CSV", path: xlsx, message: /unsupported file type "\.xlsx"; give a \.parquet or \.csv file/},
      {name: "named .parquet but not Parquet", path: fake, message: /is not a Parquet file \(it does not start with the PAR1 signature\)/},
      {name: "a truncated Parquet file", path: cut, message: /the Parquet file is truncated or damaged \(no footer\); export it again/},
      {name: "an empty file", path: empty, message: /the file is empty \(zero bytes\)/},
      {name: "zero rows (CSV header only)", path: csv("header-only.csv", [HEADER]), message: /the data has zero rows/},
      {name: "zero rows (Parquet)", path: await parquet("no-rows.parquet", "SELECT 'a' AS lead_id, DATE '2024-02-01' AS contacted_date, 1 AS target LIMIT 0"), message: /the data has zero rows/},
      {name: "lead_id missing", path: csv("no-id.csv", ["contacted_date,target", "2024-02-01,1"]), message: /required column "lead_id" is missing \(columns found: contacted_date, target\)/},
      {name: "contacted_date missing", path: csv("no-date.csv", ["lead_id,target", "a,1"]), message: /required column "contacted_date" is missing/},
      {name: "target missing", path: csv("no-target.csv", ["lead_id,contacted_date", "a,2024-02-01"]), message: /required column "target" is missing/},
      {name: "target other than 0, 1, NULL", path: csv("bad-target.csv", [HEADER, "a,2024-02-01,2,1", "b,2024-02-01,2,1", "c,2024-02-01,-1,1", "d,2024-02-01,1,1"]), message: /column "target" must be 0, 1 or NULL; found 2 \(2 rows\), -1 \(1 rows\)/},
      {name: "target as text", path: csv("text-target.csv", [HEADER, "a,2024-02-01,converted,1", "b,2024-02-01,open,1"]), message: /column "target" is VARCHAR; expected 0, 1 or NULL as a number/},
      {name: "dates that do not parse", path: await parquet("bad-date.parquet", "SELECT * FROM (VALUES ('a', '2024-02-01', 1), ('b', '31/12/2024', 0), ('c', 'soon', 0)) t(lead_id, contacted_date, target)"), message: /column "contacted_date" has 2 values that are not dates, e\.g\. "31\/12\/2024", "soon"/},
      {name: "dates outside 2000–2100", path: csv("far-dates.csv", [HEADER, "a,1899-12-31,1,1", "b,2024-01-01,0,1", "c,2207-01-01,0,1"]), message: /column "contacted_date" has 2 dates outside 2000–2100 \(range 1899-12-31 to 2207-01-01\)/},
      {name: "a lead without a contact date", path: csv("null-date.csv", [HEADER, "a,2024-02-01,1,1", "b,,0,1"]), message: /column "contacted_date" is empty in 1 rows; every lead needs a contact date/},
      {name: "a feature stored as text", path: csv("text-feature.csv", [HEADER, "a,2024-02-01,1,ten", "b,2024-02-01,0,12"]), message: /column "firm_rep_count_at_contact" is stored as text \(VARCHAR\) but rules compare it with numbers; export it as a number/},
      {name: "a required column entirely NULL", path: await parquet("null-target.parquet", "SELECT 'a' AS lead_id, DATE '2024-02-01' AS contacted_date, NULL::INTEGER AS target"), message: /column "target" is entirely NULL/}
    ];
    const warnings: WarningCase[] = [
      {name: "duplicate lead ids", path: csv("dup.csv", [HEADER, "a,2024-02-01,1,1", "a,2024-02-02,0,1", "b,2024-02-01,0,1", "b,2024-02-01,0,1", "c,2024-02-01,0,1"]), warning: /warning: 2 lead_id values appear more than once \(e\.g\. "a", "b"\); every row is counted/},
      {name: "an optional column entirely NULL", path: await parquet("null-feature.parquet", "SELECT 'a' AS lead_id, DATE '2024-02-01' AS contacted_date, 1 AS target, NULL::INTEGER AS num_prior_firms"), warning: /warning: column "num_prior_firms" is entirely NULL/}
    ];
    return {failures, warnings, good};
  } finally {
    conn.close();
  }
}

/** A stack trace line, which a user error must never print. */
export const STACK = /\n\s+at /;
