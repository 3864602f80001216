/**
 * Reads the tier page's columns file (`leads.arrow`, written by loaders/preview-columns.ts) into a
 * {@link PreviewSource}: the leads' columns as typed arrays, without the database engine.
 */
import {DataType, tableFromIPC} from "apache-arrow";
import type {ColumnInfo} from "../lib/columns.js";
import {COLUMNS_FILE, type PreviewSource} from "../lib/preview-source.js";
import {parseProvenance} from "../lib/provenance.js";
import {arrowToColumns} from "./arrowColumns.js";

/** Decodes the file's bytes; throws (naming what is wrong) for anything else than such a file. */
export function decodePreviewColumns(bytes: ArrayBuffer | Uint8Array): PreviewSource {
  const table = tableFromIPC(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const meta = table.schema.metadata;
  const schemaJson = meta.get(COLUMNS_FILE.schemaKey);
  if (!schemaJson) throw new Error(`not a tierlab columns file (no ${COLUMNS_FILE.schemaKey} in its metadata)`);
  const schema = JSON.parse(schemaJson) as ColumnInfo[];
  const {rows, columns} = arrowToColumns(table);
  const take = (name: string) => {
    const column = columns.get(name);
    if (!column) throw new Error(`the columns file has no ${name} column`);
    columns.delete(name);
    return column;
  };
  const days = take(COLUMNS_FILE.date);
  if (days.valid !== null) throw new Error(`the columns file's ${COLUMNS_FILE.date} has NULLs`);
  const target = take(COLUMNS_FILE.target);
  let split: PreviewSource["split"] = null;
  const splitField = table.schema.fields.find((f) => f.name === COLUMNS_FILE.split);
  if (splitField && DataType.isDictionary(splitField.type)) {
    const chunks = table.getChild(COLUMNS_FILE.split)!.data;
    const dictionary = chunks[0]?.dictionary;
    if (chunks.some((d) => d.dictionary !== dictionary)) throw new Error(`the columns file's ${COLUMNS_FILE.split} changes its dictionary between record batches`);
    split = {codes: take(COLUMNS_FILE.split), values: dictionary ? Array.from(dictionary.toArray() as ArrayLike<string>, String) : []};
  }
  return {rows, schema, provenance: parseProvenance(meta.get(COLUMNS_FILE.provenanceKey)), days: days.values, split, target, features: columns};
}

/**
 * The columns file through `bytes` (a page passes `() => FileAttachment("data/leads/leads.arrow").arrayBuffer()`),
 * or null when it cannot be had: the page then waits for the engine, which gives the same numbers
 * later (the reason goes to the console; nothing is lost).
 */
export async function loadPreviewSource(bytes: () => Promise<ArrayBuffer>): Promise<PreviewSource | null> {
  try {
    return decodePreviewColumns(await bytes());
  } catch (error) {
    console.warn(`tierlab: the columns file could not be read (${error instanceof Error ? error.message : String(error)}); the first numbers wait for the database engine`);
    return null;
  }
}
