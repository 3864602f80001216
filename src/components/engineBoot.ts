/**
 * Starts DuckDB-WASM as soon as a page opens. Every page's <head> loads this module
 * (observablehq.config.ts). It has no static imports, so it runs before the page's other modules
 * (Plot, Inputs, Arrow, the analysis code) have arrived: the engine's worker starts at once (its
 * 0.7 MB script loads and compiles meanwhile), and the engine itself (its 33 MB of WebAssembly,
 * the database) as soon as duckdb.ts has arrived, not after the whole page has loaded. duckdb.ts
 * takes this worker and keeps one shared engine, so the page's first query finds it starting; a
 * failure here is reported by the page's own load.
 *
 * (Telling the worker to instantiate even earlier, with DuckDB-WASM's own INSTANTIATE message
 * before its API module has arrived, was measured and is slower: the engine's compile then
 * competes with the page's loading for the same cores.)
 *
 * Framework self-hosts both engine files and rewrites these import.meta.resolve calls to their paths.
 */
export const DUCKDB_WASM = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
export const DUCKDB_WORKER = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");

export interface SpareWorker {
  worker: Worker;
  /** The error the worker reported before anyone else listened (its script failed to load). */
  error: string | null;
}

function startWorker(): SpareWorker {
  const spare: SpareWorker = {worker: new Worker(DUCKDB_WORKER, {type: "module"}), error: null};
  spare.worker.addEventListener("error", (event) => (spare.error ??= event.message || "its worker failed to start"), {once: true});
  return spare;
}

let spare: SpareWorker | null = startWorker();

/** The worker started ahead, or a new one. */
export function takeWorker(): SpareWorker {
  const taken = spare ?? startWorker();
  spare = null;
  return taken;
}

import("./duckdb.js").then((engine) => engine.startEngine()).catch(() => {});
