/**
 * AWS Signature Version 4 for the local edge: the emulator signs its origin requests (the stand-in
 * for OAC/OAI signing) and the embedded S3 verifies them, both with the AWS SDK's own signer.
 * s3rver 3.7.1 looks up the access key of a SigV4 request but never checks the signature, and it
 * serves anonymous requests: {@link verifySigV4} closes both gaps.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

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

/** Returns the headers to add: authorization, x-amz-date, x-amz-content-sha256. */
export async function signS3Request(req: SignableRequest, credentials: Credentials, region: string, now = new Date()): Promise<Record<string, string>> {
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
  const expected = await signer({ accessKeyId, secretAccessKey: secret }, region).sign(
    { method: req.method, protocol: 'http:', hostname: headers.host!, path: req.path, query: req.query, headers },
    { signingDate: date, signableHeaders: new Set(signedNames) },
  );
  const got = /Signature=([0-9a-f]{64})$/.exec(expected.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(got);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b) || !expected.headers.authorization!.includes(`SignedHeaders=${signedList},`)) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' };
  }
  return { ok: true, accessKeyId };
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
