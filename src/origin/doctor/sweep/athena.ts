/**
 * The Athena statements for a bucket too big for one machine: a table over the inventory
 * configuration's Hive folder (as AWS documents for S3 Inventory: the columns the manifest lists,
 * one `dt` partition per report), and a SELECT that puts each object under the first cause that
 * applies to it, with counts and five example keys per cause. Pure: the manifest and the bucket's
 * facts in, SQL text out.
 */
import type { OriginAccess } from '../facts';
import type { InventoryManifest } from './inventory/manifest';
import { configFolderOf } from './inventory/manifest';

/** Athena types of S3 Inventory's Parquet and ORC columns; CSV columns are all strings. */
const TYPES: Record<string, string> = {
  size: 'bigint',
  is_latest: 'boolean',
  is_delete_marker: 'boolean',
  is_multipart_uploaded: 'boolean',
  last_modified_date: 'timestamp',
  object_lock_retain_until_date: 'timestamp',
  intelligent_tiering_reference_date: 'timestamp',
  lifecycle_expiration_date: 'timestamp',
};

const SERDE: Record<InventoryManifest['format'], string> = {
  CSV: "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'",
  Parquet: "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'",
  ORC: "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.orc.OrcSerde'",
};

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface AthenaFacts {
  readonly bucket: string;
  readonly prefix: string;
  /** The bucket owner's canonical ID; undefined when unknown or ACLs are disabled (no object is foreign-owned). */
  readonly foreignUnless?: string;
  readonly access: OriginAccess;
  /** ACLs enabled: an ACL grant can matter. */
  readonly aclsEnabled: boolean;
}

export function tableName(bucket: string): string {
  return `edgelock_inventory_${bucket.replace(/[^a-z0-9]/g, '_')}`;
}

/** The report's partition value: its folder `2026-11-30T01-00Z/` → `2026-11-30-01-00`. */
export function partitionOf(manifestKey: string): string | undefined {
  const m = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})Z\/manifest\.json$/.exec(manifestKey);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

export function athenaQueries(m: InventoryManifest, f: AthenaFacts): { createTable: string; select: string } {
  const table = tableName(f.bucket);
  const csv = m.format === 'CSV';
  const cols = m.columns.map((c) => `  \`${c}\` ${csv ? 'string' : (TYPES[c] ?? 'string')}`).join(',\n');
  const location = `s3://${m.destinationBucket}/${configFolderOf(m.location.key)}hive/`;
  const createTable = [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`,
    cols,
    ')',
    'PARTITIONED BY (dt string)',
    SERDE[m.format],
    "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'",
    `LOCATION ${lit(location)}`,
    'TBLPROPERTIES (',
    "  'projection.enabled' = 'true',",
    "  'projection.dt.type' = 'date',",
    "  'projection.dt.format' = 'yyyy-MM-dd-HH-mm',",
    "  'projection.dt.range' = '2016-01-01-00-00,NOW',",
    "  'projection.dt.interval' = '1',",
    "  'projection.dt.interval.unit' = 'HOURS'",
    ');',
  ].join('\n');

  const has = (c: string) => m.columns.includes(c);
  const t = (v: string) => (csv ? lit(v) : v);
  const key = csv ? 'url_decode(key)' : 'key';
  const when: string[] = [];
  const archived: string[] = [];
  if (has('storage_class')) archived.push("storage_class IN ('GLACIER', 'DEEP_ARCHIVE')");
  if (has('intelligent_tiering_access_tier')) archived.push("intelligent_tiering_access_tier IN ('ARCHIVE', 'DEEP_ARCHIVE', 'ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS')");
  if (archived.length) when.push(`    WHEN ${archived.join(' OR ')} THEN 'object-archived'`);
  if (has('encryption_status')) when.push("    WHEN encryption_status = 'SSE-C' THEN 'object-sse-c'");
  if (f.foreignUnless && has('object_owner')) when.push(`    WHEN object_owner <> ${lit(f.foreignUnless)} AND object_owner <> 'UNAVAILABLE' THEN 'object-foreign-owner'`);
  if (f.aclsEnabled && has('object_access_control_list')) {
    const grantee = f.access.kind === 'oai' ? f.access.canonicalUserId : f.access.kind === 'none' ? 'http://acs.amazonaws.com/groups/global/AllUsers' : undefined;
    if (grantee) when.push(`    WHEN strpos(from_utf8(from_base64(object_access_control_list)), ${lit(`"${grantee}"`)}) > 0 THEN 'object-acl-grant (readable only through the ACL unless the bucket policy grants it)'`);
  }
  if (has('encryption_status')) when.push("    WHEN encryption_status IN ('SSE-KMS', 'DSSE-KMS') THEN 'sse-kms (run edgelock doctor --key on an example: the key policy decides)'");
  const where = [`dt = ${lit(partitionOf(m.location.key) ?? 'YYYY-MM-DD-HH-MM')}`];
  if (f.prefix) where.push(`${key} LIKE ${lit(`${f.prefix.replace(/[%_\\]/g, '\\$&')}%`)} ESCAPE '\\'`);
  where.push(`${key} NOT LIKE '%/'`);
  if (has('is_latest')) where.push(`is_latest = ${t('true')}`);
  if (has('is_delete_marker')) where.push(`is_delete_marker = ${t('false')}`);
  const select = [
    'SELECT cause, count(*) AS objects, slice(array_agg(key), 1, 5) AS examples',
    'FROM (',
    `  SELECT ${key} AS key, CASE`,
    ...when,
    "    ELSE 'ok' END AS cause",
    `  FROM ${table}`,
    `  WHERE ${where.join('\n    AND ')}`,
    ')',
    'GROUP BY cause',
    'ORDER BY objects DESC;',
  ].join('\n');
  return { createTable, select };
}
