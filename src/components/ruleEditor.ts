/**
 * The tier criteria editor: every threshold, condition, tier and the order of tiers, with undo.
 * A Framework-compatible input: `view(ruleEditor(…))` yields the edited rule set (not yet
 * validated — the page validates and shows the problems).
 */
import {html} from "htl";
import type {ColumnInfo} from "../lib/column-info.js";
import {normalizeCondition, tierAlternatives} from "../lib/rules/conditions.js";
import {appliesTo, OPERATOR_TABLE, type OperandWidget} from "../lib/rules/operators.js";
import {OPERATORS, type Condition, type Operator, type RuleSet, type Scalar, type Tier} from "../lib/rules/types.js";

export interface EditorOptions {
  columns: ColumnInfo[];
  /**
   * Observed [min, max] per numeric column, shown beside thresholds. A promise fills them in when
   * it resolves, without redrawing the editor (the tier page computes them after its first numbers).
   */
  ranges?: Ranges | Promise<Ranges>;
  /**
   * Tools beside every numeric threshold (the tier page's sensitivity charts): a button placed after
   * the threshold's input and a panel placed under its condition. Called on every redraw.
   */
  thresholdTools?: (slot: ThresholdSlot) => {button: Node; panel: Node} | null;
}

/** A numeric threshold as the editor lays it out (places 0-based; `bound` for an end of a range). */
export interface ThresholdSlot {
  tierIndex: number;
  tierId: string;
  alternative: number;
  position: number;
  bound: "low" | "high" | null;
  /** The editor's own input: setting its value and dispatching input and change edits the rules as typing does (undo included). */
  input: HTMLInputElement;
  /** The input's accessible name. */
  label: string;
}

const HIDDEN = new Set(["lead_id", "target", "contacted_date", "mql_date"]);

type Editor = HTMLElement & {value: RuleSet};
type Ranges = Record<string, [number, number]>;

const rangeNote = (range: [number, number] | undefined) => (range ? `data: ${range[0]} to ${range[1]}` : "");
const rangeTitle = (range: [number, number] | undefined) => (range ? `observed ${range[0]} to ${range[1]}` : "");

export function ruleEditor(initial: RuleSet, options: EditorOptions): Editor {
  const columns = options.columns.filter((c) => !HIDDEN.has(c.name) && c.kind !== "date" && c.kind !== "other");
  const kinds = new Map(columns.map((c) => [c.name, c.kind]));
  let draft: RuleSet = structuredClone(initial);
  let committed = JSON.stringify(draft);
  const history: string[] = [];
  const root = html`<div class="tl-editor"></div>` as Editor;
  let ranges: Ranges = options.ranges instanceof Promise ? {} : (options.ranges ?? {});
  if (options.ranges instanceof Promise) {
    options.ranges.then(
      (observed) => {
        ranges = observed;
        for (const note of root.querySelectorAll<HTMLElement>("[data-range-note]")) note.textContent = rangeNote(ranges[note.dataset.rangeNote!]);
        for (const input of root.querySelectorAll<HTMLElement>("[data-range-title]")) input.title = rangeTitle(ranges[input.dataset.rangeTitle!]);
      },
      () => {} // the ranges are a hint; the editor works without them
    );
  }

  const emit = () => {
    root.value = structuredClone(draft);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  /** Records an undo point (the state before this change) and emits. */
  const commit = (rebuild = false) => {
    const now = JSON.stringify(draft);
    if (now !== committed) {
      history.push(committed);
      committed = now;
    }
    if (rebuild) render();
    // (A value edit does not redraw: the button must learn of its undo point here.)
    else root.querySelector<HTMLButtonElement>('button[aria-label="undo"]')!.disabled = history.length === 0;
    emit();
  };
  const undo = () => {
    const previous = history.pop();
    if (previous === undefined) return;
    draft = JSON.parse(previous);
    committed = previous;
    render();
    emit();
  };

  function textInput(value: string, onChange: (v: string) => void, attrs: {size?: number; label: string; placeholder?: string}): HTMLInputElement {
    const input = html`<input type="text" value=${value} size=${attrs.size ?? 12} aria-label=${attrs.label} placeholder=${attrs.placeholder ?? ""} title=${attrs.placeholder ?? attrs.label}>` as HTMLInputElement;
    input.oninput = () => {
      onChange(input.value);
      emit();
    };
    input.onchange = () => commit();
    return input;
  }

  function valueInput(column: string, value: Scalar | undefined, onChange: (v: Scalar) => void, label: string): HTMLElement {
    const kind = kinds.get(column) ?? "number";
    if (kind === "boolean") {
      const select = html`<select aria-label=${label}><option value="true">true</option><option value="false">false</option></select>` as HTMLSelectElement;
      select.value = String(value === true);
      select.onchange = () => {
        onChange(select.value === "true");
        commit();
      };
      return select;
    }
    const numeric = kind === "number";
    const input = html`<input type=${numeric ? "number" : "text"} value=${value ?? ""} step="any" aria-label=${label} title=${rangeTitle(ranges[column])} data-range-title=${column} class="tl-value">` as HTMLInputElement;
    input.oninput = () => {
      if (numeric && (input.value === "" || !Number.isFinite(input.valueAsNumber))) return;
      onChange(numeric ? input.valueAsNumber : input.value);
      emit();
    };
    input.onchange = () => commit();
    return input;
  }

  function conditionRow(list: Condition[], index: number, where: string, place: {tierIndex: number; tierId: string; alternative: number}): Node {
    const c = normalizeCondition(list[index]);
    // A threshold's tools: its button beside the input, its panel under the row.
    const panels: Node[] = [];
    const threshold = (input: HTMLElement, bound: ThresholdSlot["bound"], label: string): HTMLElement => {
      const tools = kinds.get(c.column) === "number" && input instanceof HTMLInputElement ? options.thresholdTools?.({...place, position: index, bound, input, label}) : null;
      if (!tools) return input;
      panels.push(tools.panel);
      return html`<span class="tl-threshold">${input}${tools.button}</span>`;
    };
    const set = (next: Condition) => (list[index] = next);
    const columnSelect = html`<select aria-label=${`${where} column`}>${columns.map((col) => html`<option value=${col.name}>${col.name}</option>`)}</select>` as HTMLSelectElement;
    if (!kinds.has(c.column)) columnSelect.append(html`<option value=${c.column}>${c.column} (not in data)</option>`);
    columnSelect.value = c.column;
    columnSelect.onchange = () => {
      const keep = appliesTo(c.op, kinds.get(columnSelect.value) ?? "other");
      set(keep ? ({...list[index], column: columnSelect.value} as Condition) : {column: columnSelect.value, isNull: false});
      commit(true);
    };
    const opSelect = html`<select aria-label=${`${where} operator`}>${OPERATORS.map((op) => html`<option value=${op}>${OPERATOR_TABLE[op].label}</option>`)}</select>` as HTMLSelectElement;
    opSelect.value = c.op;
    opSelect.onchange = () => {
      set(convert(c.column, c.value, opSelect.value as Operator));
      commit(true);
    };
    const setOperand = (value: unknown) => set({column: c.column, [c.op]: value} as Condition);
    const current = () => (list[index] as unknown as Record<string, unknown>)[c.op];
    // One input per operand form; the operator's entry says which.
    const inputs: Record<OperandWidget, () => HTMLElement> = {
      value: () => valueInput(c.column, c.value as Scalar, setOperand, `${where} value`),
      number: () => threshold(valueInput(c.column, c.value as Scalar, setOperand, `${where} value`), null, `${where} value`),
      range: () => {
        const [lo, hi] = c.value as [number, number];
        const low = valueInput(c.column, lo, (v) => setOperand([Number(v), (current() as [number, number])[1]]), `${where} minimum`);
        const high = valueInput(c.column, hi, (v) => setOperand([(current() as [number, number])[0], Number(v)]), `${where} maximum`);
        return html`<span>${threshold(low, "low", `${where} minimum`)} and ${threshold(high, "high", `${where} maximum`)}</span>`;
      },
      list: () => {
        const numeric = kinds.get(c.column) === "number";
        return textInput((c.value as Scalar[]).join(", "), (text) => setOperand(parseList(text, numeric)), {size: 18, label: `${where} values`});
      },
      flag: () => {
        const select = html`<select aria-label=${`${where} missing`}><option value="true">yes</option><option value="false">no</option></select>` as HTMLSelectElement;
        select.value = String(c.value);
        select.onchange = () => {
          setOperand(select.value === "true");
          commit();
        };
        return select;
      },
      text: () => textInput(String(c.value), setOperand, {size: 12, label: `${where} value`})
    };
    const operand = inputs[OPERATOR_TABLE[c.op].widget]();
    const remove = html`<button type="button" title="Remove this condition" aria-label=${`remove ${where}`}>✕</button>` as HTMLButtonElement;
    remove.onclick = () => {
      list.splice(index, 1);
      commit(true);
    };
    const row = html`<div class="tl-cond">${columnSelect} ${opSelect} ${operand} ${remove} <span class="tl-note" data-range-note=${c.column}>${rangeNote(ranges[c.column])}</span></div>`;
    return panels.length ? html`${row}${panels}` : row;
  }

  function tierCard(tier: Tier, t: number): HTMLElement {
    const alternatives = tierAlternatives(tier);
    const move = (delta: number) => {
      const [moved] = draft.tiers.splice(t, 1);
      draft.tiers.splice(t + delta, 0, moved);
      commit(true);
    };
    const button = (text: string, title: string, onclick: () => void, disabled = false) => {
      const b = html`<button type="button" title=${title} aria-label=${title}>${text}</button>` as HTMLButtonElement;
      b.disabled = disabled;
      b.onclick = onclick;
      return b;
    };
    const addCondition = (list: Condition[]) => () => {
      list.push(defaultCondition(columns));
      commit(true);
    };
    const body = alternatives.map((list, a) => {
      const where = (i: number) => `tier ${tier.id} ${alternatives.length > 1 ? `alternative ${a + 1} ` : ""}condition ${i + 1}`;
      return html`<div class="tl-alt">${a > 0 ? html`<div class="tl-or">or</div>` : ""}
        ${list.map((_, i) => conditionRow(list, i, where(i), {tierIndex: t, tierId: tier.id, alternative: a}))}
        ${button("+ condition", `add a condition to ${tier.id}${alternatives.length > 1 ? ` alternative ${a + 1}` : ""}`, addCondition(list))}
        ${alternatives.length > 1 ? button("remove alternative", `remove alternative ${a + 1} of ${tier.id}`, () => {
          tier.anyOf!.splice(a, 1);
          if (tier.anyOf!.length === 1) (tier.when = tier.anyOf![0]), delete tier.anyOf;
          commit(true);
        }) : ""}
      </div>`;
    });
    const addAlternative = button("+ or …", `add an alternative (OR) to ${tier.id}`, () => {
      tier.anyOf = [...tierAlternatives(tier), [defaultCondition(columns)]];
      delete tier.when;
      commit(true);
    });
    return html`<fieldset class="tl-tier">
      <legend>${t + 1}. ${textInput(tier.id, (v) => (tier.id = v), {size: 26, label: `tier ${t + 1} id`, placeholder: "tier id"})}
        ${textInput(tier.label, (v) => (tier.label = v), {size: 22, label: `tier ${t + 1} label`, placeholder: "label"})}
        ${textInput(tier.group ?? "", (v) => (v ? (tier.group = v) : delete tier.group), {size: 8, label: `tier ${t + 1} group`, placeholder: "group"})}
        ${button("▲", `move ${tier.id} up`, () => move(-1), t === 0)}${button("▼", `move ${tier.id} down`, () => move(1), t === draft.tiers.length - 1)}${button("✕", `remove tier ${tier.id}`, () => {
          draft.tiers.splice(t, 1);
          commit(true);
        })}
      </legend>
      ${body} ${addAlternative}
    </fieldset>`;
  }

  function render() {
    const undoButton = html`<button type="button" aria-label="undo">↶ Undo</button>` as HTMLButtonElement;
    undoButton.disabled = history.length === 0;
    undoButton.onclick = undo;
    const addTier = html`<button type="button" aria-label="add tier">+ tier</button>` as HTMLButtonElement;
    addTier.onclick = () => {
      let n = draft.tiers.length + 1;
      while (draft.tiers.some((t) => t.id === `NEW_TIER_${n}`)) ++n;
      draft.tiers.push({id: `NEW_TIER_${n}`, label: `New tier ${n}`, when: [defaultCondition(columns)]});
      commit(true);
    };
    root.replaceChildren(
      html`<div class="tl-editor-bar">Rule set ${textInput(draft.name, (v) => (draft.name = v), {size: 18, label: "rule set name"})} ${undoButton} ${addTier}</div>`,
      ...draft.tiers.map(tierCard),
      html`<div class="tl-tier tl-fallback">Otherwise: ${textInput(draft.fallback.id, (v) => (draft.fallback.id = v), {size: 14, label: "fallback id"})} ${textInput(draft.fallback.label, (v) => (draft.fallback.label = v), {size: 14, label: "fallback label"})}</div>`
    );
  }

  render();
  root.value = structuredClone(draft);
  return root;
}

function defaultCondition(columns: ColumnInfo[]): Condition {
  const c = columns.find((col) => col.kind === "number") ?? columns[0];
  return c?.kind === "number" ? {column: c.name, gte: 0} : {column: c?.name ?? "target", isNull: false};
}

function parseList(text: string, numeric: boolean): Scalar[] {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return numeric ? parts.map(Number).filter(Number.isFinite) : parts;
}

/** Keeps the operand sensible when the operator changes. */
function convert(column: string, value: unknown, op: Operator): Condition {
  const first = Array.isArray(value) ? value[0] : typeof value === "boolean" ? 0 : value;
  const num = typeof first === "number" ? first : 0;
  const operands: Record<OperandWidget, () => unknown> = {
    value: () => first ?? 0,
    number: () => num,
    // (between ↔ notBetween keeps both ends)
    range: () => (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number") ? value : [num, num]),
    list: () => (first === undefined ? [] : [first]),
    flag: () => true,
    text: () => (typeof first === "string" ? first : "")
  };
  return {column, [op]: operands[OPERATOR_TABLE[op].widget]()} as Condition;
}
