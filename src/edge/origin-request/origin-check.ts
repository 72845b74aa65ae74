/**
 * Is the origin CloudFront is about to contact the one this environment expects? The bucket's
 * REST endpoint, reached with the configured identity. With OAC the signature is invisible to
 * Lambda@Edge (authMethod "none"), so only the domain can be proven; with OAI the auth method is.
 */
import type { CloudFrontRequest } from 'aws-lambda';
import type { EdgeOriginConfig } from '../config';

export interface OriginProblem {
  readonly reason: 'no-origin' | 'custom-origin' | 'website-endpoint' | 'unexpected-domain' | 'wrong-auth-method' | 'origin-path';
  readonly message: string;
  readonly got: { readonly kind: string; readonly domainName?: string; readonly authMethod?: string; readonly path?: string };
}

const EXPECTED_AUTH: Readonly<Record<EdgeOriginConfig['access'], string>> = { oac: 'none', oai: 'origin-access-identity' };

/** Returns what is wrong with the request's origin, or undefined when it is the expected bucket. */
export function checkOrigin(origin: CloudFrontRequest['origin'], expected: EdgeOriginConfig): OriginProblem | undefined {
  if (!origin) return { reason: 'no-origin', message: 'the request has no origin', got: { kind: 'none' } };
  if (origin.custom || !origin.s3) {
    const domainName = origin.custom?.domainName;
    const website = domainName !== undefined && /\.s3-website[.-]/.test(domainName);
    return {
      reason: website ? 'website-endpoint' : 'custom-origin',
      message: website
        ? `the origin is the S3 website endpoint ${domainName}, which is public by design; use the bucket's REST endpoint ${expected.domains[0]}`
        : `the origin is a custom origin (${String(domainName)}), not the bucket ${expected.bucket}`,
      got: { kind: 'custom', ...(domainName !== undefined ? { domainName } : {}) },
    };
  }
  const { domainName, authMethod } = origin.s3;
  const got = { kind: 's3', domainName, authMethod };
  const domain = typeof domainName === 'string' ? domainName.toLowerCase() : '';
  if (domain.includes('.s3-website')) {
    return { reason: 'website-endpoint', message: `the origin is the S3 website endpoint ${domainName}; use the REST endpoint ${expected.domains[0]}`, got };
  }
  if (!expected.domains.includes(domain)) {
    return { reason: 'unexpected-domain', message: `the origin ${String(domainName)} is not the bucket's REST endpoint (${expected.domains.join(' or ')})`, got };
  }
  const want = EXPECTED_AUTH[expected.access];
  if (authMethod !== want) {
    return {
      reason: 'wrong-auth-method',
      message: `the origin's authMethod is "${String(authMethod)}" but originAccess "${expected.access}" needs "${want}"`,
      got,
    };
  }
  // The distribution's origin path is prepended to every key: any path but the one deploy.prefix
  // gives would serve (and protect) objects other than the ones the site was deployed as.
  const originPath = origin.s3.path ?? '';
  const wantPath = expected.path ?? '';
  if (originPath !== wantPath) {
    return {
      reason: 'origin-path',
      message: wantPath === ''
        ? `the origin has the origin path "${String(originPath)}", but edgelock serves the bucket's root (deploy.prefix is ""): remove the origin path from the distribution, or set deploy.prefix and rebuild`
        : `the origin path is "${String(originPath)}", but deploy.prefix serves "${wantPath}": set the distribution's origin path to "${wantPath}" (the stacks do), or change deploy.prefix and rebuild`,
      got: { ...got, path: String(originPath) },
    };
  }
  return undefined;
}
