/**
 * The tier page's sensitivity charts (issue 16 §1). Beside every numeric threshold of the editor, a
 * button opens, under its condition, what the tier would get if that one threshold moved across
 * the column's observed values, everything else fixed (first match): the tier's leads, its rate
 * with the Wilson band, its lift vs all leads, today's value marked. Clicking a point sets the
 * threshold through the editor's own input, so undo, validation, the results and the address
 * follow as if it had been typed. Only open charts are computed (so the page's first numbers never
 * wait for one), again after a pause in the edits; each shows its points as the CLI's table.
 */
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {int, pct, pctInterval, times} from "../lib/format.js";
import {describePopulation, type Population} from "../lib/population.js";
import type {RuleSet} from "../lib/rules/types.js";
import {sweptCondition, sweepTable} from "../lib/tiers/sweep-table.js";
import {sweepCommand, sweepRequest, type PageSweep, type SweepRunner} from "../lib/tiers/sweep-runner.js";
import type {SweepPoint} from "../lib/tiers/sweep.js";
import type {ThresholdSlot} from "./ruleEditor.js";
import {dataTable} from "./table.js";

/** Pause after the last edit before open charts are recomputed (a burst of keystrokes is one sweep). */
export const SWEEP_DEBOUNCE_MS = 150;

const NOW = "#d97706";
const RATE = "var(--theme-foreground-focus)";
const HALO = {stroke: "var(--theme-background-alt)", strokeWidth: 3, paintOrder: "stroke"} as const;

interface State {
  rules: RuleSet | null;
  population: Population;
}

export interface SensitivityCharts {
  /** The editor's `thresholdTools`. */
  tools: (slot: ThresholdSlot) => {button: Node; panel: Node};
  /** The rule set (null while it has problems) and the population the charts follow. */
  update(rules: RuleSet | null, population: Population): void;
}

/** The charts of one page: every threshold's button and panel, recomputed when open. */
export function sensitivityCharts(runner: SweepRunner): SensitivityCharts {
  let state: State | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Open charts by threshold (tier id and place), so a redraw of the editor keeps them open. */
  const open = new Set<string>();
  // Weak: a panel the editor has dropped (redrawn) goes with its elements.
  const panels = new Set<WeakRef<Panel>>();
  const context = {runner, open, state: () => state};
  return {
    tools(slot) {
      const panel = new Panel(slot, context);
      panels.add(new WeakRef(panel));
      return {button: panel.button, panel: panel.root};
    },
    update(rules, population) {
      state = {rules, population};
      const live: Panel[] = [];
      for (const ref of panels) {
        const panel = ref.deref();
        if (!panel) panels.delete(ref);
        else if (panel.isOpen() && panel.root.isConnected) live.push(panel);
      }
      // Stale at once (said so), recomputed once the edits pause.
      for (const panel of live) panel.pending();
      clearTimeout(timer);
      timer = setTimeout(() => live.forEach((panel) => panel.refresh()), SWEEP_DEBOUNCE_MS);
    }
  };
}

const ICON = `<svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true"><path d="M1 10 L5 8 L9 3 L13 4 L17 1" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M1 11.5 H17" stroke="currentColor" stroke-width="0.8" opacity="0.6"/></svg>`;

class Panel {
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly key: string;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  private running: AbortController | null = null;
  /** What the chart shown was computed from (an edit that changes nothing for it keeps it). */
  private shownKey = "";

  constructor(
    private readonly slot: ThresholdSlot,
    private readonly context: {runner: SweepRunner; open: Set<string>; state: () => State | null}
  ) {
    this.key = JSON.stringify([slot.tierId, slot.alternative, slot.position, slot.bound]);
    // (Not the input's label with words around it: getByLabel, which matches parts of labels, would find both.)
    this.button = html`<button type="button" class="tl-sweep-toggle" aria-expanded="false" aria-label=${`sensitivity of ${slot.label.replace(/^tier /, "")}`} title="Sensitivity: what this tier gets as this threshold moves (a chart below)"></button>` as HTMLButtonElement;
    this.button.innerHTML = ICON;
    this.button.onclick = () => this.toggle();
    this.status = html`<div class="tl-sweep-status" role="status"></div>` as HTMLElement;
    this.body = html`<div class="tl-sweep-body"></div>` as HTMLElement;
    this.root = html`<div class="tl-sweep" data-state="closed" hidden>${this.status}${this.body}</div>` as HTMLElement;
    // A chart's pointer fires input events (its value is the point under it): they must not reach
    // the editor, whose input events mean "the rules changed".
    this.root.addEventListener("input", (event) => event.stopPropagation());
    if (this.isOpen()) queueMicrotask(() => this.show(true));
  }

  isOpen(): boolean {
    return this.context.open.has(this.key);
  }

  private toggle(): void {
    if (this.isOpen()) this.context.open.delete(this.key);
    else this.context.open.add(this.key);
    this.show(this.isOpen());
  }

  private show(open: boolean): void {
    this.root.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    this.button.classList.toggle("tl-on", open);
    if (open) this.refresh();
    else {
      this.running?.abort();
      this.running = null;
      this.body.replaceChildren();
      this.shownKey = "";
      this.setState("closed", "");
    }
  }

  private setState(state: "closed" | "computing" | "ready" | "error", text: string | Node): void {
    this.root.dataset.state = state;
    this.status.replaceChildren(text);
  }

  /** The chart shown is out of date: an edit is waiting to be counted. */
  pending(): void {
    this.body.classList.add("tl-stale");
    this.setState("computing", "Computing…");
  }

  async refresh(): Promise<void> {
    this.running?.abort();
    const state = this.context.state();
    if (!state) return this.pending(); // (the page has not given its rules yet: it will)
    if (!state.rules) {
      this.body.replaceChildren();
      this.shownKey = "";
      return this.setState("error", "Cannot sweep: the rule set has problems (listed above the results); fix them and the chart follows.");
    }
    const running = (this.running = new AbortController());
    try {
      const request = sweepRequest(state.rules, this.slot);
      const key = JSON.stringify([state.rules, state.population, request]);
      if (key === this.shownKey && this.root.dataset.state !== "error") {
        this.body.classList.remove("tl-stale");
        return this.setState("ready", "");
      }
      this.pending();
      const sweep = await this.context.runner.run(state.rules, request, state.population, {signal: running.signal});
      if (running.signal.aborted) return;
      this.root.dataset.tier = sweep.tier;
      this.root.dataset.condition = sweep.condition;
      this.root.dataset.bound = sweep.bound ?? "";
      this.root.dataset.current = String(sweep.current);
      this.root.dataset.countedBy = sweep.countedBy;
      this.body.classList.remove("tl-stale");
      // As wide as the panel (the editor's column), read before the old chart goes.
      const width = Math.max(320, Math.min(640, this.body.clientWidth || 420));
      const tableOpen = this.body.querySelector("details")?.open ?? false;
      this.body.replaceChildren(sweepView(sweep, state, width, (value) => this.pick(value)));
      this.body.querySelector("details")!.open = tableOpen;
      this.shownKey = key;
      this.setState("ready", "");
    } catch (error) {
      if (running.signal.aborted) return;
      this.body.classList.remove("tl-stale");
      this.body.replaceChildren();
      this.shownKey = "";
      this.setState("error", `Cannot sweep: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }

  /** Sets the threshold as typing it would: the editor's input, its input and change events. */
  private pick(value: number): void {
    const input = this.slot.input;
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }
}

/** The chart, a note on what it counts, and its points as a table. */
function sweepView(s: PageSweep, state: State, width: number, onPick: (value: number) => void): HTMLElement {
  const p = s.population;
  const counted = s.countedBy === "loop" ? "Counted in JavaScript" : `Counted in SQL${s.reason ? ` (${s.reason})` : ""}`;
  const csvName = `sweep-${s.tier}-${s.condition}${s.bound ? `-${s.bound}` : ""}.csv`.replace(/[^A-Za-z0-9._-]+/g, "_");
  const rulesFile = `${state.rules!.name.replace(/[^A-Za-z0-9._-]+/g, "_")}.json`;
  const view = html`<div>
    <div class="tl-sweep-title"><strong>${s.tier}</strong> with <code>${sweptCondition(s)}</code>, everything else as now</div>
    <div class="tl-note"><span style="color: ${RATE}">●</span> the tier's conversion rate, its band the 95% Wilson interval (right axis: lift vs all leads); below, its leads; <span style="color: ${NOW}">|</span> today's value of v.</div>
    <div class="tl-sweep-charts"></div>
    <p class="tl-note"><strong>Click a point</strong> to set v. ${s.points.length} values of v (every observed value, or 100 quantiles, and today's). Population: ${describePopulation(state.population)}, ${int(p.leads)} leads, ${int(p.labeled)} labeled, rate ${pct(p.rate)}. ${counted} in <span class="tl-sweep-ms">${s.ms.toFixed(1)}</span> ms.</p>
    <details class="tl-sweep-table"><summary>table</summary>${dataTable(sweepTable(s), s.points, {csvName})}
      <p class="tl-note">The same numbers from the command line (the rule set from Export below): <code>${sweepCommand(s, state.population, rulesFile)}</code></p>
    </details>
  </div>` as HTMLElement;
  view.querySelector(".tl-sweep-charts")!.append(...sweepCharts(s, {width, onPick}));
  return view;
}

/** Round ticks from 0 to `max`, about `count` of them. */
function niceTicks(max: number, count: number): number[] {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return Array.from({length: Math.floor(max / step) + 1}, (_, i) => +(i * step).toPrecision(12));
}

/** 1.5k, 24k, 1.2M: ticks that fit (Plot's "~s" gives every tick one prefix: 0k for 1). */
function short(d: number): string {
  const a = Math.abs(d);
  return a >= 1e6 ? `${+(d / 1e6).toFixed(1)}M` : a >= 1e3 ? `${+(d / 1e3).toFixed(1)}k` : String(+d.toPrecision(6));
}

/** 0 and ±1, ±10, ±100 … within the domain: a symlog axis's ticks (its own crowd at the far end). */
function powerTicks([min, max]: readonly [number, number]): number[] {
  const ticks = min <= 0 && max >= 0 ? [0] : [];
  for (let p = 1; p <= Math.max(Math.abs(min), Math.abs(max)); p *= 10) {
    if (p >= min && p <= max) ticks.push(p);
    if (-p >= min && -p <= max) ticks.push(-p);
  }
  return ticks.sort((a, b) => a - b);
}

/**
 * Whether most candidates crowd into a sliver of the range (firm sizes: a quarter of the leads
 * below 2% of it; net changes: half of them within 5% around zero, or a few far outliers): then a
 * symlog axis, else they overlap where the tier changes most.
 */
function skewed(values: readonly number[]): boolean {
  if (values.length < 8) return false;
  const [min, max] = [values[0], values[values.length - 1]];
  const q = (f: number) => (values[Math.floor(f * (values.length - 1))] - min) / (max - min);
  // (Every distinct value when there are few: one gap over a quarter of the range is a far outlier.)
  const gap = Math.max(...values.slice(1).map((v, i) => v - values[i])) / (max - min);
  return q(0.25) < 0.02 || q(0.75) > 0.98 || q(0.75) - q(0.25) < 0.05 || gap > 0.25;
}

/**
 * Two aligned charts over v: the rate with its Wilson band, the baseline (all leads: lift 1×) and
 * lift on the right axis; the tier's leads under it. Today's value in orange on both.
 */
export function sweepCharts(s: PageSweep, {width, onPick}: {width: number; onPick: (value: number) => void}): (SVGSVGElement | HTMLElement)[] {
  const data = s.points.map((p) => ({...p, lo: p.ci[0], hi: p.ci[1]}));
  const base = s.population.rate;
  const now = data.find((d) => d.value === s.current) ?? null;
  // Up to the band's top, but not so far that the rates flatten: a band of a few leads runs off the top.
  const rates = Math.max(0.01, base ?? 0, ...data.map((d) => d.rate ?? 0));
  const top = Math.min(Math.max(rates, ...data.map((d) => d.hi ?? 0)), rates * 1.6) * 1.1;
  const symlog = skewed(data.map((d) => d.value));
  const x = {type: symlog ? "symlog" : "linear", domain: [data[0]?.value ?? 0, data[data.length - 1]?.value ?? 1], nice: !symlog} as const;
  const margins = {marginLeft: 52, marginRight: 58};
  // Today's label runs away from the nearer edge (measured as the axis places v).
  const place = (v: number) => (symlog ? Math.sign(v) * Math.log1p(Math.abs(v)) : v);
  const nowAnchor = now && data.length > 1 && place(now.value) > (place(data[0].value) + place(data[data.length - 1].value)) / 2 ? "end" : "start";
  const tipChannels = {
    v: {value: "value", label: "v"},
    leads: {value: (d: SweepPoint) => int(d.leads), label: "leads"},
    rate: {value: (d: SweepPoint) => (d.rate === null ? "–" : `${pct(d.rate)} (${pctInterval(d.ci[0] === null ? null : (d.ci as [number, number]))})`), label: "rate (95% CI)"},
    n: {value: (d: SweepPoint) => `${int(d.labeled)} labeled, ${int(d.conversions)} conv.`, label: "n"},
    lift: {value: (d: SweepPoint) => times(d.lift), label: "lift vs all"}
  };
  const liftTicks = base ? niceTicks(top / base, 4) : [];
  const rate = Plot.plot({
    width,
    height: 170,
    ...margins,
    marginTop: 22,
    marginBottom: 6,
    x: {...x, axis: null},
    // (percent: the domain is in percent, the data in proportions)
    y: {domain: [0, top * 100], percent: true, label: null, grid: true},
    marks: [
      // (Units on the ticks, no axis labels: the top margin holds today's label; the legend line names them.)
      Plot.axisY({anchor: "left", label: null, ticks: 4, tickFormat: (y: number) => `${y}%`}),
      base ? Plot.axisY(liftTicks.map((l) => l * base), {anchor: "right", label: null, tickFormat: (y: number) => `${+(y / base).toFixed(1)}×`}) : null,
      Plot.areaY(data, {x: "value", y1: "lo", y2: "hi", fill: RATE, fillOpacity: 0.16, clip: true}),
      base === null ? null : Plot.ruleY([base], {stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.7}),
      base === null ? null : Plot.text([base], {y: (d) => d, frameAnchor: "left", dx: 4, dy: -7, text: () => `all leads ${pct(base)} = lift 1×`, fontSize: 10, textAnchor: "start", fill: "var(--theme-foreground-muted)", ...HALO}),
      Plot.lineY(data, {x: "value", y: "rate", stroke: RATE, strokeWidth: 1.5}),
      Plot.dot(data, {x: "value", y: "rate", r: 2, fill: RATE, ariaLabel: (d: SweepPoint) => `rate at v = ${d.value}`}),
      now ? Plot.ruleX([now], {x: "value", stroke: NOW, strokeWidth: 1.5}) : null,
      now ? Plot.dot([now], {x: "value", y: "rate", r: 4.5, stroke: NOW, strokeWidth: 2, fill: "none"}) : null,
      now ? Plot.text([now], {frameAnchor: "top-left", dy: -14, textAnchor: "start", fill: NOW, fontWeight: 600, fontSize: 11, text: (d) => `today v = ${d.value}: ${d.rate === null ? "no rate" : `${pct(d.rate)}, lift ${times(d.lift)}`}, ${int(d.leads)} leads`, ...HALO}) : null,
      Plot.ruleX(data, Plot.pointerX({x: "value", stroke: "currentColor", strokeOpacity: 0.35})),
      Plot.tip(data, Plot.pointerX({x: "value", y: (d: SweepPoint) => d.rate ?? 0, channels: tipChannels, format: {x: false, y: false}}))
    ]
  });
  const leads = Plot.plot({
    width,
    height: 120,
    ...margins,
    marginTop: 16,
    marginBottom: 34,
    x: {...x, label: `v in ${sweptCondition(s)}${symlog ? " (log scale)" : ""} →`, labelAnchor: "center", labelArrow: false, ticks: symlog ? powerTicks(x.domain) : 6, tickFormat: short},
    y: {label: "leads in the tier", labelAnchor: "top", labelArrow: false, grid: true, ticks: 3, tickFormat: short},
    marks: [
      Plot.areaY(data, {x: "value", y: "leads", fill: "currentColor", fillOpacity: 0.1}),
      Plot.lineY(data, {x: "value", y: "leads", stroke: "currentColor", strokeOpacity: 0.6}),
      Plot.dot(data, {x: "value", y: "leads", r: 2, fill: "currentColor", ariaLabel: (d: SweepPoint) => `leads at v = ${d.value}`}),
      now ? Plot.ruleX([now], {x: "value", stroke: NOW, strokeWidth: 1.5}) : null,
      now ? Plot.text([now], {x: "value", y: "leads", dx: nowAnchor === "start" ? 6 : -6, textAnchor: nowAnchor, fill: NOW, fontSize: 10, text: (d) => `${int(d.leads)} leads`, ...HALO}) : null,
      Plot.ruleX(data, Plot.pointerX({x: "value", stroke: "currentColor", strokeOpacity: 0.35})),
      Plot.tip(data, Plot.pointerX({x: "value", y: "leads", channels: tipChannels, format: {x: false, y: false}}))
    ]
  });
  for (const chart of [rate, leads]) {
    chart.classList.add("tl-sweep-chart");
    // The pointer marks make the chart's value the point nearest the pointer (by v).
    chart.addEventListener("click", () => {
      const point = (chart as unknown as {value?: SweepPoint | null}).value;
      if (point) onPick(point.value);
    });
  }
  return [rate, leads];
}
