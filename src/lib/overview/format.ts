import type {Overview} from "./overview.js";
import {describeProvenance, type Provenance} from "../provenance.js";
import {int, pct} from "../format.js";
import {markdownTable} from "../table/index.js";
import {checkTable, monthTable, populationTable, splitTable, type PublishedSplit} from "./tables.js";

/** The overview as Markdown (the CLI's `inspect --format md`), its tables those of ./tables.ts. */
export function overviewToMarkdown(o: Overview & {source?: Provenance | null}, options: {publishedSplits?: readonly PublishedSplit[]} = {}): string {
  const parts = [`# Data overview`, `Source: ${describeProvenance(o.source ?? null)}`, markdownTable(populationTable, [o.population])];
  if (o.wirehouse) parts.push(`Wirehouse leads: ${int(o.wirehouse.leads)} (${pct(o.wirehouse.share, 1)} of leads)`);
  if (o.splits.length) parts.push(`## Splits`, markdownTable(splitTable(options.publishedSplits), o.splits));
  parts.push(`## Monthly`, markdownTable(monthTable, o.monthly));
  const d = o.checks.duplicateIds;
  parts.push(
    `## Data checks`,
    `Duplicate lead ids: ${d.count ? `${int(d.count)} ids repeat (e.g. ${d.examples.join(", ")})` : "none"}`,
    markdownTable(checkTable, o.checks.columns)
  );
  return parts.join("\n\n") + "\n";
}
