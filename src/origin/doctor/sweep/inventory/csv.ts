/**
 * S3 Inventory CSV files: gzip, one object per line, every field in double quotes (a quote inside
 * doubled), no header (the manifest's fileSchema names the columns). Read as a stream, line by line.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** One CSV line's fields. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
    } else {
      const c = line.indexOf(',', i);
      out.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (line[i] !== ',') break;
    i++;
  }
  return out;
}

/** The rows of one gzip CSV file, as records keyed by `columns`. */
export async function* csvRows(body: Readable, columns: readonly string[]): AsyncGenerator<Record<string, string>> {
  const lines = createInterface({ input: body.pipe(createGunzip()), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line === '') continue;
    let fields: string[];
    try {
      fields = parseCsvLine(line);
    } catch (err) {
      throw new Error(`line ${n}: ${(err as Error).message}`);
    }
    const row: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (fields[i] !== undefined) row[c] = fields[i]!;
    });
    yield row;
  }
}
