// The tier page's edit step: debounced on large data (a newer edit supersedes a waiting one),
// errors returned rather than thrown, and the compared rule set validated against the data.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {DEBOUNCE_MS, DEBOUNCE_ROWS, countingNote, previewEdit} from "../../src/components/previewEdit.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {TierPreview} from "../../src/lib/tiers/preview.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {describeColumns} from "../../src/lib/data-contract.js";

const RULES: RuleSet = {name: "r", description: "", tiers: [{id: "HIGH", label: "High", when: [{column: "x", gte: 5}]}], fallback: {id: "REST", label: "Rest"}};
const never = new Promise<never>(() => {});

let db: NodeConnector;
let columns: ColumnInfo[];
beforeAll(async () => {
  db = await NodeConnector.open();
  await db.run(`CREATE TABLE leads AS SELECT * FROM (VALUES (1, 1), (5, 0), (9, 1)) t(x, target)`);
  await db.run(`ALTER TABLE leads ADD COLUMN contacted_date DATE DEFAULT DATE '2024-03-01'`);
  columns = await describeColumns(db, "leads");
});
afterAll(() => db?.close());

describe("previewEdit", () => {
  it("computes at once on small data, in JavaScript", async () => {
    const outcome = await previewEdit({preview: new TierPreview(db, columns), edited: RULES, compare: RULES, population: {}, columns, rows: 3, invalidation: never});
    expect(outcome?.comparison?.current.tiers.map((t) => t.leads)).toEqual([2, 1]);
    expect(outcome?.comparison?.countedBy).toBe("loop");
    expect(countingNote(outcome!.comparison!)).toMatch(/^read the population \(\d+ ms\), then counted in JavaScript$/);
  });

  it("on large data, gives way to a newer edit that arrives within the debounce", async () => {
    let supersede!: () => void;
    const invalidation = new Promise<void>((resolve) => (supersede = resolve));
    const pending = previewEdit({preview: new TierPreview(db, columns), edited: RULES, compare: RULES, population: {}, columns, rows: DEBOUNCE_ROWS + 1, invalidation});
    setTimeout(supersede, DEBOUNCE_MS / 3);
    expect(await pending).toBeNull();
  });

  it("on large data, does not debounce the page's first comparison", async () => {
    let supersede!: () => void;
    const invalidation = new Promise<void>((resolve) => (supersede = resolve));
    const pending = previewEdit({preview: new TierPreview(db, columns), edited: RULES, compare: RULES, population: {}, columns, rows: DEBOUNCE_ROWS + 1, invalidation, first: true});
    supersede();
    expect((await pending)?.comparison?.current.tiers.map((t) => t.leads)).toEqual([2, 1]);
  });

  it("on large data, computes once the debounce passes with no newer edit", async () => {
    const t0 = performance.now();
    const outcome = await previewEdit({preview: new TierPreview(db, columns), edited: RULES, compare: RULES, population: {}, columns, rows: DEBOUNCE_ROWS + 1, invalidation: never});
    expect(performance.now() - t0).toBeGreaterThanOrEqual(DEBOUNCE_MS - 5);
    expect(outcome?.comparison?.current.population.leads).toBe(3);
  });

  it("returns a compared rule set that does not fit the data as an error", async () => {
    const bad: RuleSet = {...RULES, tiers: [{id: "T", label: "T", when: [{column: "nope", gte: 1}]}]};
    const outcome = await previewEdit({preview: new TierPreview(db, columns), edited: RULES, compare: bad, population: {}, columns, rows: 3, invalidation: never});
    expect(outcome?.comparison).toBeNull();
    expect(String((outcome?.error as Error).message)).toMatch(/nope/);
  });
});
