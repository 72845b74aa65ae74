/**
 * Deploy records: what each deploy wrote, kept in the environment's bucket under
 * `.edgelock/deploys/<prefix><id>.json` (a prefix the distribution can never serve: origin-request
 * refuses it and the bucket policy denies it to the distribution's reader).
 *
 * A record is written last, in one PutObject (S3 makes it visible whole or not at all), only after
 * the deploy's checks passed. It lists every object of the site as the deploy left it (key, the
 * local MD5, the ETag S3 stored, the headers, the size) and the keys edgelock wrote earlier that
 * this deploy did not delete (`retained`). The next deploy prunes only keys a record lists that
 * still carry the ETag recorded; a rollback can name the objects of any earlier deploy.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RESERVED_KEY_PREFIX } from '../../edge/reserved-keys';
import { EdgelockError } from '../../errors';

export const DEPLOY_RECORD_PREFIX = `${RESERVED_KEY_PREFIX}deploys/`;
export const RECORD_FORMAT = 'edgelock.deploy-record/1';

/** One object of a record, as edgelock wrote it. */
export interface RecordedObject {
  readonly key: string;
  /** Hex MD5 of the file edgelock uploaded. */
  readonly md5: string;
  /** ETag S3 reported for it (without quotes): an MD5, a multipart ETag, or an SSE-KMS ETag. */
  readonly etag: string;
  readonly size: number;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly contentEncoding?: string;
}

const MD5 = /^[0-9a-f]{32}$/;
/** Every field a recorded object may have. */
export const RECORDED_OBJECT_FIELDS = ['key', 'md5', 'etag', 'size', 'contentType', 'cacheControl', 'contentEncoding'] as const satisfies readonly (keyof RecordedObject)[];
// A field added to RecordedObject and not to the list above fails to compile here.
const everyField: [Exclude<keyof RecordedObject, (typeof RECORDED_OBJECT_FIELDS)[number]>] extends [never] ? true : never = true;
void everyField;
const OBJECT_FIELDS: ReadonlySet<string> = new Set(RECORDED_OBJECT_FIELDS);

/**
 * What is wrong with one listed object (`[field, problem]`), if anything. Checked by hand, not by a
 * schema: a record lists every object of the site and every deploy reads one, and for thousands of
 * objects a zod schema costs tens of milliseconds where this costs one or two.
 */
export function recordedObjectProblem(o: unknown): readonly [string, string] | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return ['', 'expected an object'];
  const v = o as Record<string, unknown>;
  for (const field of Object.keys(v)) if (!OBJECT_FIELDS.has(field)) return [field, 'not a field of a recorded object'];
  if (typeof v.key !== 'string' || v.key === '') return ['key', 'expected a non-empty string'];
  if (typeof v.md5 !== 'string' || !MD5.test(v.md5)) return ['md5', 'expected 32 lower-case hex digits'];
  if (typeof v.etag !== 'string' || v.etag === '') return ['etag', 'expected a non-empty string'];
  if (typeof v.size !== 'number' || !Number.isInteger(v.size) || v.size < 0) return ['size', 'expected a whole number of bytes'];
  if (typeof v.contentType !== 'string') return ['contentType', 'expected a string'];
  if (typeof v.cacheControl !== 'string') return ['cacheControl', 'expected a string'];
  if (v.contentEncoding !== undefined && typeof v.contentEncoding !== 'string') return ['contentEncoding', 'expected a string'];
  return undefined;
}

const recordedObjects = z.array(z.unknown()).superRefine((xs, ctx) => {
  for (const [i, x] of xs.entries()) {
    const problem = recordedObjectProblem(x);
    if (problem) {
      ctx.addIssue({ code: 'custom', path: problem[0] ? [i, problem[0]] : [i], message: problem[1] });
      return;
    }
  }
}) as unknown as z.ZodType<RecordedObject[]>;

const deployRecord = z.strictObject({
  format: z.literal(RECORD_FORMAT),
  /** Sortable by time: `YYYYMMDDTHHMMSSmmmZ-<6 hex>` (UTC, milliseconds). */
  id: z.string().regex(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/),
  /** ISO time the record was written. */
  time: z.string(),
  environment: z.string(),
  bucket: z.string(),
  /** deploy.prefix of this deploy ("" for the root). */
  prefix: z.string(),
  /** The deploy ran with --adopt (it claimed every key under the prefix). */
  adopted: z.boolean(),
  /** The record this deploy planned from, if any. */
  previous: z.string().optional(),
  /** This record was written by `edgelock rollback`: it restored the objects of this deploy ID. */
  rollbackOf: z.string().optional(),
  objects: recordedObjects,
  retained: recordedObjects,
  /**
   * The CloudFront invalidation this deploy created: until it has completed, edges may serve this
   * deploy's predecessor's cached pages, so the next deploy prunes only once it shows Completed.
   */
  invalidation: z.strictObject({ distributionId: z.string().min(1), id: z.string().min(1) }).optional(),
});

export type DeployRecord = z.infer<typeof deployRecord>;

/** A new deploy ID for `now`: sorts by time, unique enough for one bucket. */
export function newDeployId(now: Date, random: Buffer = randomBytes(3)): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${random.toString('hex').slice(0, 6)}`;
}

/** The folder of the records of deploys under `prefix`. */
export function recordFolder(prefix: string): string {
  return `${DEPLOY_RECORD_PREFIX}${prefix}`;
}

export function recordKey(prefix: string, id: string): string {
  return `${recordFolder(prefix)}${id}.json`;
}

/** The newest record key of a folder listing (record IDs sort by time), if any. */
export function latestRecordKey(keys: readonly string[], prefix: string): string | undefined {
  const folder = recordFolder(prefix);
  const ours = keys.filter((k) => k.startsWith(folder) && /^\d{8}T\d{9}Z-[0-9a-f]{6}\.json$/.test(k.slice(folder.length))).sort();
  return ours[ours.length - 1];
}

/** Parses a record's body; throws DEPLOY_RECORD_INVALID naming the key and the first problem. */
export function parseRecord(key: string, body: string): DeployRecord {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new EdgelockError(`the deploy record ${key} is not JSON (${(err as Error).message})`, { code: 'DEPLOY_RECORD_INVALID', cause: err });
  }
  const parsed = deployRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EdgelockError(`the deploy record ${key} is not one edgelock wrote: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { code: 'DEPLOY_RECORD_INVALID' });
  }
  return parsed.data;
}

/** The record as stored: stable key order, one object per line, so records diff well. */
export function serializeRecord(record: DeployRecord): string {
  const { objects, retained, invalidation, ...head } = record;
  const line = (o: RecordedObject): string => `    ${JSON.stringify(o)}`;
  const list = (xs: readonly RecordedObject[]): string => (xs.length ? `[\n${xs.map(line).join(',\n')}\n  ]` : '[]');
  const headLines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const tail = invalidation ? [`  "invalidation": ${JSON.stringify(invalidation)}`] : [];
  return `{\n${[...headLines, `  "objects": ${list(objects)}`, `  "retained": ${list(retained)}`, ...tail].join(',\n')}\n}\n`;
}

/** What the last record says edgelock wrote, by key (its objects and what it retained). */
export function writtenByEdgelock(record: DeployRecord | undefined): ReadonlyMap<string, RecordedObject> {
  const out = new Map<string, RecordedObject>();
  if (!record) return out;
  for (const o of [...record.retained, ...record.objects]) out.set(o.key, o);
  return out;
}

/**
 * A deploy that is about to write objects first leaves `<id>.pending` beside the records. Its
 * record, written last under the same ID, settles it, as does any newer record (IDs sort by time).
 * A marker newer than the newest record means a deploy wrote objects and no record (it failed or
 * was stopped): the bucket may differ from the last record, so the next deploy compares against a
 * full listing (listing-need.ts) and writes a record, settling the marker.
 */
export function pendingKey(prefix: string, id: string): string {
  return `${recordFolder(prefix)}${id}.pending`;
}

export const PENDING_FORMAT = 'edgelock.deploy-pending/1';

/** The pending markers of a folder listing, oldest first. */
export function pendingMarkers(keys: readonly string[], prefix: string): { readonly id: string; readonly key: string }[] {
  const folder = recordFolder(prefix);
  return keys
    .filter((k) => k.startsWith(folder))
    .map((key) => ({ key, m: /^(\d{8}T\d{9}Z-[0-9a-f]{6})\.pending$/.exec(key.slice(folder.length)) }))
    .filter((x): x is { key: string; m: RegExpExecArray } => x.m !== null)
    .map(({ key, m }) => ({ id: m[1]!, key }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
