/**
 * The sweep's per-object AWS reads, and AWS answers turned into facts. Unlike the doctor's reads
 * (read.ts), nothing here is memoized: a sweep reads each object once, and its memory must not grow
 * with the bucket. A refusal becomes an unknown fact naming the action and the kind of policy;
 * AWS not reached still throws (AwsUnreachableError), which stops the sweep.
 */
import { GetObjectAclCommand, GetObjectCommand, HeadObjectCommand, ListBucketInventoryConfigurationsCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { actionOfCall, fetchAws, type Fetched } from '../aws';
import { describeRefusal } from '../denial';
import { deniedFix } from '../checks/result';
import type { Fact } from './types';

/** A failed answer as an unknown fact. The reason never holds the object's key, so objects refused alike share one line. */
export function unknownFact(f: Fetched<unknown> & { ok: false }, what: string): { ok: false; why: string; fix: string } {
  const action = f.refusal?.action ?? actionOfCall(f.call);
  if (f.denied) return { ok: false, why: `${what} could not be read: ${action} was refused (${describeRefusal(f.refusal ?? {})})`, fix: deniedFix(action, f) };
  return { ok: false, why: `${what} could not be read: ${f.call.replace(/\(.*$/, '')} answered ${f.code}${f.status ? ` (HTTP ${f.status})` : ''}`, fix: 'run the sweep again; if it persists, look at one of these keys with `edgelock doctor --key`' };
}

export function fact<T, U>(f: Fetched<T>, what: string, map: (v: T) => U): Fact<U> {
  return f.ok ? { ok: true, value: map(f.value) } : unknownFact(f, what);
}

export function listPage(s3: S3Client, bucket: string, prefix: string, token: string | undefined, maxKeys?: number): Promise<Fetched<ListObjectsV2CommandOutput>> {
  return fetchAws(`s3:ListObjectsV2(Bucket=${bucket}, Prefix=${prefix}, FetchOwner=true)`, () =>
    s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, FetchOwner: true, ...(token ? { ContinuationToken: token } : {}), ...(maxKeys ? { MaxKeys: maxKeys } : {}) })),
  );
}

export function objectAcl(s3: S3Client, bucket: string, key: string) {
  return fetchAws(`s3:GetObjectAcl(Bucket=${bucket}, Key=${key})`, () => s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: key })));
}

export function headObject(s3: S3Client, bucket: string, key: string) {
  return fetchAws(`s3:HeadObject(Bucket=${bucket}, Key=${key})`, () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
}

/** One page of the folders (common prefixes) under `prefix`. */
export function listFolders(s3: S3Client, bucket: string, prefix: string, token: string | undefined) {
  return fetchAws(`s3:ListObjectsV2(Bucket=${bucket}, Prefix=${prefix}, Delimiter=/)`, () =>
    s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) })),
  );
}

/** An object's body, or `[start, end)` of it. */
export function getObject(s3: S3Client, bucket: string, key: string, range?: [number, number]) {
  const bytes = range ? `bytes=${range[0]}-${range[1] - 1}` : undefined;
  return fetchAws(`s3:GetObject(Bucket=${bucket}, Key=${key}${bytes ? `, Range=${bytes}` : ''})`, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(bytes ? { Range: bytes } : {}) })));
}

export function inventoryConfigurations(s3: S3Client, bucket: string, token: string | undefined) {
  return fetchAws(`s3:ListBucketInventoryConfigurations(Bucket=${bucket})`, () => s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) })));
}
