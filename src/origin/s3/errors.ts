/**
 * Reading an AWS SDK v3 error: its name (the AWS error code) and HTTP status, and the "not found"
 * answers that mean "this bucket has no such setting" rather than a failure.
 *
 * S3 HEAD answers carry no body, so the SDK names them from the status code: 404 is `NotFound`,
 * any other status `Unknown`, both with the message "UnknownError".
 */

/** The AWS error code of an SDK error (`name`, or `Code` on older shapes), or undefined. */
export function errorName(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: unknown; Code?: unknown };
  return typeof e.name === 'string' ? e.name : typeof e.Code === 'string' ? e.Code : undefined;
}

/**
 * Whether `err` is an answer from AWS (it carries the HTTP status of a response), as opposed to
 * missing credentials, a network failure or a bug. `$metadata` alone does not tell: the SDK's retry
 * step attaches it (attempts, retry delay) to every error, a refused connection included.
 */
export function isServiceError(err: unknown): boolean {
  return httpStatus(err) !== undefined;
}

/** The HTTP status AWS answered with, when the error carries one. */
export function httpStatus(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const status = (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The error codes S3 uses for "this bucket (or key) has no such thing". */
export const NOT_FOUND = {
  bucket: 'NoSuchBucket',
  key: 'NoSuchKey',
  /** A HEAD of a missing key (no body: the SDK names it from the 404). */
  head: 'NotFound',
  bucketPolicy: 'NoSuchBucketPolicy',
  /** No ownership controls: the bucket is ObjectWriter (see `MODE_WITHOUT_CONTROLS`). */
  ownershipControls: 'OwnershipControlsNotFoundError',
  encryption: 'ServerSideEncryptionConfigurationNotFoundError',
  publicAccessBlock: 'NoSuchPublicAccessBlockConfiguration',
  objectLock: 'ObjectLockConfigurationNotFoundError',
  /** An access point without a policy (S3 Control's GetAccessPointPolicy). */
  accessPointPolicy: 'NoSuchAccessPointPolicy',
} as const;

export type NotFoundCode = (typeof NOT_FOUND)[keyof typeof NOT_FOUND];

/** Whether `err` is the named "not found" answer. */
export function isNotFound(err: unknown, code: NotFoundCode): boolean {
  return errorName(err) === code;
}

/** The call's value, or null when it answers the named "not found"; any other error is rethrown. */
export async function orNull<T>(call: Promise<T>, code: NotFoundCode): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (isNotFound(err, code)) return null;
    throw err;
  }
}

/** Socket and DNS failures, timeouts and endpoint URLs that cannot be built: no answer came back. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'ERR_INVALID_URL', 'UND_ERR_CONNECT_TIMEOUT']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);
export const NETWORK_MESSAGE = /\b(?:connect|getaddrinfo|read|write) (?:ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/;

/** Why an error that is not an AWS answer means AWS was not reached; undefined when it is something else. */
export function unreachedReason(err: unknown): 'network' | 'credentials' | undefined {
  const e = err as { name?: string; code?: string };
  if (e?.name === 'CredentialsProviderError' || e?.name === 'TokenProviderError') return 'credentials';
  if ((e?.code && NETWORK_CODES.has(e.code)) || (e?.name && NETWORK_NAMES.has(e.name))) return 'network';
  // Node names the socket error in its message ("connect ECONNREFUSED 127.0.0.1:443"), which is all
  // that is left when the SDK wraps an error thrown from another realm.
  const message = (err as { message?: unknown })?.message;
  if (typeof message === 'string' && NETWORK_MESSAGE.test(message)) return 'network';
  return undefined;
}
