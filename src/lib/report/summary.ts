/** The report summary's sentence on the backtest's population stability (PSI of the tier mix, CSI of each attribute). */
import type {Backtest} from "../backtest/backtest.js";
import {stabilityLight} from "../backtest/stability.js";

const f = (x: number) => x.toFixed(2);

/**
 * Names every backtest period whose population shifted between its train and test windows (an
 * index above 0.25, the "shifted" light), with the indices that did; or says that none did.
 */
export function shiftSummary(bt: Backtest): string {
  const labels = new Map(bt.csiColumns.map((c) => [c.column, c.label]));
  const shifted = bt.results.flatMap((r) => {
    const parts: string[] = [];
    if (stabilityLight(r.psi) === "shifted") parts.push(`tier-mix PSI ${f(r.psi!)}`);
    for (const [column, csi] of Object.entries(r.csi)) if (stabilityLight(csi) === "shifted") parts.push(`${labels.get(column) ?? column} CSI ${f(csi!)}`);
    return parts.length ? [`${r.name} (${parts.join(", ")})`] : [];
  });
  const n = bt.results.length;
  if (!shifted.length) return `No backtest period shifted between its train and test windows (tier-mix PSI and every attribute's CSI at most 0.25 in all ${n} periods).`;
  return `Shifted between train and test (index above 0.25): ${shifted.join("; ")}; ${shifted.length === 1 ? "that period's" : "those periods'"} test numbers compare a different population.`;
}
