/**
 * Starts DuckDB-WASM's worker as soon as a page opens (imported by engineBoot.ts, which every page's
 * <head> loads: observablehq.config.ts). It has no imports, so it runs before the page's other modules
 * (Plot, Inputs, Arrow, DuckDB-WASM's own API, the analysis code) have arrived: it starts the
 * engine's worker and asks it at once to instantiate the engine (fetch, compile and start its
 * 33 MB of WebAssembly, over a second of the worker's time), so that this overlaps the page's
 * loading instead of following it. duckdb.ts takes the worker when the page first needs the
 * engine, and opens the database on it.
 *
 * The INSTANTIATE message is DuckDB-WASM's own worker protocol (what AsyncDuckDB.instantiate
 * sends), spoken here because AsyncDuckDB's module and its Arrow dependency arrive too late. The
 * version is pinned in package.json, and every browser test starts the engine this way; should the
 * worker ever refuse the message, duckdb.ts instantiates it through AsyncDuckDB instead.
 *
 * Framework self-hosts both engine files and rewrites these import.meta.resolve calls to their paths.
 */
export const DUCKDB_WASM = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
export const DUCKDB_WORKER = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");

/** The id of the boot's INSTANTIATE request (AsyncDuckDB numbers its own requests from 0). */
const INSTANTIATE_ID = -1;

export interface SpareWorker {
  worker: Worker;
  /** When the worker was started (performance.now()). */
  startedAt: number;
  /**
   * Settles when the worker has answered the boot's INSTANTIATE: true when the engine is
   * instantiated, false when the worker refused (then AsyncDuckDB must instantiate it). Null: the
   * worker was not asked.
   */
  instantiated: Promise<boolean> | null;
  /** The error the worker reported before anyone else listened (its script failed to load). */
  error: string | null;
}

interface WorkerAnswer {
  requestId?: number;
  type?: string;
}

function startWorker(instantiate: boolean): SpareWorker {
  const worker = new Worker(DUCKDB_WORKER, {type: "module"});
  const spare: SpareWorker = {worker, startedAt: performance.now(), instantiated: null, error: null};
  worker.addEventListener("error", (event) => (spare.error ??= event.message || "its worker failed to start"), {once: true});
  if (instantiate) {
    spare.instantiated = new Promise<boolean>((resolve) => {
      const answer = (event: MessageEvent) => {
        const message = event.data as WorkerAnswer | null;
        if (message?.requestId !== INSTANTIATE_ID || message.type === "INSTANTIATE_PROGRESS") return;
        worker.removeEventListener("message", answer);
        resolve(message.type === "OK");
      };
      worker.addEventListener("message", answer);
    });
    worker.postMessage({messageId: INSTANTIATE_ID, type: "INSTANTIATE", data: [DUCKDB_WASM, null]});
  }
  return spare;
}

let spare: SpareWorker | null = startWorker(true);

/** The worker started ahead (instantiating), or else a new one that AsyncDuckDB must instantiate. */
export function takeWorker(): SpareWorker {
  const taken = spare ?? startWorker(false);
  spare = null;
  return taken;
}
