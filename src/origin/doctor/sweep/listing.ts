/**
 * The sweep by listing: ListObjectsV2 page by page (FetchOwner, the next page asked for while this
 * one is read), then for each object its ACL (only where an ACL can matter) and its metadata
 * (HeadObject: encryption, archive tier, restore), a bounded number at a time. At most two pages
 * are held at once, whatever the size of the bucket.
 */
import type { HeadObjectCommandOutput, S3Client, _Object } from '@aws-sdk/client-s3';
import { runPool } from '../../pool';
import type { Fetched } from '../aws';
import { fact, headObject, listPage, objectAcl, unknownFact } from './read';
import type { Fact, ObjectEncryption, SweptObject } from './types';

export interface ListingOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  /** Read object ACLs (ACLs enabled and an origin an ACL can grant: OAI or anonymous). */
  readonly readAcls: boolean;
  readonly concurrency: number;
  /** Keys per ListObjectsV2 page (S3's default and maximum is 1,000). */
  readonly pageSize?: number;
  /** Stop once this many objects were read and `onLimit` says so (the caller switches to an inventory). */
  readonly limit?: number;
  readonly onLimit?: () => Promise<boolean>;
  readonly onObject: (o: SweptObject) => Promise<void>;
}

export type ListingOutcome = { readonly kind: 'done' } | { readonly kind: 'stopped-at-limit' } | { readonly kind: 'refused'; readonly fact: Fact<never> & { ok: false } };

function encryptionOf(h: HeadObjectCommandOutput): ObjectEncryption {
  if (h.SSECustomerAlgorithm) return { algorithm: 'SSE-C' };
  return { ...(h.ServerSideEncryption ? { algorithm: h.ServerSideEncryption } : {}), ...(h.SSEKMSKeyId ? { keyId: h.SSEKMSKeyId } : {}) };
}

/** One listed object with its own reads; undefined when it was deleted since the listing. */
export async function readObject(o: ListingOptions, c: _Object): Promise<SweptObject | undefined> {
  const key = c.Key!;
  const [acl, head] = await Promise.all([o.readAcls ? objectAcl(o.s3, o.bucket, key) : undefined, headObject(o.s3, o.bucket, key)]);
  if (!head.ok && head.status === 404) return undefined;
  const owner: Fact<string> = c.Owner?.ID ? { ok: true, value: c.Owner.ID } : { ok: false, why: 'the listing gave no owner', fix: 'list with credentials of the bucket owner\'s account' };
  const grants: Fact<SweptObject['grants'] extends Fact<infer G> ? G : never> = acl ? fact(acl, 'the object ACL', (a) => a.Grants ?? []) : { ok: true, value: null };
  const headFact = <T>(map: (h: HeadObjectCommandOutput) => T, what: string): Fact<T> => {
    if (head.ok) return { ok: true, value: map(head.value) };
    // A HEAD without the customer key of an SSE-C object answers 400, with no body to say why.
    if (head.status === 400) return { ok: false, why: `${what} could not be read: HeadObject answered 400 with no body (what an SSE-C object answers without its key)`, fix: 'check one of these keys with aws s3api head-object; upload SSE-C objects again with SSE-S3 or SSE-KMS' };
    return unknownFact(head as Fetched<unknown> & { ok: false }, what);
  };
  return {
    key,
    storageClass: { ok: true, value: c.StorageClass ?? 'STANDARD' },
    archiveTier: headFact((h) => h.ArchiveStatus ?? null, 'the Intelligent-Tiering access tier'),
    ...(head.ok && head.value.Restore ? { restored: /ongoing-request="false"/.test(head.value.Restore) } : {}),
    owner,
    grants,
    encryption: headFact(encryptionOf, 'the object\'s encryption'),
  };
}

export async function sweepListing(o: ListingOptions): Promise<ListingOutcome> {
  let seen = 0;
  let asked = false;
  let next = listPage(o.s3, o.bucket, o.prefix, undefined, o.pageSize);
  for (;;) {
    const page = await next;
    if (!page.ok) return { kind: 'refused', fact: unknownFact(page, 'the bucket\'s objects') };
    const token = page.value.IsTruncated ? page.value.NextContinuationToken : undefined;
    if (token) next = listPage(o.s3, o.bucket, o.prefix, token, o.pageSize);
    // Folder markers ("docs/") are not objects CloudFront serves.
    const items = (page.value.Contents ?? []).filter((c) => c.Key && !c.Key.endsWith('/'));
    await runPool(items, o.concurrency, async (c) => {
      const swept = await readObject(o, c);
      if (swept) await o.onObject(swept);
    });
    seen += items.length;
    if (!token) return { kind: 'done' };
    if (o.limit !== undefined && seen >= o.limit && o.onLimit && !asked) {
      // Asked once: without an inventory to switch to, the listing goes on to the end.
      asked = true;
      if (await o.onLimit()) {
        await next.catch(() => undefined);
        return { kind: 'stopped-at-limit' };
      }
    }
  }
}
