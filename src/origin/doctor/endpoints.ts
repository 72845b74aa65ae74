/**
 * Where each AWS service the doctor calls is reached: AWS itself, or any endpoint that speaks its
 * wire protocol (LocalStack, a test server). The SDK's own rules, made explicit so every client
 * follows them the same way: `AWS_ENDPOINT_URL_<SERVICE>` (e.g. AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL_S3_CONTROL), else `AWS_ENDPOINT_URL`, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * is true; `--endpoint` sets S3's above both. Pure: the environment in, the endpoints out.
 */
import { UsageError } from '../../errors';

export const SERVICES = ['s3', 's3control', 'cloudfront', 'organizations', 'kms', 'sts', 'lambda'] as const;
export type Service = (typeof SERVICES)[number];

/** The service's part of its AWS_ENDPOINT_URL_<SERVICE> variable (the SDK's service ID, upper snake case). */
export const ENV_SUFFIX: Record<Service, string> = {
  s3: 'S3',
  s3control: 'S3_CONTROL',
  cloudfront: 'CLOUDFRONT',
  organizations: 'ORGANIZATIONS',
  kms: 'KMS',
  sts: 'STS',
  lambda: 'LAMBDA',
};

export type Endpoints = Partial<Record<Service, string>>;

/** Checks `value` is an http(s) base URL; `source` names where it came from for the error. */
export function endpointUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${source} "${value}" is not a URL: give a base URL such as http://127.0.0.1:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${source} "${value}" must be an http:// or https:// URL`);
  return value;
}

/** The endpoint of each service that is not AWS's own; a service left out is reached at AWS. */
export function resolveEndpoints(env: Readonly<Record<string, string | undefined>>, given: { s3?: string } = {}): Endpoints {
  const out: Endpoints = {};
  const ignore = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  for (const s of SERVICES) {
    if (ignore) break;
    const name = `AWS_ENDPOINT_URL_${ENV_SUFFIX[s]}`;
    const own = env[name];
    const all = env.AWS_ENDPOINT_URL;
    if (own) out[s] = endpointUrl(own, name);
    else if (all) out[s] = endpointUrl(all, 'AWS_ENDPOINT_URL');
  }
  if (given.s3) out.s3 = endpointUrl(given.s3, '--endpoint');
  return out;
}

/**
 * Whether S3 at `endpoint` must be addressed path-style (http://host/bucket/key): an IP address or
 * localhost has no per-bucket DNS names.
 */
export function needsPathStyle(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
