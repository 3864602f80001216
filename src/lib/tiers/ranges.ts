import type {ColumnInfo} from "../column-info.js";
import type {Connector} from "../connector.js";
import {quoteIdentifier, quoteTable} from "../sql.js";

/** Observed [min, max] of every numeric column, in one scan (shown beside thresholds in the editor). */
export async function numericRanges(conn: Connector, columns: readonly ColumnInfo[], table = "leads"): Promise<Record<string, [number, number]>> {
  const numeric = columns.filter((c) => c.kind === "number");
  if (!numeric.length) return {};
  const parts = numeric.flatMap((c, i) => [`MIN(${quoteIdentifier(c.name)}) AS ${quoteIdentifier("lo" + i)}`, `MAX(${quoteIdentifier(c.name)}) AS ${quoteIdentifier("hi" + i)}`]);
  const [row] = await conn.query(`SELECT ${parts.join(", ")} FROM ${quoteTable(table)}`);
  const ranges: Record<string, [number, number]> = {};
  numeric.forEach((c, i) => {
    const lo = row["lo" + i];
    const hi = row["hi" + i];
    if (lo !== null && hi !== null) ranges[c.name] = [round(Number(lo)), round(Number(hi))];
  });
  return ranges;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
