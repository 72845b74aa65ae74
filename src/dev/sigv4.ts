/**
 * AWS Signature Version 4 for the local edge: the emulator signs its origin requests (the stand-in
 * for OAC/OAI signing) and the embedded S3 verifies them. s3rver 3.7.1 looks up the access key of
 * a SigV4 request but never checks the signature, and it serves anonymous requests:
 * {@link verifySigV4} closes both gaps.
 *
 * Requests without a query string, every origin request of the local edge, are signed and checked
 * by {@link s3Signature}: the same canonical request, string to sign and derived key as the AWS
 * SDK's signer (test/dev/embedded-s3.test.ts compares the two), computed synchronously with the
 * derived signing key kept per secret, day and region. Anything else (a query string, a header
 * list the SDK's signer would sign differently) goes through the AWS SDK's signer itself.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { ALWAYS_UNSIGNABLE_HEADERS, SignatureV4 } from '@smithy/signature-v4';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The hash the signer needs (`new Sha256(key?)`, `update`, async `digest`), over node:crypto. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
function bytes(d: SourceData): string | Uint8Array {
  if (typeof d === 'string') return d;
  return d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}
class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

export const EMPTY_SHA256 = createHash('sha256').digest('hex');

function signer(credentials: Credentials, region: string): SignatureV4 {
  return new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: true });
}

export interface SignableRequest {
  readonly method: string;
  /** Host header value (the bucket's domain). */
  readonly host: string;
  /** Path as sent on the wire (already percent-encoded). */
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Record<string, string | string[]>;
  /** Lower-case names; values as sent. */
  readonly headers: Record<string, string>;
  readonly payloadSha256: string;
}

/** `YYYYMMDDTHHMMSSZ`, as SigV4 writes dates (no milliseconds). */
function amzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A header value as SigV4 canonicalises it (the AWS SDK's rule: line breaks and runs of blanks become one space, ends trimmed). */
function canonicalValue(v: string): string {
  return v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/** Derived signing keys by secret, day and region: four HMACs saved on every request but the first of a day. */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 64;

function signingKey(secret: string, shortDate: string, region: string): Buffer {
  const id = `${shortDate}\n${region}\n${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = createHmac('sha256', `AWS4${secret}`).update(shortDate).digest();
    for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(id, key);
  }
  return key;
}

/** What {@link s3Signature} signs: a request with no query string. */
export interface QuerylessSignable {
  readonly method: string;
  /** The path as sent (S3 signs it as is: no normalising, no second encoding). */
  readonly path: string;
  /** Signed headers: lower-case names in ascending order, values as sent (several joined with ","). */
  readonly headers: readonly (readonly [string, string])[];
  readonly payloadSha256: string;
  readonly date: Date;
  readonly region: string;
}

/** The hex SigV4 signature of an S3 request with no query string. */
export function s3Signature(req: QuerylessSignable, secret: string): string {
  const longDate = amzDate(req.date);
  const shortDate = longDate.slice(0, 8);
  let canonicalHeaders = '';
  let names = '';
  for (const [name, value] of req.headers) {
    canonicalHeaders += `${name}:${canonicalValue(value)}\n`;
    names += names ? `;${name}` : name;
  }
  const canonical = `${req.method}\n${req.path}\n\n${canonicalHeaders}\n${names}\n${req.payloadSha256}`;
  const scope = `${shortDate}/${req.region}/s3/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  return createHmac('sha256', signingKey(secret, shortDate, req.region)).update(toSign).digest('hex');
}

/** Headers the AWS SDK's signer leaves unsigned when it chooses (User-Agent, Authorization, Proxy-*, Sec-*, …). */
function unsignable(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ALWAYS_UNSIGNABLE_HEADERS, name) || /^proxy-/.test(name) || /^sec-/.test(name);
}

/** Headers the AWS SDK's signer drops before signing (it writes them itself). */
const GENERATED = new Set(['authorization', 'x-amz-date', 'date']);

/** Signs a request with no query string; undefined when the header names clash (left to the SDK's signer). */
function signQueryless(req: SignableRequest, credentials: Credentials, region: string, now: Date): Record<string, string> | undefined {
  const signed = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || GENERATED.has(lower) || lower === 'host' || lower === 'x-amz-content-sha256' || unsignable(lower)) continue;
    if (signed.has(lower)) return undefined;
    signed.set(lower, value);
  }
  const longDate = amzDate(now);
  signed.set('host', req.host).set('x-amz-content-sha256', req.payloadSha256).set('x-amz-date', longDate);
  const headers = [...signed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signature = s3Signature({ method: req.method, path: req.path, headers, payloadSha256: req.payloadSha256, date: now, region }, credentials.secretAccessKey);
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${longDate.slice(0, 8)}/${region}/s3/aws4_request, SignedHeaders=${headers.map(([n]) => n).join(';')}, Signature=${signature}`,
    'x-amz-date': longDate,
    'x-amz-content-sha256': req.payloadSha256,
  };
}

/** Returns the headers to add: authorization, x-amz-date, x-amz-content-sha256. */
export async function signS3Request(req: SignableRequest, credentials: Credentials, region: string, now = new Date()): Promise<Record<string, string>> {
  const fast = Object.keys(req.query).length === 0 ? signQueryless(req, credentials, region, now) : undefined;
  if (fast) return fast;
  const headers: Record<string, string> = { ...req.headers, host: req.host, 'x-amz-content-sha256': req.payloadSha256 };
  const signed = await signer(credentials, region).sign(
    { method: req.method, protocol: 'http:', hostname: req.host, path: req.path, query: req.query, headers },
    { signingDate: now },
  );
  const h = signed.headers;
  return { authorization: h.authorization!, 'x-amz-date': h['x-amz-date']!, 'x-amz-content-sha256': h['x-amz-content-sha256']! };
}

export type VerifyResult =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly code: 'AccessDenied' | 'InvalidAccessKeyId' | 'SignatureDoesNotMatch' | 'RequestTimeTooSkewed' | 'AuthorizationHeaderMalformed'; readonly message: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function parseAmzDate(v: string | undefined): Date | undefined {
  const m = v && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export interface IncomingSigned {
  readonly method: string;
  /** Raw path of the request target, without the query. */
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** Node's rawHeaders list. */
  readonly rawHeaders: readonly string[];
}

/**
 * Checks a request's SigV4 `Authorization` header against the known keys, as S3 does: anonymous
 * requests, unknown keys, bad signatures and clocks more than 15 minutes off are refused.
 * The payload hash is taken as declared (the body is not re-hashed).
 */
export async function verifySigV4(req: IncomingSigned, keys: ReadonlyMap<string, string>, now = Date.now()): Promise<VerifyResult> {
  const all = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    (all.get(name) ?? all.set(name, []).get(name)!).push(req.rawHeaders[i + 1]!);
  }
  const auth = all.get('authorization');
  if (!auth) return { ok: false, code: 'AccessDenied', message: 'Access Denied (anonymous requests are refused: the bucket is private)' };
  const m = auth.length === 1 ? AUTH.exec(auth[0]!) : null;
  if (!m) return { ok: false, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is not a SigV4 header for S3' };
  const [, accessKeyId, , region, signedList, signature] = m as unknown as [string, string, string, string, string, string];
  const secret = keys.get(accessKeyId);
  if (secret === undefined) return { ok: false, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  const date = parseAmzDate(all.get('x-amz-date')?.[0]);
  if (!date) return { ok: false, code: 'AccessDenied', message: 'AWS authentication requires a valid x-amz-date header' };
  if (Math.abs(now - date.getTime()) > 15 * 60_000) {
    return { ok: false, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' };
  }
  const signedNames = signedList.split(';');
  if (!signedNames.includes('host')) return { ok: false, code: 'AuthorizationHeaderMalformed', message: 'SignedHeaders must include host' };
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const values = all.get(name);
    if (!values) return { ok: false, code: 'SignatureDoesNotMatch', message: `signed header "${name}" is missing from the request` };
    headers[name] = values.join(',');
  }
  if (Object.keys(req.query).length === 0 && querylessList(signedNames)) {
    const got = s3Signature({ method: req.method, path: req.path, headers: signedNames.map((n) => [n, headers[n]!] as const), payloadSha256: headers['x-amz-content-sha256']!, date, region }, secret);
    return sameSignature(got, signature) ? { ok: true, accessKeyId } : SIGNATURE_DOES_NOT_MATCH;
  }
  const expected = await signer({ accessKeyId, secretAccessKey: secret }, region).sign(
    { method: req.method, protocol: 'http:', hostname: headers.host!, path: req.path, query: req.query, headers },
    { signingDate: date, signableHeaders: new Set(signedNames) },
  );
  const got = /Signature=([0-9a-f]{64})$/.exec(expected.headers.authorization ?? '')?.[1] ?? '';
  if (!sameSignature(got, signature) || !expected.headers.authorization!.includes(`SignedHeaders=${signedList},`)) return SIGNATURE_DOES_NOT_MATCH;
  return { ok: true, accessKeyId };
}

const SIGNATURE_DOES_NOT_MATCH: VerifyResult = Object.freeze({
  ok: false,
  code: 'SignatureDoesNotMatch',
  message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
});

function sameSignature(computed: string, sent: string): boolean {
  const a = Buffer.from(computed);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a SignedHeaders list is one the AWS SDK's signer would produce unchanged for these
 * headers (strictly ascending, with host, x-amz-date and x-amz-content-sha256, none it writes
 * itself), so {@link s3Signature} gives its answer. Any other list is checked by the SDK's signer.
 */
function querylessList(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (!(names[i - 1]! < names[i]!)) return false;
  return names.includes('x-amz-date') && names.includes('x-amz-content-sha256') && !names.includes('authorization') && !names.includes('date');
}

/** Decodes a query string into the shape the signer wants. */
export function parseQuery(querystring: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!querystring) return out;
  for (const [k, v] of new URLSearchParams(querystring)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
