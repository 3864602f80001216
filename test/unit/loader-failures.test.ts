// The site's data loader (src/data/leads.tar.ts) on bad input: every bad data file, a bad
// BigQuery source and an interrupted load end with a non-zero exit, the analyst's message on
// stderr (no stack trace) and NOTHING on stdout, so Framework never caches a broken leads file.
// Warnings (duplicate ids, an empty optional column) print and the archive is still written.
// (What a good archive holds is checked in leads-archive.test.ts.)
import {mkdtempSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {runLoader} from "../support/loader.js";
import {buildDataCases, STACK, type DataCase, type WarningCase} from "./faults-data-cases.js";

/** Maps with at most `limit` loaders running at once (each is a DuckDB process). */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({length: limit}, worker));
  return results;
}

let failures: DataCase[];
let warnings: WarningCase[];
let good: string;
beforeAll(async () => {
  ({failures, warnings, good} = await buildDataCases(mkdtempSync(join(tmpdir(), "tierlab-loader-"))));
});

describe("the data loader with TIERLAB_DATA", () => {
  it("writes the validated leads as a tar archive to stdout for a good file", async () => {
    const r = await runLoader({TIERLAB_DATA: good});
    expect(r.code).toBe(0);
    // A tar header (the first member's name, the ustar magic), then the Parquet file's signature.
    expect(r.stdout.subarray(0, 13).toString("latin1")).toBe("leads.parquet");
    expect(r.stdout.subarray(257, 262).toString("latin1")).toBe("ustar");
    expect(r.stdout.subarray(512, 516).toString("latin1")).toBe("PAR1");
    expect(r.stderr).toMatch(/leads\.tar: wrote 500 rows from good\.parquet/);
  });

  it("every bad data file: exit 1, one readable message on stderr, nothing on stdout", {timeout: 240_000}, async () => {
    // One assertion over every case, so a failure names the case.
    const runs = await pool(failures, 3, (c) => runLoader({TIERLAB_DATA: c.path}));
    const outcome = runs.map((r, i) => ({
      case: failures[i].name,
      code: r.code,
      stdoutBytes: r.stdout.length,
      message: failures[i].message.test(r.stderr) && r.stderr.includes(`leads.tar: error: ${failures[i].path}: `),
      stack: STACK.test(r.stderr)
    }));
    expect(outcome).toEqual(failures.map((c) => ({case: c.name, code: 1, stdoutBytes: 0, message: true, stack: false})));
  });

  it("warnings print with the count and examples, and the archive is still written", async () => {
    const runs = await pool(warnings, 2, (c) => runLoader({TIERLAB_DATA: c.path}));
    runs.forEach((r, i) => {
      expect(r.code, warnings[i].name).toBe(0);
      expect(r.stderr, warnings[i].name).toMatch(new RegExp(`leads\\.tar: ${warnings[i].warning.source}`));
      expect(r.stdout.subarray(512, 516).toString("latin1"), warnings[i].name).toBe("PAR1");
    });
  });
});

describe("the data loader with TIERLAB_BIGQUERY_TABLE", () => {
  it("a malformed table path: exit 1, the expected form named, nothing on stdout", async () => {
    const r = await runLoader({TIERLAB_BIGQUERY_TABLE: "leads; DROP TABLE x"});
    expect([r.code, r.stdout.length, STACK.test(r.stderr)]).toEqual([1, 0, false]);
    expect(r.stderr).toContain(`leads.tar: error: "leads; DROP TABLE x" is not a BigQuery table path; expected project.dataset.table`);
  });

  it("unusable credentials: exit 1, the table and the fix named, nothing on stdout", async () => {
    const r = await runLoader({TIERLAB_BIGQUERY_TABLE: "p.ds.leads", GOOGLE_APPLICATION_CREDENTIALS: join(tmpdir(), "no-such-key.json")});
    expect([r.code, r.stdout.length, STACK.test(r.stderr)]).toEqual([1, 0, false]);
    expect(r.stderr).toMatch(/leads\.tar: error: BigQuery: no usable Google credentials to read p\.ds\.leads\. Run "gcloud auth application-default login" or set GOOGLE_APPLICATION_CREDENTIALS/);
  });
});

describe("an interrupted data loader", () => {
  // A large synthetic load: the loader writes the generated Parquet to a temp file and loads it
  // ("leads.parquet"), then writes both archive members into a temp directory ("leads-archive")
  // before it streams the archive. Interrupt once the stage's temp file or directory exists.
  const stages = [
    ["SIGINT", "leads.parquet", "loading the source"],
    ["SIGTERM", "leads.parquet", "loading the source"],
    ["SIGINT", "leads-archive", "writing the archive's files"]
  ] as const;
  for (const [signal, temp, stage] of stages) {
    it(`${signal} while ${stage}: non-zero exit, nothing on stdout, its temp files removed`, {timeout: 180_000}, async () => {
      let seen = false;
      const ours = (pid: number, prefix: string = temp) => readdirSync(tmpdir()).filter((f) => f.startsWith(`.tierlab-tmp-${prefix}-${pid}-`));
      const r = await runLoader({TIERLAB_ROWS: "2000000"}, async (pid) => {
        const started = Date.now();
        while (Date.now() - started < 90_000 && ours(pid).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        seen = ours(pid).length > 0;
        process.kill(pid, signal);
      });
      expect(seen).toBe(true);
      expect(r.code).toBe(signal === "SIGINT" ? 130 : 143);
      expect(r.stdout.length).toBe(0);
      expect(r.stderr).toContain(`interrupted (${signal}); no output was written`);
      expect(ours(r.pid, "leads")).toEqual([]);
    });
  }
});
