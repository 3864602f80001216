import type {Overview} from "./overview.js";
import {describeProvenance, type Provenance} from "../provenance.js";
import {int, mdTable, pct, pctInterval} from "../format.js";

/** The overview as Markdown (the CLI's `inspect --format md`). */
export function overviewToMarkdown(o: Overview & {source?: Provenance | null}): string {
  const p = o.population;
  const parts = [
    `# Data overview`,
    `Source: ${describeProvenance(o.source ?? null)}`,
    mdTable(
      ["leads", "labeled", "conversions", "baseline rate", "95% CI (Wilson)", "first contact", "last contact"],
      [[int(p.leads), int(p.labeled), int(p.conversions), pct(p.rate), pctInterval(p.ci), p.from ?? "–", p.to ?? "–"]]
    )
  ];
  if (o.wirehouse) parts.push(`Wirehouse leads: ${int(o.wirehouse.leads)} (${pct(o.wirehouse.share, 1)} of leads)`);
  if (o.splits.length) {
    parts.push(`## Splits`, mdTable(["split", "from", "to", "leads", "labeled", "conversions", "rate", "95% CI"], o.splits.map((s) => [s.split, s.from ?? "–", s.to ?? "–", int(s.leads), int(s.labeled), int(s.conversions), pct(s.rate), pctInterval(s.ci)])));
  }
  parts.push(`## Monthly`, mdTable(["month", "leads", "labeled", "conversions", "rate", "95% CI"], o.monthly.map((m) => [m.month.slice(0, 7), int(m.leads), int(m.labeled), int(m.conversions), pct(m.rate), pctInterval(m.ci)])));
  const d = o.checks.duplicateIds;
  parts.push(
    `## Data checks`,
    `Duplicate lead ids: ${d.count ? `${int(d.count)} ids repeat (e.g. ${d.examples.join(", ")})` : "none"}`,
    mdTable(["column", "type", "nulls", "null share", "out of range", "expected"], o.checks.columns.map((c) => [c.column, c.type, int(c.nulls), pct(c.nullShare, 1), c.outOfRange === null ? "–" : int(c.outOfRange), c.rule ?? "–"]))
  );
  return parts.join("\n\n") + "\n";
}
