/**
 * The AWS clients the doctor uses, and one wrapper that turns every call into a value or a
 * classified error (denied, not found, other) with a line of evidence.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { errorName, httpStatus, isServiceError, NOT_FOUND } from '../s3/errors';

export interface DoctorClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly cloudfront: CloudFrontClient;
  readonly organizations: OrganizationsClient;
  readonly kms: KMSClient;
  readonly sts: STSClient;
}

/** Clients for one environment: S3 and KMS in the bucket's region, global services in us-east-1. */
export function createClients(region: string): DoctorClients {
  return {
    s3: new S3Client({ region, followRegionRedirects: true }),
    s3control: new S3ControlClient({ region }),
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    kms: new KMSClient({ region }),
    sts: new STSClient({ region }),
  };
}

export type Fetched<T> =
  | { readonly ok: true; readonly value: T; readonly call: string }
  | {
      readonly ok: false;
      readonly call: string;
      /** The AWS error code, e.g. AccessDenied, NoSuchBucketPolicy. */
      readonly code: string;
      readonly status?: number;
      /** The caller was refused: the doctor cannot tell, so the check is `unknown`. */
      readonly denied: boolean;
      readonly message: string;
    };

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'UnauthorizedOperation', 'AllAccessDisabled']);

/** Runs one AWS call; an error answered by AWS becomes a value, anything else is thrown. */
export async function fetchAws<T>(call: string, fn: () => Promise<T>): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await fn(), call };
  } catch (err) {
    // Only answers from AWS become findings; missing credentials, network failures and bugs propagate.
    if (!isServiceError(err)) throw err;
    const code = errorName(err) ?? 'Error';
    const status = httpStatus(err);
    const message = (err as { message?: string }).message;
    return {
      ok: false,
      call,
      code,
      ...(status === undefined ? {} : { status }),
      denied: DENIED.has(code) || (status === 403 && code !== NOT_FOUND.head),
      message: message ?? code,
    };
  }
}

/** The evidence line for a fetched value. */
export function seenError(f: Fetched<unknown>): string {
  if (f.ok) return 'ok';
  return `${f.code}${f.status ? ` (HTTP ${f.status})` : ''}${f.message && f.message !== f.code ? `: ${f.message}` : ''}`;
}
