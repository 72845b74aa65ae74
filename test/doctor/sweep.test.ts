/**
 * `doctor --sweep`: a bucket's objects, listed page by page from a world shaped like S3's wire
 * answers (owners, storage classes, archive tiers, encryption, ACLs, refusals), and S3 Inventory
 * reports (CSV gzip, Parquet, ORC) read over real HTTP from s3rver.
 */
import { gzipSync } from 'node:zlib';
import { PassThrough } from 'node:stream';
import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type Grant,
  type InventoryConfiguration,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { doctorCommand } from '../../src/cli/commands/doctor';
import { isEdgelockError } from '../../src/errors';
import type { DoctorClients } from '../../src/origin/doctor';
import { athenaForInventory, renderSweep, runSweep, type SweepOptions, type SweepReport } from '../../src/origin/doctor/sweep';
import { parseCsvLine } from '../../src/origin/doctor/sweep/inventory/csv';
import { schemaColumns } from '../../src/origin/doctor/sweep/inventory/manifest';
import { inventoryObject, parseInventoryAcl } from '../../src/origin/doctor/sweep/inventory/rows';
import { accessDeniedMessage, s3Error, s3HeadError } from '../helpers/aws-errors';
import { runInProcess } from '../helpers/cli';
import { validConfig, writeJsonConfig } from '../helpers/config';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';
import { ACCOUNT, BUCKET, DIST, ENV, KMS_KEY, OAI_CANONICAL, OAI_ID, OWNER_ID, TOOLS_ID, distribution, edgeFor, healthyWorld, mockWorld, oacPolicy, oaiPolicy, type World } from './world';

interface Obj {
  owner?: string;
  storageClass?: string;
  sse?: string;
  kmsKeyId?: string;
  archiveStatus?: string;
  restore?: string;
  grants?: Grant[];
  /** HeadObject answers this status (no body): 403 refused to the caller, 400 an SSE-C object without its key. */
  head?: 400 | 403;
  /** GetObjectAcl refused to the caller. */
  aclRefused?: boolean;
}

interface S3World {
  ownership: 'BucketOwnerEnforced' | 'ObjectWriter' | null;
  policy: object | null;
  objects: Record<string, Obj>;
  refuse?: ('s3:GetBucketAcl' | 's3:ListBucket')[];
  inventories?: InventoryConfiguration[];
}

const ownerGrant = (id: string): Grant => ({ Grantee: { Type: 'CanonicalUser', ID: id }, Permission: 'FULL_CONTROL' });
const denied = (action: string) => s3Error('AccessDenied', 403, accessDeniedMessage({ action, resource: `arn:aws:s3:::${BUCKET}`, policy: 'identity-based policy' }));

/** S3 of the sweep's world, as the SDK parses S3's wire answers; `calls` records ListObjectsV2 inputs. */
function mockS3(w: S3World): { client: S3Client; lists: { ContinuationToken?: string; MaxKeys?: number }[]; aclCalls: () => number } {
  const client = new S3Client({ region: ENV.region });
  const m = mockClient(client);
  const lists: { ContinuationToken?: string; MaxKeys?: number }[] = [];
  m.on(GetBucketOwnershipControlsCommand).callsFake(() => {
    if (!w.ownership) throw s3Error('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
    return { OwnershipControls: { Rules: [{ ObjectOwnership: w.ownership }] } };
  });
  m.on(GetBucketAclCommand).callsFake(() => {
    if (w.refuse?.includes('s3:GetBucketAcl')) throw denied('s3:GetBucketAcl');
    return { Owner: { ID: OWNER_ID }, Grants: [ownerGrant(OWNER_ID)] };
  });
  m.on(GetBucketPolicyCommand).callsFake(() => {
    if (!w.policy) throw s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return { Policy: JSON.stringify(w.policy) };
  });
  m.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; MaxKeys?: number; ContinuationToken?: string; FetchOwner?: boolean }) => {
    lists.push({ ...(input.ContinuationToken ? { ContinuationToken: input.ContinuationToken } : {}), ...(input.MaxKeys ? { MaxKeys: input.MaxKeys } : {}) });
    if (w.refuse?.includes('s3:ListBucket')) throw denied('s3:ListBucket');
    const all = Object.keys(w.objects).filter((k) => k.startsWith(input.Prefix ?? '')).sort();
    const start = input.ContinuationToken ? all.indexOf(Buffer.from(input.ContinuationToken, 'base64').toString()) + 1 : 0;
    const max = input.MaxKeys ?? 1000;
    const keys = all.slice(start, start + max);
    const truncated = start + max < all.length;
    return {
      Name: BUCKET,
      Prefix: input.Prefix ?? '',
      MaxKeys: max,
      KeyCount: keys.length,
      IsTruncated: truncated,
      ...(input.ContinuationToken ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(truncated ? { NextContinuationToken: Buffer.from(keys[keys.length - 1]!).toString('base64') } : {}),
      Contents: keys.map((k) => ({ Key: k, LastModified: new Date('2026-11-01T00:00:00Z'), ETag: '"d41d8cd98f00b204e9800998ecf8427e"', Size: 10, StorageClass: w.objects[k]!.storageClass ?? 'STANDARD', ...(input.FetchOwner ? { Owner: { ID: w.objects[k]!.owner ?? OWNER_ID } } : {}) })),
    };
  });
  const owned = (o: Obj) => (o.owner ?? OWNER_ID) === OWNER_ID || w.ownership === 'BucketOwnerEnforced';
  let acls = 0;
  m.on(GetObjectAclCommand).callsFake((input: { Key: string }) => {
    acls++;
    const o = w.objects[input.Key];
    if (!o) throw s3Error('NoSuchKey', 404, 'The specified key does not exist.');
    const readAcp = (o.grants ?? []).some((g) => g.Grantee?.ID === OWNER_ID && /READ_ACP|FULL_CONTROL/.test(g.Permission ?? ''));
    if (o.aclRefused || (!owned(o) && !readAcp)) throw s3Error('AccessDenied', 403, 'Access Denied');
    return { Owner: { ID: o.owner ?? OWNER_ID }, Grants: o.grants ?? [ownerGrant(o.owner ?? OWNER_ID)] };
  });
  m.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const o = w.objects[input.Key];
    if (!o) throw s3HeadError(404);
    if (o.head) throw s3HeadError(o.head);
    if (!owned(o)) throw s3HeadError(403);
    return {
      ContentLength: 10,
      ContentType: 'text/html',
      ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
      LastModified: new Date('2026-11-01T00:00:00Z'),
      ServerSideEncryption: o.sse ?? 'AES256',
      ...(o.kmsKeyId ? { SSEKMSKeyId: o.kmsKeyId } : {}),
      ...(o.storageClass && o.storageClass !== 'STANDARD' ? { StorageClass: o.storageClass } : {}),
      ...(o.archiveStatus ? { ArchiveStatus: o.archiveStatus } : {}),
      ...(o.restore ? { Restore: o.restore } : {}),
    };
  });
  m.on(ListBucketInventoryConfigurationsCommand).resolves({ IsTruncated: false, InventoryConfigurationList: w.inventories ?? [] });
  return { client, lists, aclCalls: () => acls };
}

/** A key policy that grants only the account's administrators, not CloudFront. */
const ADMIN_ONLY_KEY_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };

function clientsFor(w: Partial<World>, s3: S3Client): DoctorClients {
  return { ...mockWorld({ ...healthyWorld(), kms: { policy: ADMIN_ONLY_KEY_POLICY, manager: 'CUSTOMER' }, ...w }), s3 };
}

const sweepOf = (clients: DoctorClients, extra: Partial<SweepOptions> = {}) => runSweep({ env: ENV, distributionId: DIST, clients, edge: edgeFor(ENV), deployPrefix: '', ...extra });
const group = (r: SweepReport, code: string) => r.groups.find((g) => g.code === code);
const counts = (r: SweepReport) => {
  const out: Record<string, number> = {};
  for (const g of r.groups) out[`${g.kind}:${g.code}`] = (out[`${g.kind}:${g.code}`] ?? 0) + g.count;
  return out;
};

/** The seed's bucket, swept: ACLs on, objects of every kind. */
function mixedBucket(): S3World {
  return {
    ownership: 'ObjectWriter',
    policy: oacPolicy(),
    objects: {
      'index.html': {},
      'a/one.html': { owner: TOOLS_ID },
      'a/two.html': { owner: TOOLS_ID },
      'docs/': {},
      'old/report.pdf': { storageClass: 'GLACIER' },
      'old/restored.pdf': { storageClass: 'GLACIER', restore: 'ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"' },
      'it/deep.bin': { storageClass: 'INTELLIGENT_TIERING', archiveStatus: 'DEEP_ARCHIVE_ACCESS' },
      'it/warm.bin': { storageClass: 'INTELLIGENT_TIERING' },
      'kms/data.json': { sse: 'aws:kms', kmsKeyId: KMS_KEY },
      'private/x.html': { head: 403 },
      'enc/customer.bin': { head: 400 },
    },
  };
}

describe('sweep by listing', () => {
  test('every cause counted with example keys, pages followed, folder markers skipped, no ACL read behind an OAC', async () => {
    const s3 = mockS3(mixedBucket());
    const r = await sweepOf(clientsFor({}, s3.client), { pageSize: 3, concurrency: 2 });
    expect(r.source).toBe('listing');
    expect(r.objects).toBe(10);
    expect(counts(r)).toEqual({
      'problem:object-foreign-owner': 2,
      'problem:object-archived': 2,
      'problem:kms-key-lacks-cloudfront-grant': 1,
      'unknown:encryption': 2,
    });
    expect(r.objectsWithProblems).toBe(5);
    expect(r.objectsUndecided).toBe(2);
    expect(group(r, 'object-foreign-owner')!.examples).toEqual(['a/one.html', 'a/two.html']);
    expect(group(r, 'object-archived')!.examples.slice().sort()).toEqual(['it/deep.bin', 'old/report.pdf']);
    expect(group(r, 'kms-key-lacks-cloudfront-grant')!.detail).toContain(KMS_KEY);
    // The refused HEAD and the bodiless 400 are told apart, and neither is a problem.
    const enc = r.groups.filter((g) => g.code === 'encryption').map((g) => g.detail);
    expect(enc).toEqual(expect.arrayContaining([expect.stringMatching(/s3:GetObject was refused/), expect.stringMatching(/400 with no body.*SSE-C/)]));
    // 11 keys, 3 a page: 4 pages, each after the first asked with the previous page's token.
    expect(s3.lists).toHaveLength(4);
    expect(s3.lists.slice(1).every((l) => l.ContinuationToken && l.MaxKeys === 3)).toBe(true);
    expect(s3.aclCalls()).toBe(0);
    const text = renderSweep(r);
    expect(text).toMatch(/PROBLEMS: 5 of 10 objects cannot be read by CloudFront/);
    expect(text).toMatch(/object-foreign-owner: 2 object\(s\).*\n\s+e\.g\. a\/one\.html, a\/two\.html\n\s+Fix: run `edgelock fix ownership --env prod`/);
  });

  test('behind an OAI: access only through an object ACL, keys the policy does not grant, a refused ACL left undecided', async () => {
    const oaiGrant: Grant = { Grantee: { Type: 'CanonicalUser', ID: OAI_CANONICAL }, Permission: 'READ' };
    const policy = oaiPolicy();
    (policy as { Statement: { Resource: string }[] }).Statement[0]!.Resource = `arn:aws:s3:::${BUCKET}/assets/*`;
    const s3 = mockS3({
      ownership: 'ObjectWriter',
      policy,
      objects: {
        'assets/app.js': {},
        'legacy/page.html': { grants: [ownerGrant(OWNER_ID), oaiGrant] },
        'legacy/foreign.html': { owner: TOOLS_ID, grants: [ownerGrant(TOOLS_ID), { Grantee: { Type: 'CanonicalUser', ID: OWNER_ID }, Permission: 'READ_ACP' }, oaiGrant] },
        'legacy/hidden.html': { aclRefused: true },
        'other/plain.html': {},
      },
    });
    const r = await sweepOf(clientsFor({ distribution: distribution({ oaiId: OAI_ID }), oac: undefined }, s3.client));
    expect(counts(r)).toEqual({ 'problem:object-acl-only': 2, 'problem:object-not-granted': 1, 'unknown:ACL': 1 });
    expect(group(r, 'object-acl-only')!.examples.slice().sort()).toEqual(['legacy/foreign.html', 'legacy/page.html']);
    expect(group(r, 'object-not-granted')!.examples).toEqual(['other/plain.html']);
    expect(group(r, 'ACL')!.detail).toMatch(/s3:GetObjectAcl was refused/);
    expect(s3.aclCalls()).toBe(5);
  });

  test('BucketOwnerEnforced: no owner or ACL can matter, the bucket policy alone decides', async () => {
    const s3 = mockS3({ ...mixedBucket(), ownership: 'BucketOwnerEnforced', policy: null });
    const r = await sweepOf(clientsFor({}, s3.client));
    expect(group(r, 'object-foreign-owner')).toBeUndefined();
    expect(group(r, 'object-not-granted')!.count).toBe(10);
    // A cause keeps a few example keys, never all of them.
    expect(group(r, 'object-not-granted')!.examples).toHaveLength(5);
    expect(s3.aclCalls()).toBe(0);
  });
});

describe('the three outcomes in a sweep', () => {
  test('the bucket owner unreadable: other accounts\' objects are undecided, never foreign-owned', async () => {
    const s3 = mockS3({ ...mixedBucket(), refuse: ['s3:GetBucketAcl'] });
    const r = await sweepOf(clientsFor({}, s3.client));
    expect(group(r, 'object-foreign-owner')).toBeUndefined();
    expect(group(r, 'owner')!.count).toBe(10);
    expect(group(r, 'owner')!.detail).toMatch(/s3:GetBucketAcl was refused \(no identity-based policy allows it\)/);
    // The facts AWS did give still decide.
    expect(group(r, 'object-archived')!.count).toBe(2);
  });

  test('the listing refused: nothing swept, SWEEP_REFUSED naming s3:ListBucket, exit 2', async () => {
    const s3 = mockS3({ ...mixedBucket(), refuse: ['s3:ListBucket'] });
    const err = await sweepOf(clientsFor({}, s3.client)).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'SWEEP_REFUSED')).toBe(true);
    expect((err as Error).message).toMatch(/s3:ListBucket was refused \(no identity-based policy allows it\), so nothing was swept/);
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });

  test('AWS unreachable: AWS_UNREACHABLE, exit 2, no report', async () => {
    const s3 = mockS3(mixedBucket());
    const err = await sweepOf(clientsFor({ failure: 'unreachable' }, s3.client)).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'AWS_UNREACHABLE')).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });

  test('the distribution unreadable: access-dependent problems become unknown, owners and storage still decide', async () => {
    const s3 = mockS3(mixedBucket());
    const r = await sweepOf(clientsFor({ distribution: 'denied' }, s3.client));
    expect(group(r, 'kms-key-lacks-cloudfront-grant')?.kind).toBe('unknown');
    expect(group(r, 'object-foreign-owner')!.kind).toBe('problem');
    expect(r.notes.join('\n')).toMatch(/deploy\.prefix from the config/);
  });
});

describe('pure parts', () => {
  test('an inventory row: a missing field names the OptionalField to add; UNAVAILABLE is undecided; ACL grants decoded', () => {
    const ctx = { columns: new Set(['bucket', 'key', 'storage_class', 'object_access_control_list']), readAcls: true, encodedKeys: true };
    const o = inventoryObject({ bucket: BUCKET, key: 'a%2Fb+c.html', storage_class: 'GLACIER', object_access_control_list: Buffer.from(JSON.stringify({ status: 'AVAILABLE', grants: [{ type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' }] })).toString('base64') }, ctx, '')!;
    expect(o.object.key).toBe('a/b c.html');
    expect(o.object.storageClass).toEqual({ ok: true, value: 'GLACIER' });
    expect(o.object.owner).toEqual(expect.objectContaining({ ok: false, fix: expect.stringMatching(/add ObjectOwner to the inventory configuration's OptionalFields/) }));
    expect(o.object.encryption).toEqual(expect.objectContaining({ ok: false, why: expect.stringMatching(/no EncryptionStatus field/) }));
    expect(o.object.grants).toEqual({ ok: true, value: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] });
    expect(parseInventoryAcl(Buffer.from('{"status":"UNAVAILABLE"}').toString('base64'))).toEqual(expect.objectContaining({ ok: false, why: 'the inventory says the object ACL is UNAVAILABLE' }));
    // Outside the prefix, or a folder marker: not an object CloudFront serves.
    expect(inventoryObject({ key: 'other/x.html' }, ctx, 'site/')).toBeUndefined();
    expect(inventoryObject({ key: 'site/' }, ctx, 'site/')).toBeUndefined();
  });

  test('CSV fields: quoted, doubled quotes, empty fields', () => {
    expect(parseCsvLine('"a","b ""c""","",d')).toEqual(['a', 'b "c"', '', 'd']);
    expect(parseCsvLine('"x,y","z"')).toEqual(['x,y', 'z']);
  });
  test('column names of each format in one spelling', () => {
    expect(schemaColumns('CSV', 'Bucket, Key, ETag, IntelligentTieringAccessTier, ObjectOwner')).toEqual(['bucket', 'key', 'e_tag', 'intelligent_tiering_access_tier', 'object_owner']);
    expect(schemaColumns('Parquet', 'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary object_owner (UTF8); }')).toEqual(['bucket', 'key', 'object_owner']);
    expect(schemaColumns('ORC', 'struct<bucket:string,key:string,size:bigint>')).toEqual(['bucket', 'key', 'size']);
  });
});

// ---------------------------------------------------------------------------------------------
// S3 Inventory reports, in s3rver.

const INV = 'acme-inventory';
const FOLDER = `inv/${BUCKET}/all/`;
const CSV_FIELDS = ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', 'Size', 'StorageClass', 'EncryptionStatus', 'IntelligentTieringAccessTier', 'ObjectOwner', 'ObjectAccessControlList'];
const acl = (grants: object[]) => Buffer.from(JSON.stringify({ version: '2022-11-10', status: 'AVAILABLE', grants })).toString('base64');
const OWNER_ACL = acl([{ canonicalId: OWNER_ID, type: 'CanonicalUser', permission: 'FULL_CONTROL' }]);

/** Rows as S3 Inventory writes them (keys not yet URL-encoded). */
const ROWS: (string | boolean)[][] = [
  [BUCKET, 'index.html', 'v1', true, false, '10', 'STANDARD', 'SSE-S3', '', OWNER_ID, OWNER_ACL],
  [BUCKET, 'docs/my page+1.html', 'v1', true, false, '10', 'STANDARD', 'SSE-S3', '', TOOLS_ID, acl([{ canonicalId: TOOLS_ID, type: 'CanonicalUser', permission: 'FULL_CONTROL' }])],
  [BUCKET, 'old/report.pdf', 'v1', true, false, '10', 'DEEP_ARCHIVE', 'SSE-S3', '', OWNER_ID, OWNER_ACL],
  [BUCKET, 'it/cold.bin', 'v1', true, false, '10', 'INTELLIGENT_TIERING', 'SSE-S3', 'ARCHIVE', OWNER_ID, OWNER_ACL],
  [BUCKET, 'enc/customer.bin', 'v1', true, false, '10', 'STANDARD', 'SSE-C', '', OWNER_ID, OWNER_ACL],
  [BUCKET, 'kms/data.json', 'v1', true, false, '10', 'STANDARD', 'SSE-KMS', '', OWNER_ID, OWNER_ACL],
  // An older version and a delete marker: CloudFront reads neither.
  [BUCKET, 'a/gone.html', 'v0', false, false, '10', 'STANDARD', 'SSE-S3', '', TOOLS_ID, OWNER_ACL],
  [BUCKET, 'a/gone.html', 'v1', true, true, '0', 'STANDARD', 'NOT-SSE', '', OWNER_ID, OWNER_ACL],
];

/** The world the inventory's objects live in (HeadObject names the KMS key the report does not). */
const inventorySource = (): S3World => ({ ownership: 'ObjectWriter', policy: oacPolicy(), objects: { 'kms/data.json': { sse: 'aws:kms', kmsKeyId: KMS_KEY } } });

function manifest(format: 'CSV' | 'Parquet' | 'ORC', files: string[], fileSchema: string, sourceBucket = BUCKET): string {
  return JSON.stringify({ sourceBucket, destinationBucket: `arn:aws:s3:::${INV}`, version: '2016-11-30', creationTimestamp: '1796000400000', fileFormat: format, fileSchema, files: files.map((key) => ({ key, size: 0, MD5checksum: 'x' })) });
}

let s3rver: S3rverHandle;
let inv: S3Client;
let parquetSize = 0;
beforeAll(async () => {
  s3rver = await startS3rver([INV]);
  inv = s3rver.client();
  const put = (Key: string, Body: string | Uint8Array) => inv.send(new PutObjectCommand({ Bucket: INV, Key, Body }));
  const csv = ROWS.map((r) => r.map((v, i) => `"${i === 1 ? encodeURIComponent(String(v)).replace(/%2F/g, '/').replace(/%20/g, '+') : String(v)}"`).join(',')).join('\n');
  await put(`${FOLDER}data/one.csv.gz`, gzipSync(`${csv}\n`));
  await put(`${FOLDER}2026-11-30T01-00Z/manifest.json`, manifest('CSV', [`${FOLDER}data/one.csv.gz`], CSV_FIELDS.join(', ')));
  // An older report whose data file does not exist: reading it instead of the newest would fail.
  await put(`${FOLDER}2026-11-29T01-00Z/manifest.json`, manifest('CSV', [`${FOLDER}data/missing.csv.gz`], CSV_FIELDS.join(', ')));

  const names = ['bucket', 'key', 'version_id', 'is_latest', 'is_delete_marker', 'size', 'storage_class', 'encryption_status', 'intelligent_tiering_access_tier', 'object_owner', 'object_access_control_list'];
  const columnData = names.map((name, i) => ({
    name,
    data: ROWS.map((r) => (i === 5 ? BigInt(r[i] as string) : i === 8 ? ((r[i] as string) || null) : r[i])),
    type: (i === 3 || i === 4 ? 'BOOLEAN' : i === 5 ? 'INT64' : 'STRING') as 'STRING',
  }));
  const pq = new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 3 }));
  parquetSize = pq.byteLength;
  await put(`pq/${BUCKET}/all/data/one.parquet`, pq);
  const pqSchema = `message s3.inventory { ${names.map((n) => `optional binary ${n};`).join(' ')} }`;
  await put(`pq/${BUCKET}/all/2026-11-30T01-00Z/manifest.json`, JSON.stringify({ ...JSON.parse(manifest('Parquet', [], pqSchema)), files: [{ key: `pq/${BUCKET}/all/data/one.parquet`, size: parquetSize, MD5checksum: 'x' }] }));
  await put(`orc/${BUCKET}/all/2026-11-30T01-00Z/manifest.json`, manifest('ORC', [`orc/${BUCKET}/all/data/one.orc`], 'struct<bucket:string,key:string,object_owner:string,storage_class:string>'));
  await put(`other/manifest.json`, manifest('CSV', [`${FOLDER}data/one.csv.gz`], CSV_FIELDS.join(', '), 'someone-elses-bucket'));
});
afterAll(() => s3rver?.stop());

/** What every format of the same report must say. */
function expectInventoryVerdicts(r: SweepReport) {
  expect(r.source).toBe('inventory');
  expect(r.objects).toBe(6);
  expect(counts(r)).toEqual({ 'problem:object-foreign-owner': 1, 'problem:object-archived': 2, 'problem:object-sse-c': 1, 'problem:kms-key-lacks-cloudfront-grant': 1 });
  // CSV keys are URL-encoded in the report; the sweep names them as S3 does.
  expect(group(r, 'object-foreign-owner')!.examples).toEqual(['docs/my page+1.html']);
  expect(r.inventory!.createdAt).toBe('2026-11-30T01:00:00.000Z');
}

describe('sweep from an S3 Inventory report', () => {
  test('CSV (gzip): the newest report of a configuration folder, versions and delete markers skipped, the KMS key from HeadObject, the Athena query', async () => {
    const r = await sweepOf(clientsFor({}, mockS3(inventorySource()).client), { inventory: { bucket: INV, key: FOLDER }, inventoryS3: inv });
    expectInventoryVerdicts(r);
    expect(r.inventory!.manifest).toBe(`s3://${INV}/${FOLDER}2026-11-30T01-00Z/manifest.json`);
    expect(r.athena!.createTable).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS edgelock_inventory_acme_web_prod_site_333333333333 \(/);
    expect(r.athena!.createTable).toContain(`LOCATION 's3://${INV}/${FOLDER}hive/'`);
    expect(r.athena!.createTable).toContain('OpenCSVSerde');
    expect(r.athena!.select).toContain(`WHERE dt = '2026-11-30-01-00'`);
    expect(r.athena!.select).toContain(`WHEN object_owner <> '${OWNER_ID}' AND object_owner <> 'UNAVAILABLE' THEN 'object-foreign-owner'`);
    expect(r.athena!.select).toMatch(/GROUP BY cause\nORDER BY objects DESC;$/);
    expect(renderSweep(r)).toContain('For a bucket too big for one machine, the same sweep in Athena');
  });

  test('Parquet, row group by row group through ranged GETs, says the same', async () => {
    const r = await sweepOf(clientsFor({}, mockS3(inventorySource()).client), { inventory: { bucket: INV, key: `pq/${BUCKET}/all/2026-11-30T01-00Z/manifest.json` }, inventoryS3: inv });
    expectInventoryVerdicts(r);
    expect(r.athena!.createTable).toContain('ParquetHiveSerDe');
    expect(r.athena!.createTable).toContain('`size` bigint');
  });

  test('ORC is refused with SWEEP_INVENTORY_ORC and the way to CSV or Parquet; --athena still gives the query over it', async () => {
    const clients = clientsFor({}, mockS3(inventorySource()).client);
    const at = { bucket: INV, key: `orc/${BUCKET}/all/` };
    const err = await sweepOf(clients, { inventory: at, inventoryS3: inv }).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'SWEEP_INVENTORY_ORC')).toBe(true);
    expect((err as Error).message).toMatch(/is ORC, which edgelock cannot read.*Format=Parquet.*--athena/);
    const q = await athenaForInventory({ env: ENV, distributionId: DIST, clients, deployPrefix: '', inventory: at, inventoryS3: inv });
    expect(q.createTable).toContain('OrcSerde');
    expect(q.select).toContain("WHEN storage_class IN ('GLACIER', 'DEEP_ARCHIVE') THEN 'object-archived'");
  });

  test('another bucket\'s report, or a folder with no report, is SWEEP_INVENTORY_INVALID', async () => {
    const clients = clientsFor({}, mockS3(inventorySource()).client);
    const other = await sweepOf(clients, { inventory: { bucket: INV, key: 'other/manifest.json' }, inventoryS3: inv }).catch((e: unknown) => e);
    expect(isEdgelockError(other, 'SWEEP_INVENTORY_INVALID')).toBe(true);
    expect((other as Error).message).toMatch(/lists bucket someone-elses-bucket, not acme-web-prod-site-333333333333/);
    const none = await sweepOf(clients, { inventory: { bucket: INV, key: 'nothing/' }, inventoryS3: inv }).catch((e: unknown) => e);
    expect(isEdgelockError(none, 'SWEEP_INVENTORY_INVALID')).toBe(true);
    expect((none as Error).message).toMatch(/no inventory report under s3:\/\/acme-inventory\/nothing\//);
  });

  test('above the threshold, the listing stops and the bucket\'s inventory configuration is read instead', async () => {
    const w: S3World = {
      ...mixedBucket(),
      objects: { ...mixedBucket().objects, 'kms/data.json': { sse: 'aws:kms', kmsKeyId: KMS_KEY } },
      inventories: [
        { Id: 'all', IsEnabled: true, IncludedObjectVersions: 'All', Schedule: { Frequency: 'Daily' }, Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${INV}`, Prefix: 'inv', Format: 'CSV' } }, OptionalFields: ['StorageClass', 'ObjectOwner', 'ObjectAccessControlList', 'EncryptionStatus'] },
      ],
    };
    const s3 = mockS3(w);
    const r = await sweepOf(clientsFor({}, s3.client), { threshold: 2, pageSize: 2, inventoryS3: inv });
    expectInventoryVerdicts(r);
    // The first page, and the second that was already asked for when the threshold was reached; no more.
    expect(s3.lists).toHaveLength(2);
    expect(r.notes.join('\n')).toMatch(/more than 2 objects \(doctor\.sweepThreshold\): read the bucket's S3 Inventory/);
  });
});

describe('the CLI', () => {
  let file: string;
  beforeAll(() => {
    file = writeJsonConfig(validConfig({}, { prod: { accountId: ACCOUNT, region: ENV.region, auth: false, distributionId: DIST } }, { only: true }));
  });

  test('--sweep --json prints the report as data, exit 1 with problems; a progress line on a terminal', async () => {
    let json = '';
    const code = await doctorCommand({ config: file, env: 'prod', sweep: true, json: true }, clientsFor({}, mockS3(mixedBucket()).client), (s) => (json += s));
    expect(code).toBe(1);
    const report = JSON.parse(json) as SweepReport;
    expect(report.objects).toBe(10);
    expect(report.groups[0]).toEqual(expect.objectContaining({ kind: 'problem', count: 2, examples: expect.any(Array) }));

    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let seen = '';
    tty.on('data', (d: Buffer) => (seen += d.toString()));
    let text = '';
    await doctorCommand({ config: file, env: 'prod', sweep: true }, clientsFor({}, mockS3(mixedBucket()).client), (s) => (text += s), () => undefined, { progress: tty, pageSize: 4 });
    expect(seen).toMatch(/sweeping \(listing\): 10 objects, 5 with problems/);
    expect(text).toMatch(/^Sweep of s3:\/\/acme-web-prod-site-333333333333\/ for distribution E2QWRUHAPOMQZL/);
  });

  test('exit 0 when every object is readable', async () => {
    const code = await doctorCommand({ config: file, env: 'prod', sweep: true }, clientsFor({}, mockS3({ ownership: 'BucketOwnerEnforced', policy: oacPolicy(), objects: { 'index.html': {} } }).client), () => undefined);
    expect(code).toBe(0);
  });

  test.each([
    [['--inventory', 's3://acme-inventory/inv/'], /--inventory reads an S3 Inventory report for a sweep: add --sweep/],
    [['--athena'], /--athena prints the Athena query .* give the report with --inventory/],
    [['--sweep', '--key', 'index.html'], /--sweep checks every object under the origin path: leave out --key/],
    [['--sweep', '--inventory', 'https://example.com/x'], /--inventory "https:\/\/example.com\/x" is not an S3 location/],
  ])('usage error: %j', async (args, message) => {
    const r = await runInProcess(['doctor', '--config', file, '--env', 'prod', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
