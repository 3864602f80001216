import {NodeConnector} from "../../loaders/node-duckdb.js";
import {writeLeadsParquet} from "../../loaders/export.js";
import {DEFAULT_ROWS, DEFAULT_SEED} from "../../loaders/synthetic/generate.js";
import {intOption, required, UsageError, type Command} from "../command.js";

export const generate: Command = {
  name: "generate",
  summary: "write the synthetic leads dataset as Parquet",
  help: `tierlab generate [--rows N] [--seed S] --out FILE.parquet

Writes a deterministic synthetic leads table (same seed, same data) shaped like the seeds'
data and calibrated to their published results at the default size.

  --rows N      number of leads (default ${DEFAULT_ROWS.toLocaleString("en-US")}; up to 5,000,000 in seconds)
  --seed S      random seed (default ${DEFAULT_SEED})
  --out FILE    output Parquet file (written atomically)`,
  options: {rows: {type: "string"}, seed: {type: "string"}, out: {type: "string"}},
  async run(values, io) {
    const out = required(values, "out");
    if (!out.endsWith(".parquet")) throw new UsageError(`--out must name a .parquet file, got ${JSON.stringify(out)}`);
    const rows = intOption(values, "rows", DEFAULT_ROWS, 1);
    const seed = intOption(values, "seed", DEFAULT_SEED, 0);
    const started = performance.now();
    // (Loaded here: the data sources bring the BigQuery client and Parquet writer, which other commands need not load.)
    const {loadSource} = await import("../../loaders/source.js");
    const conn = await NodeConnector.open();
    try {
      const {provenance} = await loadSource(conn, {kind: "synthetic", rows, seed});
      await writeLeadsParquet(conn, out, provenance);
      io.stderr(`wrote ${rows.toLocaleString("en-US")} leads (seed ${seed}) to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      conn.close();
    }
  }
};
