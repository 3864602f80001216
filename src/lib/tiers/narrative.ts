/**
 * Plain-language findings for the report page: what the edited rule set does to volume and
 * conversion against the deployed one, and which gates fail — written from the numbers only.
 */
import type {Comparison} from "./compare.js";
import {int, pct, times} from "../format.js";
import type {Report} from "./report.js";

/** Leads outside the fallback tier, their share and conversion. */
export function priority(report: Report): {leads: number; share: number | null; labeled: number; conversions: number; rate: number | null} {
  const tiers = report.tiers.filter((t) => !t.fallback);
  const leads = tiers.reduce((s, t) => s + t.leads, 0);
  const labeled = tiers.reduce((s, t) => s + t.labeled, 0);
  const conversions = tiers.reduce((s, t) => s + t.conversions, 0);
  return {leads, share: report.population.leads ? leads / report.population.leads : null, labeled, conversions, rate: labeled ? conversions / labeled : null};
}

/** Sentences describing the change from the compared (deployed) rule set to the current one. */
export function changeSummary(c: Comparison): string[] {
  const before = priority(c.compare);
  const after = priority(c.current);
  // Tiers are matched by id: a lead "changes tier" when its tier id differs between the two rule sets.
  const moved = c.matrix.filter((m) => m.from !== m.to).reduce((s, m) => s + m.leads, 0);
  const lines: string[] = [];
  if (c.current.rules === c.compare.rules && moved === 0 && before.leads === after.leads) {
    lines.push(`The rule set is the deployed ${c.compare.rules}: no lead changes tier.`);
  } else {
    const delta = after.leads - before.leads;
    lines.push(
      `Priority tiers (everything but ${c.current.fallback}) hold ${int(after.leads)} leads (${pct(after.share, 1)}) under ${c.current.rules}, against ${int(before.leads)} (${pct(before.share, 1)}) under ${c.compare.rules}: ${delta === 0 ? "the same volume" : `${delta > 0 ? "+" : "−"}${int(Math.abs(delta))} leads for sales to work`}.`,
      `Their conversion is ${pct(after.rate)} (n = ${int(after.labeled)}) against ${pct(before.rate)} (n = ${int(before.labeled)}).`,
      `${int(moved)} leads change tier.`
    );
  }
  const g1 = c.current.groups[0];
  if (g1 && !g1.fallback) lines.push(`Tier 1 (${g1.label}) converts at ${pct(g1.rate)} (n = ${int(g1.labeled)}), ${times(g1.lift)} the rate of all leads.`);
  lines.push(discriminationSummary(c.current));
  const failing = c.current.gates.filter((g) => !g.pass);
  lines.push(failing.length ? `Gates failing: ${failing.map((g) => g.label).join("; ")}.` : `All ${c.current.gates.length} gates pass.`);
  return lines;
}

/**
 * The share of conversions the priority tiers capture and the tier order's AUC (with Gini and KS),
 * in one sentence.
 */
export function discriminationSummary(report: Report): string {
  const p = priority(report);
  const share = report.population.conversions ? p.conversions / report.population.conversions : null;
  const captured =
    share === null
      ? `The population has no conversions, so there is no share of conversions to capture`
      : `The priority tiers capture ${pct(share, 1)} of conversions (${int(p.conversions)} of ${int(report.population.conversions)}) with ${pct(p.share, 1)} of leads`;
  const d = report.discrimination;
  const auc =
    d.auc === null
      ? "the tier order's AUC is undefined (no converters or no non-converters among labeled leads)"
      : `the tier order's AUC is ${d.auc.toFixed(3)} (Gini ${d.gini!.toFixed(3)}, KS ${d.ks!.toFixed(3)}; 0.5 is no better than chance)`;
  return `${captured}; ${auc}.`;
}
