/**
 * DuckDB-WASM's Arrow result → typed columns for the tier preview (src/lib/preview.ts). Integer
 * columns stay in their own width (Int16Array for SMALLINT …); BIGINTs arrive as doubles
 * (the engine is opened with castBigIntToDouble) and DOUBLEs as Float64Array.
 */
import type {Table} from "apache-arrow";
import {validityFromBitmaps, type ColumnBatch, type TypedColumn} from "../lib/typed-columns.js";

export function arrowToColumns(table: Table): ColumnBatch {
  const columns = new Map<string, TypedColumn>();
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (!vector) continue;
    const values = vector.toArray() as unknown;
    if (!ArrayBuffer.isView(values) || values instanceof DataView || values instanceof BigInt64Array || values instanceof BigUint64Array) {
      throw new Error(`column ${field.name} (${field.type}) is not a plain numeric column`);
    }
    columns.set(field.name, {values: values as unknown as ArrayLike<number>, valid: validityFromBitmaps(vector.data)});
  }
  return {rows: table.numRows, columns};
}
