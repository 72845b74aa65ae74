/**
 * One S3 Inventory row (CSV or Parquet, columns in snake_case) as what the sweep knows about the
 * object. A field the report does not have makes that aspect unknown for every object, with the
 * inventory OptionalField to add; `UNAVAILABLE` (S3 could not read the ACL or owner) is unknown too.
 */
import type { Grant } from '@aws-sdk/client-s3';
import type { Fact, ObjectEncryption, SweptObject } from '../types';

/** The Inventory OptionalField behind each column the sweep reads. */
export const FIELD_OF: Record<string, string> = {
  storage_class: 'StorageClass',
  intelligent_tiering_access_tier: 'IntelligentTieringAccessTier',
  object_owner: 'ObjectOwner',
  object_access_control_list: 'ObjectAccessControlList',
  encryption_status: 'EncryptionStatus',
};

/** S3 Inventory's EncryptionStatus values → the algorithm HeadObject names. */
const ENCRYPTION: Record<string, string | undefined> = {
  'NOT-SSE': undefined,
  'SSE-S3': 'AES256',
  'SSE-KMS': 'aws:kms',
  'DSSE-KMS': 'aws:kms:dsse',
  'SSE-C': 'SSE-C',
};

export interface RowContext {
  readonly columns: ReadonlySet<string>;
  /** Whether an object's ACL can matter (ACLs enabled, and an OAI or anonymous origin). */
  readonly readAcls: boolean;
  /** CSV keys are URL-encoded; Parquet keys are not. */
  readonly encodedKeys: boolean;
}

export interface InventoryObject {
  readonly object: SweptObject;
  /** SSE-KMS with no KMS key ARN column: a HeadObject must name the key. */
  readonly needsKey: boolean;
}

function missing(field: string, what: string): { ok: false; why: string; fix: string } {
  return { ok: false, why: `${what} is not in the inventory report (no ${FIELD_OF[field] ?? field} field)`, fix: `add ${FIELD_OF[field] ?? field} to the inventory configuration's OptionalFields; the next report will have it` };
}

const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : typeof v === 'string' ? v : String(v));

function truthy(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return v === true || String(v).toLowerCase() === 'true';
}

/** The base64 JSON of ObjectAccessControlList → S3's Grant shape. */
export function parseInventoryAcl(value: string): Fact<readonly Grant[]> {
  let doc: { status?: string; grants?: { type?: string; canonicalId?: string; uri?: string; permission?: string }[] };
  try {
    doc = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return { ok: false, why: 'the object ACL in the inventory is not base64 JSON', fix: 'check the report with Athena (the query below), or sweep by listing' };
  }
  if (doc.status && doc.status !== 'AVAILABLE') return { ok: false, why: `the inventory says the object ACL is ${doc.status}`, fix: 'look at one of these keys with `edgelock doctor --key`' };
  return {
    ok: true,
    value: (doc.grants ?? []).map((g) => ({
      Grantee: { Type: (g.type === 'Group' ? 'Group' : 'CanonicalUser') as 'Group', ...(g.canonicalId ? { ID: g.canonicalId } : {}), ...(g.uri ? { URI: g.uri } : {}) },
      Permission: g.permission as 'READ',
    })),
  };
}

/** The row's object, or undefined for rows CloudFront never reads (older versions, delete markers, folder markers, keys outside the prefix). */
export function inventoryObject(row: Record<string, unknown>, ctx: RowContext, prefix: string): InventoryObject | undefined {
  const raw = text(row.key);
  if (raw === undefined) return undefined;
  let key = raw;
  if (ctx.encodedKeys) {
    try {
      key = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      key = raw;
    }
  }
  if (!key.startsWith(prefix) || key.endsWith('/')) return undefined;
  if (truthy(row.is_latest) === false || truthy(row.is_delete_marker) === true) return undefined;
  const has = (c: string) => ctx.columns.has(c);

  const cls = text(row.storage_class);
  const storageClass: Fact<string> = has('storage_class') ? { ok: true, value: cls || 'STANDARD' } : missing('storage_class', 'the storage class');
  const tier = text(row.intelligent_tiering_access_tier);
  const archiveTier: Fact<string | null> = has('intelligent_tiering_access_tier') ? { ok: true, value: tier || null } : missing('intelligent_tiering_access_tier', 'the Intelligent-Tiering access tier');

  const ownerText = text(row.object_owner);
  const owner: Fact<string> = !has('object_owner')
    ? missing('object_owner', 'the object owner')
    : !ownerText || ownerText === 'UNAVAILABLE'
      ? { ok: false, why: ownerText ? 'the inventory says the object owner is UNAVAILABLE' : 'the inventory gives no object owner', fix: 'look at one of these keys with `edgelock doctor --key`' }
      : { ok: true, value: ownerText };

  let grants: SweptObject['grants'] = { ok: true, value: null };
  if (ctx.readAcls) {
    const acl = text(row.object_access_control_list);
    grants = !has('object_access_control_list') ? missing('object_access_control_list', 'the object ACL') : acl ? parseInventoryAcl(acl) : { ok: true, value: [] };
  }

  let encryption: Fact<ObjectEncryption>;
  let needsKey = false;
  const status = text(row.encryption_status);
  if (!has('encryption_status')) encryption = missing('encryption_status', 'the object\'s encryption');
  else if (status === undefined || !(status in ENCRYPTION)) encryption = { ok: false, why: `the inventory gives EncryptionStatus ${JSON.stringify(status)}, which edgelock does not know`, fix: 'look at one of these keys with `edgelock doctor --key`' };
  else {
    const algorithm = ENCRYPTION[status];
    const keyId = text(row.kms_key_arn) || undefined;
    encryption = { ok: true, value: { ...(algorithm ? { algorithm } : {}), ...(keyId ? { keyId } : {}) } };
    needsKey = !!algorithm?.startsWith('aws:kms') && !keyId;
  }
  return { object: { key, storageClass, archiveTier, owner, grants, encryption }, needsKey };
}
