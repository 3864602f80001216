// A hand-built leads table for the backtest tests, every count worked out by hand in backtest.test.ts.
import type {Period} from "../../src/lib/backtest/backtest.js";
import type {RuleSet} from "../../src/lib/rules/types.js";

export const HAND_RULES: RuleSet = {
  name: "hand-backtest",
  description: "hand-worked backtest fixture",
  tiers: [
    {id: "T1", label: "One", group: "G1", when: [{column: "x", gte: 10}]},
    {id: "T2", label: "Two", group: "G1", when: [{column: "y", eq: "s"}]},
    {id: "T3", label: "Three", when: [{column: "x", between: [5, 9]}]}
  ],
  fallback: {id: "REST", label: "Rest"}
};

// P1 and P3 share a train window; P2's train window overlaps P1's test window (a February lead
// counts in both); P3's test window (June) holds no lead at all.
export const HAND_PERIODS: Period[] = [
  {name: "P1", train: ["2024-01-01", "2024-01-31"], test: ["2024-02-01", "2024-02-29"]},
  {name: "P2", train: ["2024-01-01", "2024-02-29"], test: ["2024-03-01", "2024-03-31"]},
  {name: "P3", train: ["2024-01-01", "2024-01-31"], test: ["2024-06-01", "2024-06-30"]}
];

// id, contacted_date, target, x, y, mql_date            → tier (why)
export const HAND_LEADS: [string, string, number | null, number | null, string | null, string | null][] = [
  ["j8", "2023-12-31", 1, 10, null, "2024-01-02"], // outside every window (the day before)
  ["j1", "2024-01-01", 1, 10, null, "2024-01-01"], // T1, first day of the January windows (x = 10 on the threshold)
  ["j2", "2024-01-15", 0, 12, null, null], // T1
  ["j3", "2024-01-31", 0, 5, null, null], // T3, last day of the January windows
  ["j4", "2024-01-20", null, 7, null, null], // T3, target NULL
  ["j5", "2024-01-10", 1, 1, null, "2024-01-13"], // REST
  ["j6", "2024-01-11", 0, null, "s", null], // T2 (x NULL falls through T1)
  ["j7", "2024-01-12", 0, 2, null, null], // REST
  ["f1", "2024-02-01", 1, 11, null, "2024-02-11"], // T1, first day of P1 test
  ["f2", "2024-02-29", 1, null, "s", "2024-03-30"], // T2, last day of P1 test and of P2 train (leap day)
  ["f3", "2024-02-10", 0, 3, null, null], // REST
  ["f4", "2024-02-11", 0, 4, null, null], // REST
  ["f5", "2024-02-12", null, 20, null, null], // T1, target NULL
  ["m1", "2024-03-01", 0, 10, null, null], // T1, first day of P2 test
  ["m5", "2024-03-05", 1, 0, null, "2024-03-05"], // REST
  ["m3", "2024-03-15", 0, 0, null, null], // REST; exactly on the maturity cutoff used below (still mature)
  ["m2", "2024-03-31", 1, 6, null, "2024-04-01"], // T3, last day of P2 test; after the cutoff (immature)
  ["m4", "2024-04-01", 1, 10, null, "2024-03-30"] // outside every window (the day after); mql before contact
];

/** SQL that creates `leads` with the hand rows (x, y and mql_date beside the required columns). */
export function handLeadsSql(table = "leads"): string {
  const q = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v}'`);
  const rows = HAND_LEADS.map(([id, date, target, x, y, mql]) => `(${q(id)}, DATE ${q(date)}, ${q(target)}, 0, ${q(x)}, ${q(y)}, ${mql === null ? "NULL" : `DATE '${mql}'`})`);
  return `CREATE TABLE ${table} AS SELECT * FROM (VALUES ${rows.join(", ")}) AS t(lead_id, contacted_date, target, is_wirehouse, x, y, mql_date)`;
}
