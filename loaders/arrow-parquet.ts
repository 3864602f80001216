import {tableToIPC, type Table} from "apache-arrow";
import {Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet} from "parquet-wasm";

/** Encodes an Arrow table as Parquet (ZSTD) with parquet-wasm, optionally with key/value metadata. */
export function arrowToParquet(table: Table, metadata: Record<string, string> = {}): Uint8Array {
  let builder = new WriterPropertiesBuilder().setCompression(Compression.ZSTD);
  if (Object.keys(metadata).length > 0) builder = builder.setKeyValueMetadata(new Map(Object.entries(metadata)));
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, "stream"));
  return writeParquet(wasmTable, builder.build());
}
