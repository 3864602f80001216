// What the tier page's "Suggest" panel asks: the thresholds a tier can free (in words), the windows
// inside the page's population, and constraints left out (`skip`, `tierlab tune --skip`).
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {freeableThresholds, tuneBase, tuneWindow} from "../../src/lib/tiers/tune-request.js";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {parsePeriods} from "../../src/lib/backtest/backtest.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {ruleColumns} from "../../src/lib/rules/js-compile.js";
import {readLeadColumns} from "../../src/lib/tiers/sweep.js";
import {tune} from "../../src/lib/tiers/tune.js";
import {runCli} from "../support/cli.js";

const consolidated: RuleSet = JSON.parse(readFileSync("data/rules/v3.2-consolidated.json", "utf8"));

describe("freeableThresholds", () => {
  it("lists every numeric threshold of a tier, a range's two ends apart, in the words of the rule set", () => {
    const list = freeableThresholds(consolidated, "TIER_1_PRIME_MOVER");
    expect(list.map((f) => f.id)).toEqual(["1.1:low", "1.1:high", "1.2:low", "1.2:high", "1.3", "1.4", "2.1:low", "2.1:high", "2.2", "3.1:low", "3.1:high", "3.2:low", "3.2:high", "3.3"]);
    expect(list.find((f) => f.id === "2.2")!.words).toBe("firm_rep_count_at_contact ≤ 10");
    expect(list.find((f) => f.id === "1.1:high")!.words).toBe("current_firm_tenure_months between 12 and 36 (the high end, 36)");
    // (is_wirehouse = 0 is not a threshold; a `when` tier's conditions are numbered N.)
    expect(freeableThresholds(consolidated, "TIER_2_PROVEN_MOVER").map((f) => [f.id, f.words])).toEqual([
      ["1", "num_prior_firms ≥ 3"],
      ["2", "industry_tenure_months ≥ 60"]
    ]);
    expect(freeableThresholds(consolidated, "NO_SUCH_TIER")).toEqual([]);
  });
});

describe("tuneWindow", () => {
  it("replaces the page's split and dates by the window, keeps wirehouses and maturity", () => {
    const page = {split: "TEST", from: "2024-03-01", to: "2024-09-30", excludeWirehouse: true, analysisDate: "2025-06-30", maturityDays: 43};
    expect(tuneBase(page)).toEqual({excludeWirehouse: true, analysisDate: "2025-06-30", maturityDays: 43});
    expect(tuneWindow({split: "TRAIN"}, page)).toEqual({split: "TRAIN", excludeWirehouse: true, analysisDate: "2025-06-30", maturityDays: 43});
    expect(tuneWindow({from: "2024-02-01", to: "2024-06-30"}, {})).toEqual({from: "2024-02-01", to: "2024-06-30"});
    expect(() => tuneWindow({from: "2024-06-30", to: "2024-02-01"}, {})).toThrow(/ends \(2024-02-01\) before it starts/);
  });
});

describe("tierlab tune --skip", () => {
  let data: string;
  beforeAll(async () => {
    data = join(mkdtempSync(join(tmpdir(), "tierlab-tune-skip-")), "leads.parquet");
    expect((await runCli(["generate", "--rows", "8000", "--seed", "13", "--out", data])).code).toBe(0);
  });
  const tuneCli = (...extra: string[]) => runCli(["tune", "--data", data, "--rules", "v3.2-consolidated", "--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--steps", "10", "--top", "2", ...extra]);

  it("a skipped constraint neither filters nor is reported", async () => {
    // A minimum lift no candidate reaches: none passes; skipped, the candidates are the ones ranked without it.
    expect((await tuneCli("--min-lift", "30")).code).toBe(1);
    const skipped = await tuneCli("--min-lift", "30", "--skip", "min-lift");
    expect([skipped.code, skipped.err]).toEqual([0, ""]);
    const json = JSON.parse(skipped.out);
    expect(json.current.constraints.map((c: {id: string}) => c.id)).toEqual(["min-labeled", "priority-share", "ci-separation", "tier-order"]);
    const without = JSON.parse((await tuneCli("--min-lift", "0")).out);
    expect(json.candidates.map((c: {values: object}) => c.values)).toEqual(without.candidates.map((c: {values: object}) => c.values));
    expect(json.evaluated).toBe(without.evaluated);
    // Markdown: the constraints named and one column each.
    const md = await tuneCli("--skip", "tier-order,priority-share", "--format", "md");
    expect(md.out).toContain("Constraints: min-labeled, min-lift, ci-separation.");
    expect(md.out).toMatch(/\| backtest lift mean \| min \| SD \| enough labeled \| min lift \| above fallback \|\n/);
  });

  it("tune() counts the windows by the loop over typed columns when given them (the page's path): the same tuning, its steps told", async () => {
    const conn = await NodeConnector.open();
    try {
      await loadLeadsFile(conn, data);
      const columns = await describeColumns(conn, "leads");
      const periods = parsePeriods(JSON.parse(readFileSync("data/periods.json", "utf8")));
      const request = {tier: "TIER_1_PRIME_MOVER", free: ["1.4", "3.1:high"], steps: 12, top: 3, skip: ["tier-order" as const]};
      const options = {fit: {split: "TRAIN"}, holdout: {split: "TEST"}, periods, columns};
      const bySql = await tune(conn, consolidated, request, options);
      const asked: string[] = [];
      const steps: string[] = [];
      const byLoop = await tune(conn, consolidated, request, {
        ...options,
        progress: (s) => steps.push(s),
        leadColumns: async (p) => {
          asked.push(JSON.stringify(p));
          const leads = await readLeadColumns(conn, columns, p, ruleColumns(consolidated));
          return "reason" in leads ? null : leads;
        }
      });
      // The fit, the holdout, then each period's test window (the backtest of every candidate at once).
      const testWindows = periods.map((p) => JSON.stringify({from: p.test[0], to: p.test[1]}));
      expect(testWindows).toHaveLength(4);
      expect(asked).toEqual(['{"split":"TRAIN"}', '{"split":"TEST"}', ...testWindows]);
      expect(byLoop).toEqual(bySql);
      expect(bySql.candidates.length).toBe(3);
      expect(steps).toEqual([
        "counting the fit window (TRAIN)",
        `evaluating ${bySql.evaluated.toLocaleString("en-US")} candidate combinations`,
        "counting the holdout (TEST)",
        ...periods.map((p) => `counting the backtest's ${p.name} test window`),
        "candidate 1 of 3",
        "candidate 2 of 3",
        "candidate 3 of 3",
        "the current rules",
        "comparing the windows"
      ]);
    } finally {
      conn.close();
    }
  });

  it("an unknown constraint is one usage message (exit 2)", async () => {
    const r = await tuneCli("--skip", "min-lift,nope");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --skip takes constraints among min-labeled, min-rate, min-lift, priority-share, ci-separation, tier-order, got "nope"\n/);
  });
});
