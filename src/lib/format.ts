/**
 * Number formatting shared by pages, Markdown and CSV output (en-US, fixed digits), and the named
 * formats table columns refer to (`format: "pct"`): each says how a value reads and which side of
 * its column it sits on. The page, the Markdown and the CLI show the same words because they all
 * come from here.
 */

/** 0.1592 → "15.92%"; null → "–". */
export function pct(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(digits)}%`;
}

/** [0.113, 0.213] → "11.30–21.30%"; null → "–". */
export function pctInterval(ci: readonly [number, number] | null | undefined, digits = 2): string {
  return ci ? `${(ci[0] * 100).toFixed(digits)}–${(ci[1] * 100).toFixed(digits)}%` : "–";
}

/** 4.634 → "4.63×"; null → "–". */
export function times(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : `${value.toFixed(digits)}×`;
}

/** p-values: three decimals, "< 0.001" below that; null → "–". */
export function pValue(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : value < 0.001 ? "< 0.001" : value.toFixed(3);
}

/** What Number#toLocaleString("en-US") formats with, made once (toLocaleString makes one per call: slow in long tables). */
const EN_US = new Intl.NumberFormat("en-US");

/** 39448 → "39,448". */
export function int(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : EN_US.format(Math.round(value));
}

/** A signed difference: "+12", "−3", "±0" (the sign always shown, a true minus); null → "–". */
export function signed(value: number | null | undefined, format: (magnitude: number) => string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return (value > 0 ? "+" : value < 0 ? "−" : "±") + format(Math.abs(value));
}

/** A difference of rates in percentage points: 0.028 → "+2.80 pp". */
export function pp(value: number | null | undefined): string {
  return signed(value, (x) => `${(x * 100).toFixed(2)} pp`);
}

/** Days, one decimal at most: 6.6 → "6.6 days", 1 → "1 day"; null → "–". */
export function days(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const v = +value.toFixed(1);
  return `${v} day${v === 1 ? "" : "s"}`;
}

/** How a measured number is shown: a rate or share (percent), a lift (×), a count. */
export type Unit = "percent" | "times" | "count";

/** A number in its unit; null → "–". */
export function measure(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return "–";
  return unit === "percent" ? pct(value) : unit === "times" ? times(value) : int(value);
}

/** A pass condition: the value compared with a threshold, or within [threshold, thresholdMax]. */
export interface Bound {
  comparison: ">=" | "<=" | "<" | "==" | "between";
  threshold: number;
  thresholdMax?: number;
  unit: Unit;
}

/** A threshold in words: "≥ 10.00%", "5.00% – 15.00%". */
export function bound(b: Bound): string {
  if (b.comparison === "between") return `${measure(b.threshold, b.unit)} – ${measure(b.thresholdMax, b.unit)}`;
  const symbol = {">=": "≥", "<=": "≤", "<": "<", "==": "="}[b.comparison];
  return `${symbol} ${measure(b.threshold, b.unit)}`;
}

const isMissing = (v: unknown): v is null | undefined => v === null || v === undefined;

interface NamedFormat<T> {
  /** Numbers sit right (and their column's header with them), words left. */
  align: "left" | "right";
  text: (value: T) => string;
}
const named = <T>(align: "left" | "right", text: (value: T) => string): NamedFormat<T> => ({align, text});

/**
 * The formats a table column names. A column's value goes through its format for the page and for
 * Markdown; CSV gets the raw value instead (spreadsheets want 0.1592, not "15.92%").
 */
export const FORMATS = {
  /** Any text; null → "–" (an empty string stays empty). */
  text: named<unknown>("left", (v) => (isMissing(v) ? "–" : String(v))),
  /** A tier, signal or rule set: its label (the page adds the id on hover). */
  name: named<{label: string; id: string}>("left", (v) => v.label),
  int: named<number | null>("right", int),
  /** A number as the query gave it, unrounded (an analyst's own query: tierlab query, Explore). */
  number: named<number | string | null>("right", (v) => (isMissing(v) ? "–" : String(v))),
  pct: named<number | null>("right", (v) => pct(v)),
  pct1: named<number | null>("right", (v) => pct(v, 1)),
  pctInterval: named<readonly [number, number] | null>("right", (v) => pctInterval(v)),
  times: named<number | null>("right", (v) => times(v)),
  times1: named<number | null>("right", (v) => times(v, 1)),
  /** A lift's interval: "1.20×–3.40×". */
  timesInterval: named<readonly [number, number] | null>("right", (v) => (v ? `${times(v[0])}–${times(v[1])}` : "–")),
  pValue: named<number | null>("right", pValue),
  signedInt: named<number | null>("right", (v) => signed(v, int)),
  pp: named<number | null>("right", pp),
  days: named<number | null>("right", days),
  /** An ISO date (or month start); null → "–". */
  date: named<string | null>("left", (v) => v ?? "–"),
  /** "2024-02-01" → "2024-02". */
  month: named<string>("left", (v) => v.slice(0, 7)),
  /** Warnings on a row, in words: "n < 50, not significant". */
  flags: named<readonly string[]>("left", (v) => v.join(", ")),
  /** A gate's outcome. */
  passFail: named<boolean>("left", (v) => (v ? "✓ pass" : "✗ fail")),
  /** Leads moving between two tiers (the page marks the ones that move). */
  moves: named<number>("right", int),
  /** A yes/no mark: "yes" or nothing. */
  yes: named<boolean>("left", (v) => (v ? "yes" : "")),
  /** A number in its unit (a gate's value). */
  measure: named<{value: number | null; unit: Unit}>("right", (v) => measure(v.value, v.unit)),
  /** A gate's threshold. */
  bound: named<Bound>("right", bound),
  /** A weight of evidence, signed: "+0.42", "−1.10". */
  woe: named<number | null>("right", (v) => signed(v === null || v === undefined ? v : Math.round(v * 100) / 100, (x) => x.toFixed(2))),
  /** An information value, PSI or CSI: three decimals, "0.123". */
  index3: named<number | null>("right", (v) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(3))),
  /** A published volume and rate: "30,727 @ 3.66%". */
  countAtRate: named<{leads: number; rate: number} | null>("right", (v) => (v ? `${int(v.leads)} @ ${pct(v.rate)}` : "–"))
} as const;

export type FormatName = keyof typeof FORMATS;

/** A value in a named format. */
export function formatValue(name: FormatName, value: unknown): string {
  return (FORMATS[name].text as (v: unknown) => string)(value);
}
