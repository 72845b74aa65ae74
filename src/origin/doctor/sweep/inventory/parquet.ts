/**
 * S3 Inventory Parquet files, read with hyparquet (pure JS) through ranged GETs: the footer first,
 * then one row group at a time, so memory holds one row group, never the file.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AsyncBuffer, Compressors } from 'hyparquet';

/** Codecs beyond hyparquet's built-in Snappy, from Node's zlib. */
const COMPRESSORS: Compressors = {
  GZIP: (input) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(brotliDecompressSync(input)),
};

type Hyparquet = typeof import('hyparquet');

/**
 * hyparquet is an ES module: `require` loads it on Node 20.19 and later (and under jest's
 * transform); older Node 20 releases load it with a native import().
 */
async function hyparquet(): Promise<Hyparquet> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('hyparquet') as Hyparquet;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw err;
    const load = new Function('m', 'return import(m)') as (m: string) => Promise<Hyparquet>;
    return load('hyparquet');
  }
}

/** Reads `[start, end)` of the file. */
export type RangeReader = (start: number, end: number) => Promise<Uint8Array>;

/** The rows of one Parquet file of `byteLength` bytes, row group by row group. */
export async function* parquetRows(byteLength: number, read: RangeReader, columns?: readonly string[]): AsyncGenerator<Record<string, unknown>> {
  const hp = await hyparquet();
  const file: AsyncBuffer = {
    byteLength,
    slice: async (start, end) => {
      const bytes = await read(start, end ?? byteLength);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  const metadata = await hp.parquetMetadataAsync(file);
  const present = new Set(metadata.schema.map((s) => s.name));
  const wanted = columns?.filter((c) => present.has(c));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await hp.parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors: COMPRESSORS, ...(wanted ? { columns: wanted } : {}) });
    for (const r of rows) yield r;
    rowStart = rowEnd;
  }
}
