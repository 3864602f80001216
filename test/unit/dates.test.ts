// src/lib/dates.ts isIsoDate against the calendar as JavaScript's UTC clock steps through it, and
// every date check of the project through it (Date.parse would read 2024-02-30 as 2024-03-01).
import {describe, expect, it} from "vitest";
import {dateOption, UsageError} from "../../cli/command.js";
import {safeParsePeriods} from "../../src/lib/backtest/backtest.js";
import {dayNumber, isIsoDate} from "../../src/lib/dates.js";
import {maturityCutoff} from "../../src/lib/population.js";
import {conditionProblems} from "../../src/lib/rules/rule-set-schema.js";
import {dateLiteral} from "../../src/lib/sql.js";

const DAY_MS = 86_400_000;
const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("isIsoDate", () => {
  it("accepts exactly the days a UTC clock passes through, 1896–2104, among every YYYY-MM-DD with MM 00–13 and DD 00–31", () => {
    // The oracle: midnight UTC stepped a day at a time (covers 1900 and 2100, not leap, and 2000, leap).
    const days = new Set<string>();
    for (let t = Date.UTC(1896, 0, 1); t < Date.UTC(2105, 0, 1); t += DAY_MS) {
      const d = new Date(t);
      days.add(`${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`);
    }
    expect(days.size).toBe(76_336); // 209 years, 51 of them leap
    const wrong: string[] = [];
    let accepted = 0;
    for (let y = 1896; y <= 2104; ++y) {
      for (let m = 0; m <= 13; ++m) {
        for (let d = 0; d <= 31; ++d) {
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          if (isIsoDate(text)) ++accepted;
          if (isIsoDate(text) !== days.has(text)) wrong.push(text);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(accepted).toBe(days.size);
  });

  it("the cases by name", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2000-02-29")).toBe(true);
    for (const text of ["2024-02-30", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00"]) expect(isIsoDate(text), text).toBe(false);
  });

  it("refuses anything but exactly YYYY-MM-DD, and values that are not text", () => {
    for (const text of ["", "2024-2-01", "2024-02-1", "24-02-01", "02024-02-01", " 2024-02-01", "2024-02-01 ", "2024-02-01\n", "2024-02-01T00:00:00Z", "2024/02/01", "2024-02-0a", "+2024-02-01", "２０２４-02-01", "٢٠٢٤-02-01"]) {
      expect(isIsoDate(text), JSON.stringify(text)).toBe(false);
    }
    for (const value of [null, undefined, 20240201, new Date(0), ["2024-02-01"]]) expect(isIsoDate(value)).toBe(false);
  });
});

describe("every date check refuses 2024-02-30 and accepts 2024-02-29", () => {
  it("dateLiteral (SQL), which Date.parse let through as 2024-03-01", () => {
    expect(() => dateLiteral("2024-02-30")).toThrow(`not a date (YYYY-MM-DD): "2024-02-30"`);
    expect(() => dateLiteral("2023-02-29", "bigquery")).toThrow(`not a date (YYYY-MM-DD): "2023-02-29"`);
    expect(dateLiteral("2024-02-29")).toBe("DATE '2024-02-29'");
  });

  it("the command line's date options, with the message the README shows", () => {
    expect(() => dateOption({from: "2024-02-30"}, "from")).toThrow(new UsageError(`--from must be a date like 2024-06-30, got "2024-02-30"`));
    expect(dateOption({to: "2024-02-29"}, "to")).toBe("2024-02-29");
    expect(dateOption({}, "to")).toBeUndefined();
  });

  it("the maturity cutoff", () => {
    expect(() => maturityCutoff({analysisDate: "2024-02-30", maturityDays: 1})).toThrow(`analysis date is not a date: "2024-02-30"`);
    // 2024-03-01 − 1 day, across the leap day.
    expect(maturityCutoff({analysisDate: "2024-03-01", maturityDays: 1})).toBe("2024-02-29");
  });

  it("the tier preview's day numbers", () => {
    expect(dayNumber("2024-02-30")).toBeNull();
    expect(dayNumber("2024-02-29")).toBe((Date.UTC(2024, 1, 29) - Date.UTC(1970, 0, 1)) / DAY_MS);
  });

  it("periods files", () => {
    const r = safeParsePeriods([{name: "A", train: ["2024-02-29", "2024-02-30"], test: ["2024-03-01", "2024-04-01"]}]);
    expect(r).toEqual({ok: false, issues: ['period 1 (A): train has "2024-02-30", not a date like "2024-02-01"']});
  });

  it("rule sets comparing a date column", () => {
    const columns = [{name: "contacted_date", kind: "date", type: "DATE"}] as const;
    expect(conditionProblems({column: "contacted_date", eq: "2024-02-30"}, columns)).toEqual([`a date column compared with "2024-02-30", which is not a date (write dates as "YYYY-MM-DD")`]);
    expect(conditionProblems({column: "contacted_date", in: ["2024-02-29", "2023-02-29"]}, columns)).toEqual([`a date column compared with "2023-02-29", which is not a date (write dates as "YYYY-MM-DD")`]);
    expect(conditionProblems({column: "contacted_date", eq: "2024-02-29"}, columns)).toEqual([]);
  });
});
