/**
 * Reading an S3 Inventory report for the sweep: find the manifest (given, or the newest report of
 * an inventory configuration of the bucket), check it is this bucket's, then stream its data files
 * (CSV gzip, or Parquet one row group at a time) as objects. ORC is refused: no maintained ORC
 * reader exists for JavaScript; the Athena query (athena.ts) reads ORC where it lives.
 */
import type { InventoryConfiguration, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { EdgelockError } from '../../../../errors';
import type { Fetched } from '../../aws';
import { getObject as get, inventoryConfigurations, listFolders, unknownFact } from '../read';
import { csvRows } from './csv';
import { configFolderOf, newestReport, parseManifest, type InventoryManifest, type S3Location } from './manifest';
import { parquetRows } from './parquet';
import { inventoryObject, type InventoryObject, type RowContext } from './rows';

export { parseS3Uri, type InventoryManifest, type S3Location } from './manifest';

/** A refused read of the inventory: nothing can be swept from it. */
function refused(f: Fetched<unknown> & { ok: false }, what: string): EdgelockError {
  const u = unknownFact(f, what);
  return new EdgelockError(`${u.why}, so nothing was swept: ${u.fix}`, { code: 'SWEEP_REFUSED', exitCode: 2 });
}

function invalid(message: string): EdgelockError {
  return new EdgelockError(message, { code: 'SWEEP_INVENTORY_INVALID', exitCode: 2 });
}

async function must<T>(f: Fetched<T>, what: string): Promise<T> {
  if (f.ok) return f.value;
  if (f.denied) throw refused(f, what);
  throw invalid(`${what} could not be read: ${f.code}${f.status ? ` (HTTP ${f.status})` : ''}: ${f.message}`);
}

function getObject(s3: S3Client, at: S3Location, range?: [number, number]) {
  return get(s3, at.bucket, at.key, range);
}

/** The manifest at `at`: a manifest.json, or the newest report under an inventory configuration's folder. */
export async function locateManifest(s3: S3Client, at: S3Location): Promise<InventoryManifest> {
  let key = at.key;
  if (!/(^|\/)manifest\.json$/.test(key)) {
    const folder = key === '' || key.endsWith('/') ? key : `${key}/`;
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const page = await must(
        await listFolders(s3, at.bucket, folder, token),
        `the inventory folder s3://${at.bucket}/${folder}`,
      );
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const newest = newestReport(prefixes);
    if (!newest) {
      throw invalid(`no inventory report under s3://${at.bucket}/${folder}: give the folder of one inventory configuration (s3://DESTINATION/PREFIX/SOURCE-BUCKET/CONFIGURATION-ID/, which holds one dated folder per report) or the s3:// URI of a report's manifest.json`);
    }
    key = `${newest}manifest.json`;
  }
  const location = { bucket: at.bucket, key };
  const body = await must(await getObject(s3, location), `the inventory manifest s3://${location.bucket}/${key}`);
  return parseManifest(location, await body.Body!.transformToString());
}

/** Throws unless the manifest is a report of `bucket` in a format edgelock reads. */
export function checkManifest(m: InventoryManifest, bucket: string): void {
  if (m.sourceBucket !== bucket) throw invalid(`the inventory at s3://${m.location.bucket}/${m.location.key} lists bucket ${m.sourceBucket}, not ${bucket}: give an inventory of ${bucket}`);
  if (m.format === 'ORC') {
    throw new EdgelockError(
      `the inventory at s3://${m.location.bucket}/${m.location.key} is ORC, which edgelock cannot read (no maintained ORC reader exists for JavaScript): change the inventory configuration's format to CSV or Parquet (aws s3api put-bucket-inventory-configuration ... Destination.S3BucketDestination.Format=Parquet) and sweep its next report, sweep by listing (leave out --inventory), or run \`edgelock doctor --sweep --athena\` to print the Athena query that reads this ORC report where it is`,
      { code: 'SWEEP_INVENTORY_ORC', exitCode: 2 },
    );
  }
}

/** The objects of a report in batches of at most `batch`; a batch is what is held at once. */
export async function* inventoryObjects(s3: S3Client, m: InventoryManifest, ctx: Omit<RowContext, 'columns' | 'encodedKeys'>, prefix: string, batch = 1000): AsyncGenerator<InventoryObject[]> {
  const rowCtx: RowContext = { ...ctx, columns: new Set(m.columns), encodedKeys: m.format === 'CSV' };
  let out: InventoryObject[] = [];
  for (const f of m.files) {
    const at = { bucket: m.destinationBucket, key: f.key };
    const where = `the inventory file s3://${at.bucket}/${at.key}`;
    let rows: AsyncGenerator<Record<string, unknown>>;
    if (m.format === 'CSV') {
      const body = await must(await getObject(s3, at), where);
      rows = csvRows(body.Body as Readable, m.columns);
    } else {
      rows = parquetRows(f.size, async (start, end) => {
        const r = await must(await getObject(s3, at, [start, end]), where);
        return r.Body!.transformToByteArray();
      }, m.columns);
    }
    try {
      for await (const row of rows) {
        const o = inventoryObject(row, rowCtx, prefix);
        if (!o) continue;
        out.push(o);
        if (out.length >= batch) {
          yield out;
          out = [];
        }
      }
    } catch (err) {
      if (err instanceof EdgelockError) throw err;
      throw invalid(`${where} could not be read as ${m.format}: ${(err as Error).message}`);
    }
  }
  if (out.length) yield out;
}

/** Prefer the formats edgelock reads, then the configurations with more of the fields the sweep uses. */
function score(c: InventoryConfiguration): number {
  const fields = new Set(c.OptionalFields ?? []);
  const useful = ['ObjectOwner', 'ObjectAccessControlList', 'EncryptionStatus', 'StorageClass', 'IntelligentTieringAccessTier'].filter((f) => fields.has(f as 'ObjectOwner')).length;
  return (c.Destination?.S3BucketDestination?.Format === 'ORC' ? 0 : 10) + useful;
}

/**
 * The folder of the bucket's best enabled inventory configuration that covers `prefix`
 * (`s3://DESTINATION/PREFIX/SOURCE-BUCKET/ID/`), or undefined when it has none (or may not be read).
 */
export async function configuredInventory(s3: S3Client, bucket: string, prefix: string): Promise<{ location: S3Location; id: string } | undefined> {
  const configs: InventoryConfiguration[] = [];
  let token: string | undefined;
  do {
    const page = await inventoryConfigurations(s3, bucket, token);
    if (!page.ok) return undefined;
    configs.push(...(page.value.InventoryConfigurationList ?? []));
    token = page.value.IsTruncated ? page.value.NextContinuationToken : undefined;
  } while (token);
  const best = configs.filter((c) => c.IsEnabled && prefix.startsWith(c.Filter?.Prefix ?? '')).sort((a, b) => score(b) - score(a))[0];
  const dest = best?.Destination?.S3BucketDestination;
  if (!best?.Id || !dest?.Bucket) return undefined;
  const destPrefix = dest.Prefix ? `${dest.Prefix.replace(/\/+$/, '')}/` : '';
  return { location: { bucket: dest.Bucket.replace(/^arn:aws[a-z-]*:s3:::/, ''), key: `${destPrefix}${bucket}/${best.Id}/` }, id: best.Id };
}

export { configFolderOf };
