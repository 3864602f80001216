import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {PublishedMaturity} from "../src/lib/backtest/format.js";
import type {PublishedSplit} from "../src/lib/overview/tables.js";

/** The seeds' published results the pages show beside their own (the Markdown shows the same tables). */
export interface Reference {
  splits?: {splits?: PublishedSplit[]};
  maturity?: PublishedMaturity;
}

export function readReference(): Reference {
  return JSON.parse(readFileSync(join(import.meta.dirname, "..", "data", "reference", "published.json"), "utf8"));
}
