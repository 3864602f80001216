/**
 * DuckDB-WASM's Arrow results → typed columns for the tier preview (src/lib/tiers/preview.ts). Integer
 * columns stay in their own width (Int16Array for SMALLINT …); BIGINTs arrive as doubles
 * (the engine is opened with castBigIntToDouble) and DOUBLEs as Float64Array.
 *
 * Record batches are collected one at a time ({@link ColumnCollector}), so a result of millions
 * of rows can be read as a stream of small batches — each a few milliseconds of main-thread
 * work — instead of one Arrow table parsed and flattened in a single long task.
 */
import {DataType, DateUnit, Precision, type RecordBatch, type Schema, type Table} from "apache-arrow";
import {validityFromBitmaps, type ColumnBatch, type TypedColumn} from "../lib/lead-arrays.js";

type Numbers = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;
type NumbersConstructor = {new (length: number): Numbers};

interface Pending {
  name: string;
  make: NumbersConstructor;
  values: Numbers[];
  /** One entry per chunk: its validity, or null when the chunk has no NULL. */
  valid: (Uint8Array | null)[];
}

/** A result's columns, gathered batch by batch; {@link finish} joins them into one typed array each. */
export class ColumnCollector {
  private readonly pending: Pending[];
  private rows = 0;

  /** For a result with this schema; throws if a column is not a plain numeric column. */
  constructor(schema: Schema) {
    this.pending = schema.fields.map((f) => ({name: f.name, make: numbersOf(f.name, f.type), values: [], valid: []}));
  }

  /** Adds one record batch (or every batch of a table) of the schema given to the constructor. */
  add(batch: RecordBatch | Table): void {
    const fields = batch.schema.fields;
    if (fields.length !== this.pending.length) throw new Error(`a record batch has ${fields.length} columns, the result ${this.pending.length}`);
    fields.forEach((field, k) => {
      const column = this.pending[k];
      for (const data of batch.getChildAt(k)?.data ?? []) {
        const values = data.values as Numbers;
        if (!(values instanceof column.make)) throw new Error(`column ${field.name} changed type between record batches`);
        // A sliced Data's values already start at its first row; its null bitmap does not (bit offset).
        column.values.push(values.subarray(0, data.length) as Numbers);
        column.valid.push(validityFromBitmaps([data]));
      }
    });
    this.rows += batch.numRows;
  }

  /** The columns, each one contiguous typed array; validity only for columns that hold a NULL. */
  finish(): ColumnBatch {
    const columns = new Map<string, TypedColumn>();
    for (const column of this.pending) columns.set(column.name, join(column, this.rows));
    return {rows: this.rows, columns};
  }
}

/** A whole Arrow table as typed columns. */
export function arrowToColumns(table: Table): ColumnBatch {
  const collector = new ColumnCollector(table.schema);
  collector.add(table);
  return collector.finish();
}

function numbersOf(name: string, type: DataType): NumbersConstructor {
  if (DataType.isFloat(type) && type.precision !== Precision.HALF) return type.ArrayType as NumbersConstructor;
  if (DataType.isInt(type) && type.bitWidth <= 32) return type.ArrayType as NumbersConstructor;
  // Days since 1970-01-01; a dictionary-encoded column as its codes (the dictionary is the caller's).
  if (DataType.isDate(type) && type.unit === DateUnit.DAY) return Int32Array;
  if (DataType.isDictionary(type) && type.indices.bitWidth <= 32) return type.indices.ArrayType as NumbersConstructor;
  throw new Error(`column ${name} (${type}) is not a plain numeric column`);
}

function join(column: Pending, rows: number): TypedColumn {
  const values = column.values.length === 1 && column.values[0].length === rows ? column.values[0] : new column.make(rows);
  let valid: Uint8Array | null = null;
  if (column.valid.some((v) => v !== null)) valid = new Uint8Array(rows);
  let at = 0;
  column.values.forEach((chunk, i) => {
    if (values !== chunk) values.set(chunk as never, at);
    if (valid) {
      const v = column.valid[i];
      if (v) valid.set(v, at);
      else valid.fill(1, at, at + chunk.length);
    }
    at += chunk.length;
  });
  return {values, valid};
}
