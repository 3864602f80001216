/**
 * The tier page's "Suggest" panel: the tuner (src/lib/tiers/tune.ts, what `tierlab tune` runs) on
 * the page's engine. The analyst picks a tier, frees one to three of its thresholds, an objective,
 * constraints and the windows; "Suggest" runs the tuner (its queries in DuckDB-WASM's worker, its
 * loops in slices, so the page stays responsive; "Cancel" aborts it), then shows the best
 * candidates beside the current rules on the fit window, the holdout and the backtest, and "Apply"
 * hands a candidate's rule set to the page (which starts the editor from it).
 *
 * Nothing is computed until "Suggest": the panel is closed by default and the tuner runs only when
 * asked. Tables are the column specs of src/lib/tiers/tune-table.ts, as `tierlab tune --format md`.
 */
import {html} from "htl";
import {parsePeriods, type Period} from "../lib/backtest/backtest.js";
import type {ColumnInfo} from "../lib/column-info.js";
import type {Connector} from "../lib/connector.js";
import {int, pct} from "../lib/format.js";
import type {Population} from "../lib/population.js";
import type {RuleSet} from "../lib/rules/types.js";
import {fileColumns, freeableThresholds, tuneBase, tuneWindow, type WindowChoice} from "../lib/tiers/tune-request.js";
import {tuneChecksTable, tuneRows, tuneTable, type TuneRow} from "../lib/tiers/tune-table.js";
import type {PreviewSource} from "../lib/tiers/preview-source.js";
import type {LeadColumns} from "../lib/tiers/sweep.js";
import {ruleColumns} from "../lib/rules/js-compile.js";
import {TUNE_STEPS, TUNE_TOP, tune, type ConstraintId, type Objective, type TuneRequest, type Tuning} from "../lib/tiers/tune.js";
import {DEFAULT_THRESHOLDS} from "../lib/tiers/gates.js";
import {yieldToPage} from "../lib/yield.js";
import {dataTable} from "./table.js";
import {errorBox} from "./ui.js";

export interface SuggestOptions {
  columns: readonly ColumnInfo[];
  /** The site's backtest periods (config.json's `periods`). */
  periods: unknown;
  /** The page's engine with the leads, asked for on the first "Suggest" (the tuner's queries run there). */
  connector: () => Promise<Connector>;
  /**
   * The page's columns file (null when it could not be read): the fit and holdout are then
   * classified by the loop over its columns, in slices, rather than by a query whose many rows the
   * page would convert in one go.
   */
  source: PreviewSource | null;
  /** Puts a rule set into the editor. */
  apply: (rules: RuleSet) => void;
  splits?: readonly string[];
}

export type SuggestPanel = HTMLDetailsElement & {
  /** The rules the tuner starts from (null while the edited rules are invalid) and the page's population. */
  update(rules: RuleSet | null, population: Population): void;
};

const MAX_FREE = 3;
/** Each objective: what it maximises, and how. */
const OBJECTIVE_CHOICES: [Objective, string, string][] = [
  ["lift-lower", "the tier's lift at its interval's low end", " (Wilson lower bound ÷ the population's rate), so that a small lucky tier does not win"],
  ["conversions", "the tier's conversions", ", at a rate of at least the minimum rate below (none given: the tier's current rate)"],
  ["priority-conversions", "the expected conversions of all priority tiers", " (each tier's leads × its rate, summed)"]
];

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, {once: true});
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

const field = <T extends Element>(root: ParentNode, selector: string) => root.querySelector(selector) as T;

/** A split or a date window, as a select and two dates (the dates only when "dates" is picked). */
function windowInput(name: string, label: string, initial: string, splits: readonly string[]): HTMLElement {
  const el = html`<span class="tl-suggest-window">${label} <select name=${`${name}-split`} aria-label=${`${name} window`}>
      ${splits.map((s) => html`<option value=${s}>${s}</option>`)}<option value="">dates…</option></select>
    <span class="tl-suggest-dates" hidden>from <input type="date" name=${`${name}-from`} aria-label=${`${name} from`}> to <input type="date" name=${`${name}-to`} aria-label=${`${name} to`}></span></span>` as HTMLElement;
  const select = field<HTMLSelectElement>(el, "select");
  select.value = initial;
  select.onchange = () => (field<HTMLElement>(el, ".tl-suggest-dates").hidden = select.value !== "");
  return el;
}

function readWindow(form: HTMLElement, name: string, label: string): WindowChoice {
  const split = field<HTMLSelectElement>(form, `[name="${name}-split"]`).value;
  if (split) return {split};
  const from = field<HTMLInputElement>(form, `[name="${name}-from"]`).value;
  const to = field<HTMLInputElement>(form, `[name="${name}-to"]`).value;
  if (!from || !to) throw new Error(`Give the ${label}'s first and last contact dates, or pick a split.`);
  return {from, to};
}

/** A number field's value, or undefined when empty; an error naming the field when it is not a number in range. */
function numberField(form: HTMLElement, name: string, what: string, min: number, max = Infinity): number | undefined {
  const input = field<HTMLInputElement>(form, `[name="${name}"]`);
  if (input.value.trim() === "") return undefined;
  const n = input.valueAsNumber;
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${what[0].toUpperCase()}${what.slice(1)} must be a number from ${min}${max === Infinity ? " up" : ` to ${max}`}.`);
  return n;
}

const valuesText = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");

export function suggestPanel(options: SuggestOptions): SuggestPanel {
  const splits = options.splits ?? ["TRAIN", "GAP", "TEST"];
  let periods: Period[] = [];
  let periodsProblem = "";
  try {
    periods = parsePeriods(options.periods, "the site's periods");
  } catch (error) {
    periodsProblem = `The backtest periods cannot be used (${(error as Error).message}): no backtest columns.`;
  }
  let rules: RuleSet | null = null;
  let population: Population = {};
  let run: {controller: AbortController; started: number; timer: ReturnType<typeof setInterval>} | null = null;
  /** The rules the shown suggestions started from, and the row last applied. */
  let shown: {from: string; applied: string | null} | null = null;
  const [share0, share1] = DEFAULT_THRESHOLDS.priorityShare;
  // The last runs' windows from the columns file — the fit, the holdout and the backtest periods'
  // test windows (selecting them is the run's longest step; the file does not change, so another
  // run on the same windows starts from them).
  const windows = new Map<string, Promise<LeadColumns | null>>();
  const windowColumns = (source: PreviewSource, p: Population, names: readonly string[]) => {
    const key = JSON.stringify([p, names]);
    if (!windows.has(key)) {
      if (windows.size >= 8) windows.delete(windows.keys().next().value!);
      windows.set(key, fileColumns(source, p, names));
    }
    return windows.get(key)!;
  };

  const tierSelect = html`<select name="tier" aria-label="tier to tune"></select>` as HTMLSelectElement;
  const freeList = html`<div class="tl-suggest-free" id="suggest-free"></div>` as HTMLElement;
  const fallbackName = html`<span>the fallback</span>` as HTMLElement;
  const suggestButton = html`<button type="button" id="suggest-run">Suggest</button>` as HTMLButtonElement;
  const cancelButton = html`<button type="button" id="suggest-cancel" disabled>Cancel</button>` as HTMLButtonElement;
  const status = html`<span class="tl-note" id="suggest-status" role="status"></span>` as HTMLElement;
  const hint = html`<span class="tl-note" id="suggest-hint"></span>` as HTMLElement;
  const results = html`<div id="suggest-results"></div>` as HTMLElement;
  const stale = html`<p class="tl-note" id="suggest-stale"></p>` as HTMLElement;

  const form = html`<form class="tl-suggest-form" onsubmit="return false">
    <div class="tl-suggest-row"><label>Tier ${tierSelect}</label></div>
    <fieldset><legend>Free one to three of its thresholds (the others stay as they are)</legend>${freeList}</fieldset>
    <fieldset><legend>Objective: maximise, on the fit window,</legend>
      ${OBJECTIVE_CHOICES.map(([id, what, how], i) => html`<label class="tl-suggest-choice"><input type="radio" name="objective" value=${id} checked=${i === 0}> ${what}${how}</label>`)}
    </fieldset>
    <fieldset><legend>Constraints a candidate must meet on the fit window</legend>
      <label class="tl-suggest-choice"><input type="checkbox" name="min-labeled" checked> at least <input type="number" name="min-labeled-n" value=${DEFAULT_THRESHOLDS.minLabeled} min="0" step="1" aria-label="minimum labeled leads"> labeled leads in the tier</label>
      <label class="tl-suggest-choice"><input type="checkbox" name="min-lift" checked> lift vs all leads at least <input type="number" name="min-lift-x" value=${DEFAULT_THRESHOLDS.minPriorityLift} min="0" step="0.1" aria-label="minimum lift">×</label>
      <label class="tl-suggest-choice"><input type="checkbox" name="min-rate"> a rate of at least <input type="number" name="min-rate-pct" min="0" max="100" step="0.1" aria-label="minimum rate (%)">%</label>
      <label class="tl-suggest-choice"><input type="checkbox" name="priority-share" checked> the priority tiers hold ${pct(share0, 0)}–${pct(share1, 0)} of leads (the gates' band)</label>
      <label class="tl-suggest-choice"><input type="checkbox" name="ci-separation" checked> the tier's Wilson lower bound above ${fallbackName}'s upper bound</label>
      <label class="tl-suggest-choice"><input type="checkbox" name="tier-order" checked> tier order kept (each tier whose rate is above the next one's stays so)</label>
    </fieldset>
    <div class="tl-suggest-row">${windowInput("fit", "Rank on (fit window)", "TRAIN", splits)} ${windowInput("holdout", "Check on (holdout, never used to rank)", "TEST", splits)}</div>
    <div class="tl-suggest-row">
      <label>Show the best <input type="number" name="top" value=${TUNE_TOP} min="1" max="20" step="1" aria-label="candidates shown"> candidates</label>
      <label>from <input type="number" name="steps" value=${TUNE_STEPS} min="2" max="500" step="1" aria-label="values per threshold"> values per freed threshold</label>
    </div>
    <p class="tl-note">Wirehouses and maturity follow the population above; its split and dates are replaced by these two windows. The backtest columns are the tier's test lift over the site's ${periods.length} backtest periods.</p>
    <div class="tl-suggest-row">${suggestButton} ${cancelButton} ${hint} ${status}</div>
  </form>` as HTMLFormElement;

  const root = html`<details class="tl-suggest tl-noprint" id="suggest">
    <summary>Pick a tier and the thresholds to free, then “Suggest”</summary>
    <p class="tl-note">The tuner counts every combination of candidate values (each freed column's values on the fit window, or quantiles of them) in one pass over the leads, keeps the ones meeting the constraints, and ranks them on the fit window alone. The best ones are then shown, beside the current rules, on a holdout window it never looked at and over the backtest periods: trust a candidate whose holdout and backtest hold up, not the one with the best fit. The same as <code>tierlab tune</code>.</p>
    ${form}${stale}${results}
  </details>` as SuggestPanel;

  const freedIds = () => [...freeList.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value);
  const refreshButtons = () => {
    const n = freedIds().length;
    for (const box of freeList.querySelectorAll<HTMLInputElement>("input")) box.disabled = !box.checked && n >= MAX_FREE;
    suggestButton.disabled = run !== null || rules === null || n === 0;
    cancelButton.disabled = run === null;
    hint.textContent = rules === null ? "Fix the rule set first: the tuner starts from valid rules." : n === 0 ? "Free at least one threshold." : "";
  };

  const renderThresholds = () => {
    const keep = new Set(freedIds());
    const list = rules ? freeableThresholds(rules, tierSelect.value, options.columns) : [];
    freeList.replaceChildren(
      ...(list.length
        ? list.map((f) => html`<label class="tl-suggest-choice"><input type="checkbox" value=${f.id} checked=${keep.has(f.id)} aria-label=${`free ${f.id}`}> <code>${f.id}</code> ${f.words}</label>`)
        : [html`<span class="tl-muted">This tier has no numeric threshold (&lt;, ≤, &gt;, ≥, between) to free.</span>`])
    );
    for (const box of freeList.querySelectorAll<HTMLInputElement>("input")) box.onchange = refreshButtons;
    refreshButtons();
  };
  tierSelect.onchange = renderThresholds;

  const objective = () => (form.querySelector<HTMLInputElement>('input[name="objective"]:checked')?.value ?? "lift-lower") as Objective;
  const checked = (name: string) => field<HTMLInputElement>(form, `input[name="${name}"]`).checked;

  /** The request and windows as `tierlab tune` takes them. */
  const request = (): {request: TuneRequest; fit: Population; holdout: Population} => {
    const skip: ConstraintId[] = (["min-labeled", "min-lift", "priority-share", "ci-separation", "tier-order"] as const).filter((c) => !checked(c));
    const minRatePct = checked("min-rate") ? numberField(form, "min-rate-pct", "the minimum rate", 0, 100) : undefined;
    if (checked("min-rate") && minRatePct === undefined && objective() !== "conversions") throw new Error("Give the minimum rate, or untick it.");
    return {
      request: {
        tier: tierSelect.value,
        free: freedIds(),
        objective: objective(),
        minLabeled: checked("min-labeled") ? numberField(form, "min-labeled-n", "the minimum of labeled leads", 0) : undefined,
        minLift: checked("min-lift") ? numberField(form, "min-lift-x", "the minimum lift", 0) : undefined,
        minRate: minRatePct === undefined ? undefined : minRatePct / 100,
        top: numberField(form, "top", "the number of candidates shown", 1, 20) ?? TUNE_TOP,
        steps: numberField(form, "steps", "the values per threshold", 2, 500) ?? TUNE_STEPS,
        skip
      },
      fit: tuneWindow(readWindow(form, "fit", "fit window"), population),
      holdout: tuneWindow(readWindow(form, "holdout", "holdout"), population)
    };
  };

  const finish = () => {
    if (run) clearInterval(run.timer);
    run = null;
    refreshButtons();
  };

  suggestButton.onclick = async () => {
    if (!rules || run) return;
    const from = rules;
    let asked: ReturnType<typeof request>;
    try {
      asked = request();
    } catch (error) {
      results.replaceChildren(errorBox(error, "The request cannot be run"));
      status.textContent = "";
      stale.textContent = "";
      return;
    }
    const source = options.source;
    const names = ruleColumns(from); // (the freed thresholds' columns among them)
    const controller = new AbortController();
    const started = performance.now();
    let step = "waiting for the database engine";
    const tick = () => (status.textContent = `${step[0].toUpperCase()}${step.slice(1)}… ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const current = (run = {controller, started, timer: setInterval(tick, 500)});
    tick();
    refreshButtons();
    results.replaceChildren();
    stale.textContent = "";
    root.dataset.state = "running";
    try {
      // (Cancel also ends the wait for the engine, which may still be loading the leads.)
      const conn = await untilAborted(options.connector(), controller.signal);
      const tuneStarted = performance.now();
      const result = await tune(conn, from, asked.request, {
        fit: asked.fit,
        holdout: asked.holdout,
        base: tuneBase(population),
        periods,
        columns: options.columns,
        signal: controller.signal,
        // Finer slices than the preview's: the grid's count does more per lead than a tier lookup.
        slice: 1 << 15,
        progress: (what) => ((step = what), tick()),
        leadColumns: source ? (p) => windowColumns(source, p, names) : undefined
      });
      const seconds = (performance.now() - tuneStarted) / 1000;
      const waited = (tuneStarted - started) / 1000;
      await yieldToPage(); // (drawing the tables is a task of its own)
      if (controller.signal.aborted) throw controller.signal.reason;
      shown = {from: JSON.stringify(from), applied: null};
      results.replaceChildren(showTuning(result, seconds));
      status.textContent = `Done in ${seconds.toFixed(1)} s${waited >= 0.1 ? `, after ${waited.toFixed(1)} s waiting for the database engine` : ""}.`;
      root.dataset.state = "done";
    } catch (error) {
      if (controller.signal.aborted) {
        status.textContent = `Cancelled after ${((performance.now() - started) / 1000).toFixed(1)} s, while ${step}: no suggestion.`;
        root.dataset.state = "cancelled";
      } else {
        results.replaceChildren(errorBox(error, "The tuner could not run"));
        status.textContent = "";
        root.dataset.state = "failed";
      }
    } finally {
      if (run === current) finish();
    }
  };
  cancelButton.onclick = () => {
    if (!run) return;
    run.controller.abort(new DOMException("cancelled by the analyst", "AbortError"));
    // The page is free again at once; the run stops at its next check and says so above.
    status.textContent = "Cancelling…";
    cancelButton.disabled = true;
  };

  /** The outcome: counts and caveats, the two tables, the Apply buttons. */
  function showTuning(t: Tuning, seconds: number): HTMLElement {
    const rows = tuneRows(t);
    const by = OBJECTIVE_CHOICES.find(([id]) => id === t.objective)![1];
    const ranked = t.candidates.length ? `the best ${t.candidates.length === 1 ? "one" : t.candidates.length} meeting every constraint, ranked by ${by} — on the fit window only` : `none meets every constraint (the closest is shown)`;
    const applyButton = (row: TuneRow) => {
      const label = row.name === "current" ? "Back to the current rules" : `Apply ${row.name === "closest" ? "the closest" : `candidate ${row.name}`}`;
      const button = html`<button type="button" data-apply=${row.name} title=${valuesText(row.values)}>${label} <span class="tl-muted">(${valuesText(row.values)})</span></button>` as HTMLButtonElement;
      button.onclick = () => {
        const ruleSet = row.name === "current" ? t.current.ruleSet : row.name === "closest" ? t.closest!.ruleSet : t.candidates[Number(row.name) - 1].ruleSet;
        if (shown) shown.applied = row.name;
        options.apply(structuredClone(ruleSet));
      };
      return button;
    };
    return html`<div>
      <p id="suggest-summary"><strong>${int(t.evaluated)}</strong> candidate rule sets evaluated on the fit window (${t.fit.description}) in ${seconds.toFixed(1)} s, ${ranked}. The holdout (${t.holdout.description}) was not used to choose: read it as the test. ⚑ marks a candidate whose holdout lift falls outside its fit interval.</p>
      ${periodsProblem ? html`<div class="tl-warning">${periodsProblem}</div>` : ""}
      ${t.warnings.map((w) => html`<div class="tl-warning">${w[0].toUpperCase()}${w.slice(1)}.</div>`)}
      ${t.closest ? html`<div class="tl-warning" id="suggest-none"><strong>No candidate meets the constraints.</strong> The closest (${valuesText(t.closest.values)}) misses ${t.closest.constraints.filter((c) => !c.pass).map((c) => `${c.id}: ${c.detail}`).join("; ")}. Loosen a constraint, free another threshold, or fit on a longer window.</div>` : t.message ? html`<div class="tl-warning">${t.message}.</div>` : ""}
      <h4>The tier on the fit window and on the holdout</h4>
      ${dataTable(tuneTable(t), rows, {csvName: "suggest.csv"})}
      <h4>The tier's test lift over the backtest periods, and the constraints on the fit window</h4>
      ${dataTable(tuneChecksTable(t), rows, {csvName: "suggest-checks.csv"})}
      <div class="tl-suggest-row" id="suggest-apply">${rows.filter((r) => r.name !== "current").map(applyButton)} ${applyButton(rows[0])}</div>
      <p class="tl-note">“Apply” puts that rule set into the editor, as “Start from” does: the address, the tables above and the comparison follow. “Back to the current rules” puts back the rules these suggestions started from.</p>
    </div>`;
  }

  root.update = (next, nextPopulation) => {
    population = nextPopulation;
    const tiersChanged = JSON.stringify(rules?.tiers.map((t) => t.id)) !== JSON.stringify(next?.tiers.map((t) => t.id));
    rules = next;
    if (next && tiersChanged) {
      const keep = tierSelect.value;
      tierSelect.replaceChildren(...next.tiers.map((t) => html`<option value=${t.id}>${t.label ? `${t.label} (${t.id})` : t.id}</option>`));
      if (next.tiers.some((t) => t.id === keep)) tierSelect.value = keep;
    }
    if (next) fallbackName.textContent = next.fallback.id;
    renderThresholds();
    // Say when the suggestions below no longer start from the editor's rules.
    if (shown && next) {
      const same = JSON.stringify(next) === shown.from;
      stale.textContent = same ? "" : shown.applied && shown.applied !== "current" ? `The editor holds ${shown.applied === "closest" ? "the closest candidate" : `candidate ${shown.applied}`} (or an edit of it); the suggestions below started from the rules before. Suggest again to tune from the editor's rules.` : "The rules have changed since these suggestions: Suggest again to tune from them.";
    }
  };
  return root;
}
