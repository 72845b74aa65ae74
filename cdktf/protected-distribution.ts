/**
 * ProtectedDistribution: CloudFront in front of a LockedBucket's REST endpoint, reached through
 * OAC (SigV4, always sign) or a legacy OAI; HTTPS only; the edge handlers on every behaviour.
 */
import { Construct } from 'constructs';
import {
  CloudfrontDistribution,
  type CloudfrontDistributionDefaultCacheBehavior,
  type CloudfrontDistributionOrderedCacheBehavior,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontOriginAccessIdentity } from '@cdktf/provider-aws/lib/cloudfront-origin-access-identity';
import type { HandlerName } from '../src/build/handlers';
import type { SiteReader } from '../src/origin/policy';
import { ALL_METHODS, allowedMethodSet, CACHING_OPTIMIZED_ID, describeDistribution, describeViewerTls, type BehaviourDescription, type DistributionDescription, type DistributionSettings } from '../src/distribution';
import { checkAuthAssociations } from './association-check';
import { PropsCheck } from './props';

/** AWS managed cache policy "Managed-CachingOptimized". */
export const CACHING_OPTIMIZED = CACHING_OPTIMIZED_ID;
const ORIGIN_ID = 'site-bucket';

export { allowedMethodSet };

const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];

export interface BehaviourSpec {
  readonly pathPattern: string;
  readonly handlers: readonly HandlerName[];
  readonly cachePolicyId: string;
}

export interface ProtectedDistributionProps {
  readonly project: string;
  readonly environment: string;
  /** Whether every behaviour must run viewer-request (Basic auth); checked at synth. */
  readonly auth: boolean;
  /** The site bucket's regional REST domain (never a website endpoint). */
  readonly bucketRegionalDomainName: string;
  /** @default 'oac' */
  readonly originAccess?: 'oac' | 'oai';
  /** Qualified ARNs of the environment's edge functions. */
  readonly functions: Partial<Record<HandlerName, string>>;
  /** @default ['GET', 'HEAD'] */
  readonly allowedMethods?: readonly string[];
  /** Extra behaviours, in order. @default [] */
  readonly behaviors?: readonly BehaviourSpec[];
  /** @default 'index.html' */
  readonly defaultRootObject?: string;
  /** Custom error responses (the config's `stacks.errorPages`). @default [] */
  readonly errorPages?: DistributionSettings['errorPages'];
  /**
   * The origin path: `/site` serves the keys under `site/` (deploy.prefix; see originPathFor in
   * src/distribution). The origin-request guard built from the same config expects it. @default '' (the bucket root)
   */
  readonly originPath?: string;
  /** @default 'PriceClass_100' */
  readonly priceClass?: string;
  /** A custom domain and its us-east-1 ACM certificate; TLS 1.2_2021 at minimum. @default the CloudFront domain and certificate */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /**
   * With `auth: true` and no `domain`, serve on the default *.cloudfront.net certificate anyway
   * (security policy fixed at TLSv1, so credentials may cross TLS 1.0/1.1). @default false: refused
   */
  readonly allowDefaultCertificate?: boolean;
  /** A WAFv2 web ACL (scope CLOUDFRONT) in front of the distribution. @default none */
  readonly webAclArn?: string;
  /** A response headers policy on every behaviour (the origin-response handler sets the headers either way). @default none */
  readonly responseHeadersPolicyId?: string;
}

const ALL_HANDLERS: readonly HandlerName[] = ['viewer-request', 'origin-request', 'origin-response'];

export class ProtectedDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;
  /** What the site bucket policy must admit: this distribution (OAC) or its OAI. */
  readonly reader: SiteReader;
  /** The one description this distribution is synthesized from (src/distribution); the local edge runs by the same. */
  readonly description: DistributionDescription;

  constructor(scope: Construct, id: string, props: ProtectedDistributionProps) {
    super(scope, id);
    checkDistributionProps(props, `ProtectedDistribution ${this.node.path}`);
    const name = `${props.project}-${props.environment}`;
    const access = props.originAccess ?? 'oac';
    const description = describeDistribution(props);
    this.description = description;
    const viewerTls = describeViewerTls({ domain: props.domain?.name, certificateArn: props.domain?.certificateArn });

    const associations = (handlers: readonly HandlerName[]) =>
      handlers.flatMap((h) => {
        const arn = props.functions[h];
        return arn ? [{ eventType: h, lambdaArn: arn, includeBody: false }] : [];
      });
    const behaviour = (b: BehaviourDescription): CloudfrontDistributionDefaultCacheBehavior => ({
      targetOriginId: ORIGIN_ID,
      viewerProtocolPolicy: b.viewerProtocolPolicy,
      allowedMethods: [...b.allowedMethods],
      cachedMethods: [...b.cachedMethods],
      compress: b.compress,
      cachePolicyId: b.cachePolicyId,
      originRequestPolicyId: b.originRequestPolicyId,
      responseHeadersPolicyId: props.responseHeadersPolicyId,
      lambdaFunctionAssociation: associations(b.handlers),
    });

    let originAccessControlId: string | undefined;
    let s3OriginConfig: { originAccessIdentity: string } | undefined;
    let oai: CloudfrontOriginAccessIdentity | undefined;
    if (access === 'oac') {
      originAccessControlId = new CloudfrontOriginAccessControl(this, 'oac', {
        name,
        description: `edgelock ${name}: CloudFront signs every request to the site bucket`,
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
      }).id;
    } else {
      oai = new CloudfrontOriginAccessIdentity(this, 'oai', { comment: `edgelock ${name} (legacy OAI)` });
      s3OriginConfig = { originAccessIdentity: oai.cloudfrontAccessIdentityPath };
    }

    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      comment: `edgelock ${name}`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: props.priceClass ?? 'PriceClass_100',
      defaultRootObject: description.defaultRootObject,
      aliases: props.domain ? [props.domain.name] : undefined,
      origin: [{ originId: ORIGIN_ID, domainName: props.bucketRegionalDomainName, originPath: description.originPath || undefined, originAccessControlId, s3OriginConfig }],
      defaultCacheBehavior: behaviour(description.defaultBehaviour),
      orderedCacheBehavior: description.orderedBehaviours.map((b): CloudfrontDistributionOrderedCacheBehavior => ({ ...behaviour(b), pathPattern: b.pathPattern })),
      customErrorResponse: description.customErrorResponses.length === 0 ? undefined : description.customErrorResponses.map((e) => ({
        errorCode: e.errorCode,
        responseCode: e.responseCode,
        responsePagePath: e.responsePagePath,
        errorCachingMinTtl: e.errorCachingMinTtl,
      })),
      viewerCertificate: viewerTls.certificate === 'acm' && props.domain
        ? { acmCertificateArn: props.domain.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: viewerTls.securityPolicy }
        : { cloudfrontDefaultCertificate: true },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      webAclId: props.webAclArn,
    });

    this.reader = oai ? { kind: 'oai', oaiArn: oai.iamArn } : { kind: 'oac', distributionArn: this.distribution.arn };

    const distribution = this.distribution;
    this.node.addValidation({
      validate: () => {
        const synthesized = distribution.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
        const attributes = Object.values(synthesized.resource.aws_cloudfront_distribution ?? {})[0] ?? {};
        return checkAuthAssociations(attributes, props.environment, props.auth);
      },
    });
  }
}

function checkDistributionProps(props: ProtectedDistributionProps, source: string): void {
  const check = new PropsCheck(source)
    .name(props.project, 'project')
    .name(props.environment, 'environment')
    .that(typeof props.auth === 'boolean', 'auth', 'expected true or false')
    .text(props.bucketRegionalDomainName, 'bucketRegionalDomainName')
    .that(!/s3-website/.test(String(props.bucketRegionalDomainName)), 'bucketRegionalDomainName', "expected the bucket's REST domain (<bucket>.s3.<region>.amazonaws.com), not a website endpoint: website endpoints are public and cannot use OAC or OAI")
    .oneOf(props.originAccess, 'originAccess', ['oac', 'oai'])
    .that(typeof props.functions === 'object' && props.functions !== null, 'functions', 'expected the qualified ARNs of the edge functions (EdgeFunctions.qualifiedArns)')
    .oneOf(props.priceClass, 'priceClass', PRICE_CLASSES)
    .that(props.defaultRootObject === undefined || (props.defaultRootObject !== '' && !props.defaultRootObject.startsWith('/')), 'defaultRootObject', 'expected an object key without a leading slash, such as "index.html"')
    .that(
      props.originPath === undefined || props.originPath === '' || /^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/.test(props.originPath),
      'originPath',
      `expected "" or a path such as "/site" (no trailing "/", no folder starting with "."), got ${JSON.stringify(props.originPath)}: use originPathFor(config.deploy.prefix)`,
    );
  const unknownMethods = (props.allowedMethods ?? []).filter((m) => !ALL_METHODS.includes(m));
  check.that(unknownMethods.length === 0, 'allowedMethods', `unknown HTTP methods ${JSON.stringify(unknownMethods)}: expected some of ${ALL_METHODS.join(', ')}`);
  (props.behaviors ?? []).forEach((b, i) => {
    check.text(b.pathPattern, `behaviors[${i}].pathPattern`).text(b.cachePolicyId, `behaviors[${i}].cachePolicyId`);
    const bad = (b.handlers ?? []).filter((h) => !ALL_HANDLERS.includes(h));
    check.that(Array.isArray(b.handlers) && bad.length === 0, `behaviors[${i}].handlers`, `expected some of ${ALL_HANDLERS.join(', ')}${bad.length ? `, got ${JSON.stringify(bad)}` : ''}`);
  });
  (props.errorPages ?? []).forEach((p, i) => {
    check
      .that(Number.isInteger(p.code) && p.code >= 400 && p.code <= 599, `errorPages[${i}].code`, 'expected a 4xx or 5xx status code')
      .that(typeof p.page === 'string' && p.page.startsWith('/'), `errorPages[${i}].page`, 'expected a path on the site starting with "/", e.g. "/404.html"')
      .that(p.status === undefined || (Number.isInteger(p.status) && p.status >= 200 && p.status <= 599), `errorPages[${i}].status`, 'expected a status code from 200 to 599');
  });
  if (props.domain !== undefined) {
    check.text(props.domain.name, 'domain.name').arn(props.domain.certificateArn, 'domain.certificateArn', 'acm', /^certificate\//);
    const region = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(String(props.domain.certificateArn))?.[1];
    check.that(region === undefined || region === 'us-east-1', 'domain.certificateArn', `CloudFront uses ACM certificates from us-east-1 only, this one is in ${region}`);
  }
  check.that(props.allowDefaultCertificate === undefined || typeof props.allowDefaultCertificate === 'boolean', 'allowDefaultCertificate', 'expected true or false');
  check.that(!(props.auth === true && props.domain === undefined && props.allowDefaultCertificate !== true), 'domain',
    'auth: true needs a custom domain and ACM certificate: the default *.cloudfront.net certificate fixes the security policy at TLSv1, so Basic credentials could cross TLS 1.0 or 1.1; ' +
      'pass domain (the distribution then requires TLSv1.2_2021), or allowDefaultCertificate: true to accept the risk');
  if (props.webAclArn !== undefined) check.arn(props.webAclArn, 'webAclArn', 'wafv2', /^global\/webacl\//);
  check.done();
}
