/**
 * Does this deploy need a full listing of the bucket under the prefix, or is the last deploy
 * record enough? A pure decision (docs/deploy.md, "Speed", says the same).
 *
 * The record says what edgelock left in the bucket: every object of the site with the ETag S3
 * stored. When it can be trusted to still describe the bucket, a re-deploy plans from it: an
 * unchanged file is one whose MD5 the record lists for its key, a changed or new one is uploaded
 * (a PUT replaces whatever the key held), and only the keys the record lists that the site no
 * longer has are read, one HEAD each, because a key is deleted only when it still carries the ETag
 * edgelock wrote. A full listing is made instead when the record cannot be trusted to describe the
 * bucket, or when the deploy must see keys the record does not list.
 */
import type { RemoteObject } from './changes';
import type { RecordFact } from './plan';
import { writtenByEdgelock } from './record';

/** HEADs at most; past this a listing is cheaper (one request per 1,000 keys). */
export const MAX_HEADS = 100;

export type ListingNeed =
  | { readonly list: true; readonly reason: string }
  /** Plan from the record; `heads` are the recorded keys the site no longer has, to read one by one. */
  | { readonly list: false; readonly heads: readonly string[] };

export interface ListingInput {
  readonly record: RecordFact;
  /** IDs of pending markers newer than the last record (record.ts pendingMarkers). */
  readonly pendingNewer: readonly string[];
  readonly bucket: string;
  readonly prefix: string;
  /** The site's keys (with the prefix). */
  readonly localKeys: ReadonlySet<string>;
  readonly dryRun: boolean;
  readonly adopt: boolean;
  /** --full-listing */
  readonly fullListing: boolean;
  /** @default MAX_HEADS */
  readonly maxHeads?: number;
}

export function listingNeed(i: ListingInput): ListingNeed {
  const list = (reason: string): ListingNeed => ({ list: true, reason });
  if (i.fullListing) return list('--full-listing');
  if (i.record.kind === 'none') return list('no deploy record yet');
  if (i.record.kind === 'invalid') return list('the last deploy record is not trusted');
  const { record } = i.record;
  if (record.bucket !== i.bucket || record.prefix !== i.prefix) return list(`the last record describes ${record.bucket}/${record.prefix}, not ${i.bucket}/${i.prefix}`);
  if (i.adopt) return list('--adopt prunes every key under the prefix, recorded or not');
  if (i.dryRun) return list('a dry run shows every key under the prefix, those edgelock did not write included');
  if (i.pendingNewer.length > 0) {
    return list(`deploy ${i.pendingNewer[i.pendingNewer.length - 1]} started writing after the last record and wrote no record of its own (it failed or was stopped), so the bucket may differ from the record`);
  }
  const heads = [...writtenByEdgelock(record).keys()].filter((k) => !i.localKeys.has(k)).sort();
  const maxHeads = i.maxHeads ?? MAX_HEADS;
  if (heads.length > maxHeads) return list(`${heads.length} recorded keys the site no longer has, more than ${maxHeads} to read one by one`);
  return { list: false, heads };
}

/**
 * The bucket as the record describes it, for the site's keys the record lists (their ETags and
 * sizes as S3 stored them), plus what the HEADs found for the others.
 */
export function remoteFromRecord(record: RecordFact, localKeys: ReadonlySet<string>, headed: readonly (RemoteObject | undefined)[]): RemoteObject[] {
  const written = writtenByEdgelock(record.kind === 'found' ? record.record : undefined);
  const out: RemoteObject[] = [];
  for (const [key, w] of written) if (localKeys.has(key)) out.push({ key, etag: w.etag, size: w.size });
  for (const h of headed) if (h) out.push(h);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
