import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {QueryError, normalizeValue, type Connector, type Row, type Value} from "../src/lib/connector.js";

/** Native DuckDB (`@duckdb/node-api`) behind the {@link Connector} interface. */
export class NodeConnector implements Connector {
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
    let reader;
    try {
      reader = await this.connection.runAndReadAll(sql);
    } catch (error) {
      throw new QueryError(error instanceof Error ? error.message : String(error), sql, {cause: error});
    }
    const names = reader.columnNames();
    return reader.getRowsJS().map((values) => {
      const row: Row = {};
      for (let i = 0; i < names.length; ++i) setField(row, names[i], normalizeValue(values[i]));
      return row;
    });
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

/** `row[name] = value`, also for a column named `__proto__` (which plain assignment would drop). */
function setField(row: Row, name: string, value: Value): void {
  if (name === "__proto__") Object.defineProperty(row, name, {value, enumerable: true, writable: true, configurable: true});
  else row[name] = value;
}
