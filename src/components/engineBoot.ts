/**
 * The script every page's <head> loads (observablehq.config.ts): starts the engine's worker at once
 * (engineWorker.ts), then opens the database as soon as duckdb.ts has arrived.
 */
import "./engineWorker.js";

import("./duckdb.js").then((engine) => engine.startEngine()).catch(() => {});
