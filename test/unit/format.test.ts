import {describe, expect, it} from "vitest";
import {pct, pctInterval, pValue, times} from "../../src/lib/format.js";
import {csvField, csvTable, table} from "../../src/lib/table/index.js";
import {parsePeriodsText} from "../../src/lib/backtest/backtest.js";

describe("number formatting", () => {
  it("formats rates, intervals, lifts and p-values, with a dash for undefined", () => {
    expect(pct(0.15918)).toBe("15.92%");
    expect(pctInterval([0.1134, 0.205])).toBe("11.34–20.50%");
    expect(times(4.6279)).toBe("4.63×");
    expect(pValue(0.0004)).toBe("< 0.001");
    expect([pct(null), pctInterval(null), times(null), pValue(null)]).toEqual(["–", "–", "–", "–"]);
  });
});

describe("CSV", () => {
  it("quotes per RFC 4180 and keeps data from becoming spreadsheet formulas", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-10")).toBe("-10");
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvTable(table<{a: number; bC: null}>([{key: "a", label: "A"}, {key: "bC"}]), [{a: 1, bC: null}])).toBe("a,b_c\r\n1,\r\n");
    expect(() => csvField({a: 1})).toThrow(/must be a number, text, boolean or list/);
  });
});

describe("periods files", () => {
  it("invalid JSON is reported with its line and column", () => {
    expect(() => parsePeriodsText('{"periods": [\n  {"name": "A",}\n]}', "p.json")).toThrow(/line 2, column \d+/);
  });
});
