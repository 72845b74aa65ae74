/**
 * An S3 Inventory report's manifest: where it is (a manifest.json, or the newest one under an
 * inventory configuration's folder), what it says (source bucket, format, schema, data files), and
 * the schema's column names in one spelling (snake_case, as the Parquet and ORC schemas and Athena
 * name them: `Key` and `key`, `ObjectOwner` and `object_owner`).
 */
import { EdgelockError, UsageError } from '../../../../errors';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export type InventoryFormat = 'CSV' | 'Parquet' | 'ORC';

export interface InventoryManifest {
  readonly location: S3Location;
  readonly sourceBucket: string;
  /** The bucket the data files are in (the manifest's destinationBucket ARN). */
  readonly destinationBucket: string;
  readonly format: InventoryFormat;
  /** Column names in snake_case, in the files' order (CSV files have no header). */
  readonly columns: readonly string[];
  readonly files: readonly { readonly key: string; readonly size: number }[];
  /** When S3 wrote the report, ISO 8601. */
  readonly createdAt: string;
}

/** `s3://bucket/prefix/` → bucket and key prefix. */
export function parseS3Uri(uri: string, option = '--inventory'): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) throw new UsageError(`${option} "${uri}" is not an S3 location: give s3://BUCKET/PREFIX/ of an inventory configuration (its folder holds one dated folder per report), or the s3:// URI of a report's manifest.json`);
  return { bucket: m[1]!, key: m[2] ?? '' };
}

/** `IntelligentTieringAccessTier` → `intelligent_tiering_access_tier`; `ETag` → `e_tag`; snake_case stays. */
export function snakeCase(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/^([A-Z])([A-Z][a-z])/, '$1_$2')
    .toLowerCase();
}

/** The column names a manifest's fileSchema lists, for each format. */
export function schemaColumns(format: InventoryFormat, fileSchema: string): string[] {
  if (format === 'CSV') return fileSchema.split(',').map(snakeCase).filter(Boolean);
  if (format === 'Parquet') return [...fileSchema.matchAll(/(?:required|optional|repeated)\s+\w+\s+([A-Za-z_][\w]*)/g)].map((m) => snakeCase(m[1]!));
  // ORC: struct<bucket:string,key:string,...>
  const inner = /^struct<(.*)>$/s.exec(fileSchema.trim())?.[1] ?? '';
  return inner.split(',').map((f) => snakeCase(f.split(':')[0] ?? '')).filter(Boolean);
}

const FORMATS: Record<string, InventoryFormat> = { csv: 'CSV', parquet: 'Parquet', orc: 'ORC' };

function invalid(location: S3Location, why: string): EdgelockError {
  return new EdgelockError(`the S3 Inventory manifest s3://${location.bucket}/${location.key} ${why}`, { code: 'SWEEP_INVENTORY_INVALID', exitCode: 2 });
}

/** Reads a manifest.json's text. */
export function parseManifest(location: S3Location, text: string): InventoryManifest {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid(location, 'is not JSON: give the manifest.json of an inventory report');
  }
  const format = FORMATS[String(m.fileFormat ?? '').toLowerCase()];
  if (!format) throw invalid(location, `has fileFormat ${JSON.stringify(m.fileFormat)}: S3 Inventory writes CSV, ORC or Parquet`);
  if (typeof m.sourceBucket !== 'string' || typeof m.fileSchema !== 'string' || !Array.isArray(m.files)) throw invalid(location, 'lacks sourceBucket, fileSchema or files: it is not an S3 Inventory manifest');
  const columns = schemaColumns(format, m.fileSchema);
  if (!columns.includes('key')) throw invalid(location, `has a fileSchema without Key (${m.fileSchema})`);
  const destination = typeof m.destinationBucket === 'string' ? m.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, '') : location.bucket;
  const files = (m.files as { key?: unknown; size?: unknown }[]).map((f) => {
    if (typeof f.key !== 'string') throw invalid(location, 'lists a file without a key');
    return { key: f.key, size: Number(f.size ?? 0) };
  });
  const ts = Number(m.creationTimestamp);
  return {
    location,
    sourceBucket: m.sourceBucket,
    destinationBucket: destination,
    format,
    columns,
    files,
    createdAt: Number.isFinite(ts) && ts > 0 ? new Date(ts).toISOString() : 'unknown',
  };
}

/** A report's dated folder, e.g. `2026-11-30T01-00Z/`. */
const REPORT_FOLDER = /(^|\/)\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z\/$/;

/** The newest report folder among a listing's common prefixes (names sort by date). */
export function newestReport(prefixes: readonly string[]): string | undefined {
  return prefixes.filter((p) => REPORT_FOLDER.test(p)).sort().pop();
}

/**
 * The inventory configuration's folder for a report location: `<prefix>/<source bucket>/<config id>/`
 * (the folder that holds the dated report folders, `data/` and `hive/`).
 */
export function configFolderOf(manifestKey: string): string {
  return manifestKey.replace(/[^/]+\/manifest\.json$/, '');
}
