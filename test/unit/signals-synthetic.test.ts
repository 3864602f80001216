// On the default synthetic data the signals rank as the seeds published them (V3.2 brief,
// "Strongest Converting Signals"): 1–3 years tenure > 1–10 rep firms > short tenure at a bleeding
// firm > moderate bleeding > 3+ prior firms > heavy bleeding, and < 1 year tenure below baseline.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {loadSource} from "../../loaders/source.js";
import {DEFAULT_ROWS, DEFAULT_SEED} from "../../loaders/synthetic/generate.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {investigateSignals, type SignalsConfig, type SignalsReport} from "../../src/lib/signals/signals.js";

const DEFAULTS = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "data", "signals.json"), "utf8")) as SignalsConfig;

let conn: NodeConnector;
let report: SignalsReport;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await loadSource(conn, {kind: "synthetic", rows: DEFAULT_ROWS, seed: DEFAULT_SEED});
  report = await investigateSignals(conn, DEFAULTS, {columns: await describeColumns(conn, "leads")});
});
afterAll(() => conn?.close());

describe("signals on the default synthetic data", () => {
  it("rank in the seeds' order", () => {
    const order = report.signals.map((s) => s.id).filter((id) => id !== "tenure_lt_1y");
    expect(order).toEqual(["tenure_1_3y", "small_firm_1_10", "short_tenure_bleeding", "moderate_bleeding", "prior_firms_3plus", "heavy_bleeding"]);
  });

  it("put < 1 year tenure below the population rate, and the top two near the seeds' ~3.5×", () => {
    const byId = Object.fromEntries(report.signals.map((s) => [s.id, s]));
    expect(byId.tenure_lt_1y.rate!).toBeLessThan(report.population.rate!);
    expect(byId.tenure_lt_1y.lift!).toBeLessThan(1);
    for (const id of ["tenure_1_3y", "small_firm_1_10"]) expect(byId[id].lift!).toBeGreaterThan(3);
    for (const id of ["moderate_bleeding", "prior_firms_3plus", "heavy_bleeding"]) expect(byId[id].lift!).toBeGreaterThan(2);
  });

  it("account for every lead in each band column", () => {
    for (const column of report.bands) {
      expect(column.bands.reduce((s, b) => s + b.leads, 0) + column.missing.leads).toBe(report.population.leads);
      expect(column.wholeNumbers).toBe(true);
    }
  });
});
