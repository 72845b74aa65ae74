/**
 * AWS SDK v3 errors shaped exactly as a client builds them from the wire, for mocked clients:
 * the modeled exception class when the service models that code (NoSuchKey, AccessDenied,
 * NotFound, ParameterNotFound...), otherwise the service's base exception, with `name`, `$fault`,
 * `$metadata` and `message`; an answer with a body also carries its `Code`, `RequestId` and `HostId`.
 * test/deploy/aws-errors.test.ts checks these against errors the SDK builds from real responses.
 */
import * as s3 from '@aws-sdk/client-s3';

export const REQUEST_ID = 'REQ123';
export const HOST_ID = 'HOST123';

/** What every SDK v3 service error is. */
export type ServiceError = Error & { readonly $fault: 'client' | 'server'; readonly $metadata: { readonly httpStatusCode?: number } };

type ExceptionClass = new (options: { name: string; $fault: 'client' | 'server'; $metadata: object; message?: string }) => ServiceError;

function metadata(status: number) {
  return { httpStatusCode: status, requestId: REQUEST_ID, extendedRequestId: HOST_ID, cfId: undefined, attempts: 1, totalRetryDelay: 0 };
}

/** The modeled class for `code` among a client package's exports, if it models one. */
function modeled(exports: Record<string, unknown>, base: ExceptionClass, code: string): ExceptionClass | undefined {
  const ctor = exports[code];
  return typeof ctor === 'function' && ctor.prototype instanceof base ? (ctor as ExceptionClass) : undefined;
}

/**
 * An error as a client builds it from an error answer with a body.
 * @param exports the client package (e.g. `import * as ssm from '@aws-sdk/client-ssm'`), to find modeled classes
 * @param base its base exception (e.g. SSMServiceException)
 */
export function awsError(exports: Record<string, unknown>, base: ExceptionClass, code: string, status: number, message: string, extra: Record<string, unknown> = {}): ServiceError {
  const Ctor = modeled(exports, base, code) ?? base;
  // Like the SDK: the class is built without a message, then decorated with the body's fields.
  const err = new Ctor({ name: code, $fault: status < 500 ? 'client' : 'server', $metadata: metadata(status) });
  delete (err as { $response?: unknown }).$response;
  return Object.assign(err, { $retryable: undefined, name: code, message, ...extra });
}

/** An S3 error answer with an XML body (every S3 operation but HEAD). */
export function s3Error(code: string, status: number, message: string): s3.S3ServiceException {
  return awsError(s3 as unknown as Record<string, unknown>, s3.S3ServiceException as unknown as ExceptionClass, code, status, message, { Code: code, RequestId: REQUEST_ID, HostId: HOST_ID }) as s3.S3ServiceException;
}

/**
 * An S3 HEAD error: no body on the wire, so the SDK names it from the status alone — 404 is
 * `NotFound` (a modeled class), any other status `Unknown` — and the message is "UnknownError".
 */
export function s3HeadError(status: number): s3.S3ServiceException {
  const code = status === 404 ? 'NotFound' : 'Unknown';
  return awsError(s3 as unknown as Record<string, unknown>, s3.S3ServiceException as unknown as ExceptionClass, code, status, 'UnknownError') as s3.S3ServiceException;
}

/**
 * AWS's detailed refusal message, as IAM-evaluated services (and S3, for many callers) write it:
 * the caller, the action, the resource and the kind of policy that refused.
 */
export function accessDeniedMessage(o: { caller?: string; action: string; resource: string; policy: string; explicit?: boolean }): string {
  const caller = o.caller ?? 'arn:aws:sts::333333333333:assumed-role/ReadOnly/doctor';
  const why = o.explicit ? `with an explicit deny in ${/^[aeiou]/i.test(o.policy) ? 'an' : 'a'} ${o.policy}` : `because no ${o.policy} allows the ${o.action} action`;
  return `User: ${caller} is not authorized to perform: ${o.action} on resource: "${o.resource}" ${why}`;
}

/**
 * A connection AWS never answered, as the SDK throws it: Node's socket error, with the `$metadata`
 * the SDK's retry step attaches to every error (attempts, no HTTP status).
 */
export function connectionRefused(address = '127.0.0.1', port = 443): Error {
  return Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address, port, $metadata: { attempts: 1, totalRetryDelay: 0 } });
}

/** No credentials found by the default chain, as @smithy/property-provider throws it. */
export function noCredentials(): Error {
  return Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError', tryNextLink: false });
}
