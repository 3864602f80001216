/**
 * The signals page's interactions as benchmark tasks (issue 18), run like the tasks of tasks.ts by
 * both engines: a band redraw and a change of the cross pair, each as the page does it — from the
 * population's histograms and coded band columns (src/lib/signals/histogram.ts), read in the
 * warm-up run as the page reads them when the population is chosen.
 */
import type {Connector} from "../../src/lib/connector.js";
import {SignalCounts} from "../../src/lib/signals/histogram.js";
import {parseSignalsConfig, type BandColumnResult, type BandDefinition, type CrossResult} from "../../src/lib/signals/signals.js";
import {hash, type Sample, type TaskContext} from "./tasks.js";

/** The page's counts per connector and table (it keeps them while the population stays). */
const kept = new WeakMap<Connector, Map<string, SignalCounts>>();
function countsFor(ctx: TaskContext, bands: readonly BandDefinition[]): SignalCounts {
  const table = ctx.table ?? "leads";
  const byTable = kept.get(ctx.conn) ?? new Map<string, SignalCounts>();
  kept.set(ctx.conn, byTable);
  let counts = byTable.get(table);
  if (!counts) byTable.set(table, (counts = new SignalCounts(ctx.conn, {columns: ctx.columns, table, crossColumns: bands.map((b) => b.column)})));
  return counts;
}

/** One band column's edges moved, different for every run `i`: column i mod n, every edge by ±(1 + ⌊i / n⌋). */
function editedBands(bands: readonly BandDefinition[], i: number): BandDefinition[] {
  const k = i % bands.length;
  const shift = (i % 2 === 0 ? 1 : -1) * (1 + Math.floor(i / bands.length));
  return bands.map((b, j) => (j === k && i > 0 ? {...b, edges: b.edges.map((e) => e + shift)} : b));
}

/** Every ordered pair of different band columns; run `i` shows pair i mod count. */
function pairs(bands: readonly BandDefinition[]): [BandDefinition, BandDefinition][] {
  return bands.flatMap((a) => bands.filter((b) => b !== a).map((b) => [a, b] as [BandDefinition, BandDefinition]));
}

const bandCounts = (r: BandColumnResult) => [...r.bands, r.missing].map((b) => `${b.leads}/${b.labeled}/${b.conversions}`).join(",");
const crossCounts = (r: CrossResult) => r.cells.map((c) => `${c.leads}/${c.labeled}/${c.conversions}`).join(",");

/**
 * - `signals-bands`: one column's band starts edited (a different column and shift each run): what
 *   the page then redraws — every band column and the default cross, from the cached counts.
 * - `signals-cross`: the cross pair changed (a different pair each run), from the cached columns.
 * The warm-up run (i = 0) reads the histograms and the band columns, as the page does for a population.
 */
export async function signalsTask(name: "signals-bands" | "signals-cross", ctx: TaskContext, i: number): Promise<Sample> {
  const config = parseSignalsConfig(ctx.inputs.signals, ctx.columns);
  const counts = countsFor(ctx, config.bands);
  const band = (c: string) => config.bands.find((b) => b.column === c) as BandDefinition;
  const [ca, cb] = config.cross ?? [config.bands[0].column, config.bands[1].column];
  if (i === 0) {
    // The warm-up reads what the page reads for a population (then times the task like the others).
    await Promise.all(config.bands.map((b) => counts.band(b)));
    await counts.cross(band(ca), band(cb));
  }
  switch (name) {
    case "signals-bands": {
      const edited = editedBands(config.bands, i);
      const t0 = performance.now();
      const bands = await Promise.all(edited.map((b) => counts.band(b)));
      const cross = await counts.cross(edited.find((b) => b.column === ca)!, edited.find((b) => b.column === cb)!);
      const ms = performance.now() - t0;
      return {ms, digest: hash(`${bands.map(bandCounts).join(";")}|${crossCounts(cross)}`)};
    }
    case "signals-cross": {
      const list = pairs(config.bands);
      const [a, b] = list[i % list.length];
      const t0 = performance.now();
      const cross = await counts.cross(a, b);
      const ms = performance.now() - t0;
      return {ms, digest: hash(crossCounts(cross))};
    }
  }
}

/** Why a task was counted by SQL instead (empty when every band and cross came from the cached counts). */
export function signalsDeclined(ctx: TaskContext): string[] {
  const counts = kept.get(ctx.conn)?.get(ctx.table ?? "leads");
  return counts ? [...counts.declined.values()] : [];
}
