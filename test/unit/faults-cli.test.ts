// Failures through the command line: bad data files, bad rule sets, a backtest window without leads,
// BigQuery failures, usage mistakes, and an interrupted run. Every failure is one readable message
// on stderr (no stack trace), nothing on stdout, and a non-zero exit: 1 for bad input, 2 for a
// usage mistake (with the usage help).
import {spawn, spawnSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {describeBigQueryError} from "../../loaders/bigquery.js";
import {runCli} from "../support/cli.js";
import {buildDataCases, STACK, type DataCase, type WarningCase} from "./faults-data-cases.js";

const ROOT = join(import.meta.dirname, "..", "..");

const run = runCli;

/** The real binary, for the process exit code. */
function binary(args: string[], env: Record<string, string> = {}): {code: number | null; out: string; err: string} {
  const r = spawnSync(process.execPath, ["bin/tierlab.js", ...args], {cwd: ROOT, encoding: "utf8", env: {...process.env, ...env}});
  return {code: r.status, out: r.stdout, err: r.stderr};
}

let dir: string;
let data: string;
let failures: DataCase[];
let warnings: WarningCase[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-faults-cli-"));
  data = join(dir, "synthetic.parquet");
  expect((await run(["generate", "--rows", "3000", "--seed", "5", "--out", data])).code).toBe(0);
  ({failures, warnings} = await buildDataCases(join(dir, "cases")));
});

describe("bad data files", () => {
  for (const command of [["inspect"], ["report", "--rules", "v3.2"], ["signals"]]) {
    it(`${command[0]}: every bad file exits 1 with its message, nothing on stdout, no stack trace`, async () => {
      const outcome = [];
      for (const c of failures) {
        const r = await run([...command, "--data", c.path]);
        outcome.push({case: c.name, code: r.code, out: r.out, message: r.err.startsWith(`error: ${c.path}: `) && c.message.test(r.err), stack: STACK.test(r.err)});
      }
      expect(outcome).toEqual(failures.map((c) => ({case: c.name, code: 1, out: "", message: true, stack: false})));
    });
  }

  it("warnings (duplicate ids, an empty optional column) print and the analysis goes on", async () => {
    for (const c of warnings) {
      const r = await run(["inspect", "--data", c.path]);
      expect([c.name, r.code]).toEqual([c.name, 0]);
      expect(r.err).toMatch(c.warning);
      expect(JSON.parse(r.out).population.leads).toBeGreaterThan(0);
    }
  });
});

describe("bad rule sets: report --rules bad.json exits 1 with one readable message", () => {
  const tier = (when: unknown[], extra: object = {}) => ({id: "A", label: "A", when, ...extra});
  const ruleSet = (tiers: unknown[], extra: object = {}) => JSON.stringify({name: "bad", description: "", tiers, fallback: {id: "S", label: "S"}, ...extra}, null, 2);
  const cases: [string, string, RegExp][] = [
    ["invalid JSON, with line and column", `{\n  "name": "x",\n  "tiers": [\n    {"id": "A" "label": "a"}\n  ]\n}`, /invalid JSON at line 4, column 16: expected "," or "}" in an object, found """/],
    ["a trailing comma", `{"name": "x", "tiers": [1, 2,]}`, /invalid JSON at line 1, column 30: expected a value, found "]"/],
    ["schema: a required field missing", JSON.stringify({description: "x", tiers: [tier([{column: "num_prior_firms", gte: 3}])], fallback: {id: "S", label: "S"}}), /"name" is required/],
    ["schema: a field of the wrong type", ruleSet([tier([{column: "num_prior_firms", gte: 3}], {label: 3})]), /tier "A": "label" must be text, got 3/],
    ["schema: an unknown field", ruleSet([tier([{column: "num_prior_firms", gte: 3}], {When: []})]), /tier "A": unknown field "When"/],
    ["schema: an unknown operator", ruleSet([tier([{column: "num_prior_firms", gte: 3, "=": 1}])]), /unknown operator "="/],
    ["an unknown column", ruleSet([tier([{column: "firm_net_change_12m", lt: 0}])]), /tier "A" condition 1 \(firm_net_change_12m\): unknown column "firm_net_change_12m" \(did you mean "firm_net_change_12mo"\?\)/],
    ["a type mismatch: ordering a text column", ruleSet([tier([{column: "split", lt: 3}])]), /lt compares numbers, but "split" is a string column \(VARCHAR\)/],
    ["a type mismatch: a number column compared with text", ruleSet([tier([{column: "is_wirehouse", eq: "0"}])]), /a number column \(TINYINT\) compared with a string \("0"\)/],
    ["between inverted", ruleSet([tier([{column: "firm_net_change_12mo", between: [-1, -10]}])]), /between needs min ≤ max, got \[-1, -10\]/],
    ["duplicate ids", ruleSet([tier([{column: "num_prior_firms", gte: 3}]), tier([{column: "num_prior_firms", gte: 1}])]), /tier id "A" is used by tiers 1 and 2; ids must be unique/],
    ["no tiers", ruleSet([]), /the rule set has no tiers; give at least one tier besides the fallback/],
    ["an id equal to the fallback's", ruleSet([tier([{column: "num_prior_firms", gte: 3}], {id: "S"})]), /fallback id "S" is also the id of tier 1/]
  ];
  for (const [name, text, message] of cases) {
    it(name, async () => {
      const file = join(dir, `rules-${name.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, text);
      const r = await run(["report", "--data", data, "--rules", file]);
      expect([r.code, r.out, STACK.test(r.err)]).toEqual([1, "", false]);
      expect(r.err).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
      expect(r.err).toMatch(message);
      // One message: every issue printed once.
      const lines = r.err.trim().split("\n");
      expect(new Set(lines).size).toBe(lines.length);
    });
  }

  it("through the real binary: exit code 1 and no stack trace", () => {
    const file = join(dir, "rules-binary.json");
    writeFileSync(file, cases[0][1]);
    const r = binary(["report", "--data", data, "--rules", file]);
    expect([r.code, r.out, STACK.test(r.err)]).toEqual([1, "", false]);
    expect(r.err).toMatch(cases[0][2]);
  });

  it("a name SQL cannot express (a NUL character) is refused with one message, not a crash", async () => {
    const file = join(dir, "rules-nul.json");
    writeFileSync(file, ruleSet([tier([{column: "num_\u0000prior_firms", gte: 3}])]));
    const r = await run(["sql", "--rules", file, "--kind", "case"]);
    expect([r.code, r.out, STACK.test(r.err)]).toEqual([1, "", false]);
    expect(r.err).toMatch(/^error: .*rules-nul\.json: invalid rule set/);
    expect(r.err).toMatch(/"column" contains a NUL character/);
  });
});

describe("backtest periods", () => {
  it("a window with no leads gives zeros and null rates, not NaN and not a crash", async () => {
    const periods = join(dir, "empty-window.json");
    writeFileSync(periods, JSON.stringify({periods: [{name: "FUTURE", train: ["2030-01-01", "2030-06-30"], test: ["2030-07-01", "2030-12-31"]}]}));
    const r = await run(["backtest", "--data", data, "--rules", "v3.2", "--periods", periods]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/NaN|Infinity/);
    const json = JSON.parse(r.out);
    for (const window of ["train", "test"]) {
      const report = json.periods[0][window];
      expect(report.population).toMatchObject({leads: 0, labeled: 0, conversions: 0, rate: null, ci: null});
      expect(report.tiers.length).toBeGreaterThan(1);
      for (const t of report.tiers) expect(t).toMatchObject({leads: 0, labeled: 0, conversions: 0, rate: null, ci: null, lift: null});
    }
    for (const s of json.stability) expect(s).toMatchObject({lifts: [null], mean: null, sd: null});
    expect(json.gates.find((g: {id: string}) => g.id === "backtest-mean-lift")).toMatchObject({pass: false, value: null, detail: expect.stringMatching(/no Tier 1 lift/)});
  });

  it("a period whose end precedes its start exits 1 naming the period and the dates", async () => {
    const periods = join(dir, "inverted.json");
    writeFileSync(periods, JSON.stringify({periods: [{name: "P", train: ["2024-02-01", "2024-06-30"], test: ["2024-12-31", "2024-07-01"]}]}));
    const r = binary(["backtest", "--data", data, "--rules", "v3.2", "--periods", periods]);
    expect([r.code, r.out, STACK.test(r.err)]).toEqual([1, "", false]);
    expect(r.err).toContain("period 1 (P): test ends (2024-07-01) before it starts (2024-12-31)");
  });
});

describe("BigQuery from the command line", () => {
  it("unusable credentials: exit 1, the table and the fix named, the previous output file intact", () => {
    const out = join(dir, "bq.parquet");
    writeFileSync(out, "previous good file");
    const r = binary(["export", "--bigquery", "p.ds.leads", "--out", out], {GOOGLE_APPLICATION_CREDENTIALS: join(dir, "no-such-key.json")});
    expect([r.code, r.out, STACK.test(r.err)]).toEqual([1, "", false]);
    expect(r.err).toMatch(/error: BigQuery: no usable Google credentials to read p\.ds\.leads\. Run "gcloud auth application-default login"/);
    expect(readFileSync(out, "utf8")).toBe("previous good file");
    expect(readdirSync(dir).filter((f) => f.startsWith(".tierlab-tmp-"))).toEqual([]);
  });

  it("a malformed table path is refused before anything is contacted", async () => {
    const r = await run(["export", "--bigquery", "leads", "--out", join(dir, "x.parquet")]);
    expect([r.code, r.out, r.err.trim().split("\n").at(-1)]).toEqual([1, "", `error: "leads" is not a BigQuery table path; expected project.dataset.table`]);
  });

  it("names the cause for credentials, network and key-file failures as the client reports them", () => {
    const cases: [unknown, RegExp][] = [
      [new Error("Unable to read the credential file specified by the GOOGLE_APPLICATION_CREDENTIALS environment variable: The file at /k.json does not exist"), /no usable Google credentials to read p\.ds\.t/],
      [new Error("error:1E08010C:DECODER routines::unsupported"), /no usable Google credentials to read p\.ds\.t/],
      [new Error("request to https://bigquery.googleapis.com/bigquery/v2/projects/p failed, reason: getaddrinfo ENOTFOUND bigquery.googleapis.com"), /could not reach BigQuery to read p\.ds\.t: no network connection/],
      [Object.assign(new Error("14 UNAVAILABLE: Connection dropped"), {code: 14}), /the connection dropped while exporting p\.ds\.t; nothing was written/]
    ];
    for (const [error, message] of cases) expect(describeBigQueryError(error, "p.ds.t")).toMatch(message);
  });
});

describe("usage mistakes: usage help and exit code 2", () => {
  const cases: [string, string[], RegExp, RegExp][] = [
    ["no command", [], /^tierlab: rules-based lead-scoring tiers/, /^Usage: npx tierlab <command> \[options\]$/m],
    ["an unknown command", ["repotr", "--data", "x.parquet"], /^error: unknown command "repotr"/, /^Usage: npx tierlab <command> \[options\]$/m],
    ["an unknown preset", ["report", "--data", "DATA", "--rules", "v9"], /^error: --rules "v9" is neither a preset \(v3\.1, v3\.2, v3\.2-consolidated\) nor an existing file/, /^tierlab report /m],
    ["a bad date", ["report", "--data", "DATA", "--rules", "v3.2", "--from", "2024-02-30"], /^error: --from must be a date like 2024-06-30, got "2024-02-30"/, /^tierlab report /m],
    ["missing --data", ["inspect"], /^error: --data is required/, /^tierlab inspect --data FILE/m],
    ["missing --data (report)", ["report", "--rules", "v3.2"], /^error: --data is required/, /^tierlab report /m],
    ["an unknown option", ["inspect", "--data", "DATA", "--fromat", "md"], /^error: Unknown option '--fromat'/, /^tierlab inspect --data FILE/m],
    ["a stray argument", ["inspect", "DATA"], /^error: unexpected argument "/, /^tierlab inspect --data FILE/m]
  ];
  for (const [name, args, message, help] of cases) {
    it(name, () => {
      const r = binary(args.map((a) => (a === "DATA" ? data : a)));
      expect([r.code, r.out, STACK.test(r.err)]).toEqual([2, "", false]);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(help);
    });
  }
});

describe("an interrupted run", () => {
  // Each signal in its own directory, so the temp-file checks see only that run's files.
  for (const [signal, exitCode] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal} while generate is writing leaves the previous file intact and no temp file`, async () => {
      const where = mkdtempSync(join(dir, `interrupt-${signal}-`));
      const out = join(where, "kept.parquet");
      writeFileSync(out, "previous good file");
      const temps = () => readdirSync(where).filter((f) => f.startsWith(".tierlab-tmp-"));
      const child = spawn(process.execPath, ["bin/tierlab.js", "generate", "--rows", "400000", "--out", out], {cwd: ROOT, stdio: ["ignore", "ignore", "pipe"]});
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      let running = true;
      void exited.then(() => (running = false));
      // The temp file beside the output exists only while DuckDB's COPY writes it: interrupt then.
      while (running && !temps().some((f) => f.startsWith(".tierlab-tmp-kept.parquet-"))) await new Promise((r) => setTimeout(r, 10));
      const writing = temps().some((f) => f.startsWith(".tierlab-tmp-kept.parquet-"));
      child.kill(signal);
      const code = await exited;
      expect(writing, `the temp file was not seen before the process ended; stderr: ${stderr}`).toBe(true);
      expect(code).toBe(exitCode);
      expect(stderr).toContain(`interrupted (${signal}); no output was written`);
      expect(stderr).not.toMatch(/wrote .* leads/);
      expect(readFileSync(out, "utf8")).toBe("previous good file");
      expect(temps()).toEqual([]);
    });
  }
});
