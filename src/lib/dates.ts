/**
 * The one check for dates written YYYY-MM-DD (command-line options, periods files, rule operands,
 * SQL date literals, the maturity date). Arithmetic, not Date.parse: Date.parse reads 2024-02-30
 * as 2024-03-01 instead of refusing it.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in `month` (1–12) of `year` in the Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a real calendar date written YYYY-MM-DD: 2024-02-29 is one; 2023-02-29, 2024-02-30 and 2024-13-01 are not. */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DAY_MS = 86_400_000;

/** A YYYY-MM-DD date as days since 1970-01-01 (how the columns file holds contact dates), or null when it is not a calendar date. */
export function dayNumber(iso: string): number | null {
  if (!isIsoDate(iso)) return null;
  return Date.parse(iso + "T00:00:00Z") / DAY_MS;
}
