import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {QueryError, normalizeValue, type Row, type Value} from "../src/lib/connector.js";
import type {ColumnarConnector, ColumnBatch, TypedColumn} from "../src/lib/lead-arrays.js";

/** Native DuckDB (`@duckdb/node-api`) behind the {@link Connector} interface. */
export class NodeConnector implements ColumnarConnector {
  readonly dialect = "duckdb" as const;
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection
  ) {}

  /** Opens an in-memory database. `threads` limits DuckDB's worker threads (the bench uses 1). */
  static async open(options: {threads?: number; path?: string} = {}): Promise<NodeConnector> {
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(options.path ?? ":memory:", config);
    return new NodeConnector(instance, await instance.connect());
  }

  async query(sql: string): Promise<Row[]> {
    const reader = await this.read(sql);
    const names = reader.columnNames();
    return reader.getRowsJS().map((values) => {
      const row: Row = {};
      for (let i = 0; i < names.length; ++i) setField(row, names[i], normalizeValue(values[i]));
      return row;
    });
  }

  /**
   * A numeric query's columns as typed arrays of the column's width (Int16Array for SMALLINT …,
   * Float64Array for everything else, bigints converted), NULLs in a validity array.
   */
  async columns(sql: string): Promise<ColumnBatch> {
    const reader = await this.read(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const data = reader.getColumnsJS();
    const columns = new Map<string, TypedColumn>();
    let rows = 0;
    names.forEach((name, k) => {
      const source = data[k] ?? []; // (an empty result has no column arrays at all)
      rows = source.length;
      const Typed = TYPED_ARRAYS[String(types[k])] ?? Float64Array;
      const values = new Typed(source.length);
      const valid = new Uint8Array(source.length);
      let nulls = 0;
      for (let i = 0; i < source.length; ++i) {
        const v = source[i];
        if (v === null) nulls++;
        else {
          values[i] = Number(v);
          valid[i] = 1;
        }
      }
      columns.set(name, {values, valid: nulls ? valid : null});
    });
    return {rows, columns};
  }

  /** Runs a query and reads its whole result; a failure becomes a QueryError carrying the SQL. */
  private async read(sql: string) {
    try {
      return await this.connection.runAndReadAll(sql);
    } catch (error) {
      throw new QueryError(error instanceof Error ? error.message : String(error), sql, {cause: error});
    }
  }

  /** Runs a statement for its effect (DDL, COPY). */
  async run(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw new QueryError(error instanceof Error ? error.message : String(error), sql, {cause: error});
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Typed arrays that hold every value of a DuckDB integer type exactly (as DuckDB-WASM's Arrow gives them). */
const TYPED_ARRAYS: Record<string, new (length: number) => Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array> = {
  TINYINT: Int8Array,
  SMALLINT: Int16Array,
  INTEGER: Int32Array,
  UTINYINT: Uint8Array,
  USMALLINT: Uint16Array,
  UINTEGER: Uint32Array
};

/** `row[name] = value`, also for a column named `__proto__` (which plain assignment would drop). */
function setField(row: Row, name: string, value: Value): void {
  if (name === "__proto__") Object.defineProperty(row, name, {value, enumerable: true, writable: true, configurable: true});
  else row[name] = value;
}
