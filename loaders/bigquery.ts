/**
 * Export a BigQuery table (or query result) as an Arrow IPC stream. Small tables come through the
 * REST API (`tabledata.list`) as JSON rows; large ones through the BigQuery Storage Read API as Arrow
 * record batches, never as JSON. Clients are injectable so tests can replay recorded responses.
 */
import {BigQuery} from "@google-cloud/bigquery";
import {ReadClient} from "@google-cloud/bigquery-storage";
import {Bool, DateDay, Float64, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector} from "apache-arrow";

/** Tables with at most this many rows are read as JSON rows; larger ones through the Storage API. */
export const JSON_ROW_LIMIT = 50_000;

export interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

export interface SchemaField {
  name: string;
  type: string;
  mode?: string;
}

/** The subset of `@google-cloud/bigquery` this module uses. */
export interface BigQueryLike {
  createQueryJob(options: {query: string; location?: string}): Promise<[QueryJobLike, ...unknown[]]>;
  dataset(id: string, options?: {projectId?: string}): {table(id: string): TableLike};
}
export interface QueryJobLike {
  getQueryResults(options?: {maxResults?: number}): Promise<unknown>;
  getMetadata(): Promise<[{configuration?: {query?: {destinationTable?: TableRef}}}, ...unknown[]]>;
}
export interface TableLike {
  getMetadata(): Promise<[{numRows?: string | number; schema?: {fields?: SchemaField[]}}, ...unknown[]]>;
  getRows(options?: {maxResults?: number; autoPaginate?: boolean}): Promise<[Record<string, unknown>[], ...unknown[]]>;
}
/** The subset of the Storage API's `ReadClient` this module uses. */
export interface ReadClientLike {
  createArrowTableReader(params: {table: TableRef}): Promise<{
    getStream(): Promise<AsyncIterable<Uint8Array>>;
    close(): void;
  }>;
  close(): void;
}

export interface BigQueryExportOptions {
  /** `project.dataset.table` */
  table: string;
  /** Optional custom SELECT; its result table is exported instead. */
  query?: string;
  location?: string;
  log?: (message: string) => void;
  clients?: {bigquery?: BigQueryLike; readClient?: ReadClientLike};
}

/** A BigQuery failure described in the analyst's terms (no stack trace needed). */
export class BigQueryExportError extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = "BigQueryExportError";
  }
}

/** Parses `project.dataset.table`. */
export function parseTableRef(path: string): TableRef {
  const m = /^([A-Za-z0-9_.:-]+)\.([A-Za-z0-9_]+)\.([A-Za-z0-9_$-]+)$/.exec(path.replace(/`/g, ""));
  if (!m) throw new BigQueryExportError(`"${path}" is not a BigQuery table path; expected project.dataset.table`);
  return {projectId: m[1], datasetId: m[2], tableId: m[3]};
}

/** Exports the table or query result; returns Arrow IPC stream bytes and the row count. */
export async function exportBigQuery(options: BigQueryExportOptions): Promise<{ipc: Uint8Array; rows: number}> {
  const log = options.log ?? (() => {});
  const ref = parseTableRef(options.table);
  const label = options.query ? `query on ${options.table}` : options.table;
  const bigquery = options.clients?.bigquery ?? (new BigQuery({projectId: ref.projectId, location: options.location}) as unknown as BigQueryLike);
  try {
    let source = ref;
    if (options.query) {
      log(`running query (${options.query.length} characters)…`);
      const [job] = await bigquery.createQueryJob({query: options.query, location: options.location});
      await job.getQueryResults({maxResults: 0});
      const [meta] = await job.getMetadata();
      const dest = meta.configuration?.query?.destinationTable;
      if (!dest) throw new BigQueryExportError(`the query finished but BigQuery returned no result table`);
      source = dest;
    }
    const table = bigquery.dataset(source.datasetId, {projectId: source.projectId}).table(source.tableId);
    const [meta] = await table.getMetadata();
    const rows = Number(meta.numRows ?? 0);
    const fields = meta.schema?.fields ?? [];
    log(`${label}: ${rows.toLocaleString("en-US")} rows, ${fields.length} columns`);
    if (rows <= JSON_ROW_LIMIT) {
      const [data] = await table.getRows({autoPaginate: true});
      log(`read ${data.length.toLocaleString("en-US")} rows as JSON`);
      return {ipc: rowsToIpc(data, fields), rows: data.length};
    }
    return {ipc: await readArrow(source, options.clients?.readClient, rows, log), rows};
  } catch (error) {
    if (error instanceof BigQueryExportError) throw error;
    throw new BigQueryExportError(describeBigQueryError(error, label), {cause: error});
  }
}

async function readArrow(ref: TableRef, injected: ReadClientLike | undefined, rows: number, log: (m: string) => void): Promise<Uint8Array> {
  const client = injected ?? (new ReadClient() as unknown as ReadClientLike);
  const reader = await client.createArrowTableReader({table: ref});
  try {
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    let next = 64 * 1024 * 1024;
    for await (const chunk of await reader.getStream()) {
      chunks.push(chunk);
      bytes += chunk.byteLength;
      if (bytes >= next) {
        log(`read ${(bytes / 1048576).toFixed(0)} MB of Arrow (${rows.toLocaleString("en-US")} rows in all)…`);
        next += 64 * 1024 * 1024;
      }
    }
    log(`read ${(bytes / 1048576).toFixed(1)} MB of Arrow through the Storage API`);
    return Buffer.concat(chunks);
  } finally {
    reader.close();
    client.close();
  }
}

/** JSON rows (as the BigQuery client returns them) → Arrow IPC stream, typed by the table schema. */
export function rowsToIpc(rows: Record<string, unknown>[], fields: SchemaField[]): Uint8Array {
  const columns: Record<string, Vector> = {};
  for (const field of fields) {
    const values = rows.map((r) => unwrap(r[field.name]));
    const type = arrowType(field.type);
    const converted = type instanceof DateDay ? values.map((v) => (v === null ? null : new Date(String(v).slice(0, 10) + "T00:00:00Z"))) : type instanceof Float64 ? values.map((v) => (v === null ? null : Number(v))) : type instanceof Bool ? values.map((v) => (v === null ? null : Boolean(v))) : values.map((v) => (v === null ? null : String(v)));
    columns[field.name] = vectorFromArray(converted as unknown[], type);
  }
  return tableToIPC(new Table(columns), "stream");
}

function arrowType(type: string): DataType {
  switch (type.toUpperCase()) {
    case "INTEGER":
    case "INT64":
    case "FLOAT":
    case "FLOAT64":
    case "NUMERIC":
    case "BIGNUMERIC":
      return new Float64();
    case "DATE":
      return new DateDay();
    case "BOOL":
    case "BOOLEAN":
      return new Bool();
    default:
      return new Utf8();
  }
}

/** BigQuery wraps DATE/TIMESTAMP/NUMERIC values as `{value}` objects. */
function unwrap(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && "value" in (value as object)) return (value as {value: unknown}).value;
  return value;
}

/** One readable sentence naming the table and the cause. */
export function describeBigQueryError(error: unknown, table: string): string {
  const e = error as {message?: string; code?: number | string; errors?: {reason?: string}[]; reason?: string};
  const message = String(e?.message ?? error).split("\n")[0];
  const reason = e?.errors?.[0]?.reason ?? e?.reason ?? "";
  const code = e?.code;
  if (/default credentials|Could not load the default|invalid_grant|invalid_client|UNAUTHENTICATED|GOOGLE_APPLICATION_CREDENTIALS|credential file|DECODER routines|PEM routines|private key/i.test(message) || code === 16 || code === 401) {
    return `BigQuery: no usable Google credentials to read ${table}. Run "gcloud auth application-default login" or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file. (${message})`;
  }
  if (code === 404 || code === 5 || reason === "notFound" || /not found/i.test(message)) {
    return `BigQuery: table ${table} was not found. Check the project, dataset and table names and the dataset's location. (${message})`;
  }
  if (code === 403 || code === 7 || reason === "accessDenied" || /permission|access denied/i.test(message)) {
    return `BigQuery: permission denied reading ${table}. You need BigQuery Data Viewer on the table and Read Session User on the project. (${message})`;
  }
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH/i.test(message)) {
    return `BigQuery: could not reach BigQuery to read ${table}: no network connection, or a proxy or firewall blocks bigquery.googleapis.com. Nothing was written. (${message})`;
  }
  if (/ECONNRESET|socket hang up|ETIMEDOUT|EPIPE|network|UNAVAILABLE|stream.*(closed|ended|reset)|premature/i.test(message) || code === 14 || code === 4) {
    return `BigQuery: the connection dropped while exporting ${table}; nothing was written. Try again. (${message})`;
  }
  return `BigQuery export of ${table} failed: ${message}`;
}
