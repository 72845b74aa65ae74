/**
 * The edgelock config schema: the single source of truth read by the build, the local edge,
 * the CDKTF app, the deployer and the doctor.
 *
 * The schema describes the file as the user writes it. `loadConfig()` turns that into a
 * {@link ResolvedConfig}: defaults applied, htpasswd files read, paths made absolute.
 */
import { z } from 'zod';
import { bcryptHashSchema, userNameSchema } from './bcrypt';
import { headersSchema } from './headers';
import { pathPatternSchema } from './paths';

const accountId = z
  .string({ error: 'expected a 12-digit AWS account ID as a string, e.g. "111111111111"' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account ID as a string, e.g. "111111111111"' });

const region = z
  .string({ error: 'expected an AWS region, e.g. "eu-west-1"' })
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'expected an AWS region, e.g. "eu-west-1"' });

/** S3 bucket naming rules (general purpose buckets). */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error: 'expected an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit, e.g. "acme-site-prod"',
  })
  .refine((b) => !/\.\.|^\d+\.\d+\.\d+\.\d+$|^xn--|-s3alias$|--ol-s3$/.test(b), {
    error: 'not a valid S3 bucket name (no "..", no IP address form, no reserved prefix or suffix)',
  });

const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'expected a lower-case DNS name, e.g. "preview.example.com"',
  });

const projectName = z
  .string({ error: 'expected a short lower-case name used in resource names, e.g. "acme-web"' })
  .regex(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, {
    error: 'expected 3-24 characters of a-z, 0-9 and "-", starting with a letter, e.g. "acme-web"',
  });

const envName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,15}$/, {
    error: 'environment names are 1-16 characters of a-z, 0-9 and "-", starting with a letter, e.g. "prod"',
  })
  .refine((n) => n !== 'origin', {
    error: 'an environment may not be named "origin": the build writes non-edge bundles under <out>/origin/; pick another name, e.g. "prod"',
  });

/** OAI canonical user IDs are 96 hex digits; account canonical IDs 64. */
const canonicalUserId = z.string().regex(/^(?:[0-9a-f]{64}|[0-9a-f]{96})$/, {
  error: 'expected the OAI\'s S3CanonicalUserId: 96 (or, for an account, 64) lower-case hex digits, from `aws cloudfront list-cloud-front-origin-access-identities`',
});

export const environmentSchema = z.strictObject({
  /** The AWS account that owns this environment's bucket and distribution. */
  accountId,
  /** Region of the site bucket. Edge functions always live in us-east-1. */
  region,
  /** Whether every viewer request must pass HTTP Basic auth. */
  auth: z.boolean({ error: 'expected true or false: does this environment require Basic auth?' }),
  /**
   * How the distribution reaches the bucket.
   * @default 'oac'
   */
  originAccess: z.enum(['oac', 'oai'], { error: 'expected "oac" (recommended) or "oai" (legacy)' }).default('oac'),
  /**
   * Site bucket name.
   * @default `${project}-${env}-site-${accountId}`
   */
  bucket: bucketName.optional(),
  /** Custom domain served by the distribution (needs `certificateArn`). */
  domain: domainName.optional(),
  /** ACM certificate in us-east-1 for `domain`. */
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, {
      error: 'expected an ACM certificate ARN in us-east-1 (CloudFront only uses us-east-1 certificates)',
    })
    .optional(),
  /** Existing distribution ID, once deployed (used by the deployer and the doctor). */
  distributionId: z
    .string()
    .regex(/^E[A-Z0-9]{7,20}$/, { error: 'expected a CloudFront distribution ID such as "E2QWRUHAPOMQZL"' })
    .optional(),
  /** Canonical user IDs of legacy OAIs that must be granted read on objects in ObjectWriter buckets. */
  oaiCanonicalUserIds: z.array(canonicalUserId).optional(),
});

const usersList = z
  .array(z.strictObject({ user: userNameSchema, hash: bcryptHashSchema }))
  .min(1, { error: 'list at least one user, e.g. [{ user: "demo", hash: "$2b$10$..." }]' });

export const authSchema = z.strictObject({
  /** The realm shown in the browser's login prompt. */
  realm: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x20-\x7e]+$/, { error: 'the realm must be printable ASCII' })
    .refine((r) => !/["\\]/.test(r), { error: 'the realm may not contain a double quote or a backslash' }),
  /**
   * An htpasswd file (bcrypt lines only), relative to the config file, or a list of users.
   */
  users: z.union([z.string().min(1), usersList], {
    error: 'expected the path of an htpasswd file (e.g. "./users.htpasswd") or a list of { user, hash }',
  }),
  /**
   * Paths that require credentials.
   * @default ['/*']
   */
  protect: z.array(pathPatternSchema).min(1).default(['/*']),
  /**
   * Paths that never require credentials, even when `protect` matches (health checks, ACME).
   * @default []
   */
  bypass: z.array(pathPatternSchema).default([]),
  /**
   * How long a verified Authorization header is remembered by a warm edge function, in seconds.
   * @default 300
   */
  cacheTtlSeconds: z.number().int().min(0).max(3600).default(300),
  /**
   * How many verified Authorization headers a warm edge function remembers.
   * @default 256
   */
  cacheEntries: z.number().int().min(1).max(10000).default(256),
  /**
   * Per-instance ceiling on bcrypt verifications a second (a token bucket; fractions allowed).
   * Past it, new credentials get a 401 with Retry-After and an audit line, without a bcrypt check;
   * credentials already verified keep working. WAF rate rules limit across instances (docs/edge.md).
   * @default 1
   */
  maxVerificationsPerSecond: z
    .number({ error: 'expected a number of bcrypt checks a second per edge function instance, e.g. 1' })
    .min(0.1, { error: 'maxVerificationsPerSecond must be at least 0.1 (one check every 10 s)' })
    .max(100, { error: 'maxVerificationsPerSecond is at most 100; one 128 MB instance cannot run more than a few bcrypt checks a second' })
    .default(1),
});

/**
 * Longest `origin.maxUriLength`: the guard refuses URIs longer than it, raw or re-encoded, and may
 * append "/index.html"; CloudFront refuses a request URI over 8,192 bytes.
 */
export const MAX_URI_LENGTH = 8192 - '/index.html'.length;

export const originSchema = z.strictObject({
  /**
   * Append `index.html` to extensionless paths (`/about` → `/about/index.html`), for "pretty URL" sites.
   * @default false
   */
  prettyUrls: z.boolean().default(false),
  /**
   * Serve this document for extensionless paths instead (single-page apps), e.g. "/index.html".
   */
  spaFallback: z
    .string()
    .max(1024, { error: 'spaFallback is at most 1024 characters' })
    .regex(/^\/[A-Za-z0-9._\/-]+$/, { error: 'expected the key of a document such as "/index.html": "/" then letters, digits, ".", "_", "-" and "/"' })
    .refine((p) => !p.endsWith('/') && !p.slice(1).split('/').some((segment) => segment === '' || segment === '.' || segment === '..'), {
      error: 'spaFallback must be a canonical key such as "/index.html": no "//", "." or ".." segments and no trailing "/"',
    })
    .optional(),
  /**
   * Forward cookies to the origin. S3 ignores them; keep them off.
   * @default false
   */
  allowCookies: z.boolean().default(false),
  /**
   * HTTP methods allowed through to the origin.
   * @default ['GET', 'HEAD']
   */
  allowedMethods: z
    .array(z.enum(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE']))
    .min(1)
    .default(['GET', 'HEAD']),
  /**
   * Longest URI accepted, in bytes.
   * @default 2048
   */
  maxUriLength: z
    .number()
    .int()
    .min(64)
    .max(MAX_URI_LENGTH, {
      error: `maxUriLength is at most ${MAX_URI_LENGTH}: origin-request may append "/index.html" (11 characters) and CloudFront refuses a URI over 8192 bytes (a 502)`,
    })
    .default(2048),
});

export const cacheRuleSchema = z.strictObject({
  /** A glob over the object key, e.g. "assets/**" or "*.html". */
  match: z.string().min(1),
  cacheControl: z.string().min(1),
});

export const deploySchema = z.strictObject({
  /**
   * Cache-Control rules, first match wins. Defaults: content-hashed assets immutable for a year, HTML no-cache.
   */
  cacheControl: z.array(cacheRuleSchema).optional(),
  /**
   * Parallel uploads.
   * @default 16
   */
  concurrency: z.number().int().min(1).max(256).default(16),
  /**
   * Key prefix the site is deployed under, e.g. "site/" (ends with "/"; "" for the bucket's root). Only
   * keys under it are compared and pruned. No folder may start with "." (so never ".." nor edgelock's ".edgelock/").
   * @default ''
   */
  prefix: z
    .string()
    .regex(/^([A-Za-z0-9_-][A-Za-z0-9._-]*\/)*$/, { error: 'expected a key prefix such as "site/" or "" (folders of letters, digits, ".", "_" and "-", each ending with "/"; no leading "/")' })
    .default(''),
  /**
   * Gitignore-style patterns of files to publish that the defaults skip (dotfiles and dot-folders), e.g. ".nojekyll".
   * @default []
   */
  include: z.array(z.string().min(1)).default([]),
  /**
   * Gitignore-style patterns of files never uploaded and keys never deleted (matched against the key under `prefix`).
   * @default []
   */
  exclude: z.array(z.string().min(1)).default([]),
  /**
   * Gitignore-style patterns of files that look like secrets (by name or content) but are meant to be public, e.g. "certs/ca-public.pem".
   * @default []
   */
  allowSecrets: z.array(z.string().min(1)).default([]),
  /**
   * Most keys one deploy may delete: a count (e.g. 100) or a percentage of the keys the last deploy record lists (e.g. "50%"). The default
   * lets a release replace every hashed asset but stops a deploy of the wrong or a half-built folder.
   * More refuses the deploy unless `--allow-deletes`.
   * @default '90%'
   */
  maxDeletes: z
    .union([z.number().int().min(0), z.string().regex(/^(100|[1-9]?\d)%$/, { error: 'expected a percentage such as "50%"' })], { error: 'expected a count such as 100 or a percentage such as "50%"' })
    .default('90%'),
  /** Name of the role each environment account offers to the tools account's deployer. */
  roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/).default('edgelock-deploy'),
  /**
   * Folder inside the pipeline's input artifact that holds the site (the deploy Lambda only).
   * @default '.'
   */
  artifactDir: z
    .string()
    .regex(/^(\.|[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)$/, { error: 'expected a relative folder such as "." or "dist/site" (no "..", no leading "/")' })
    .refine((d) => !d.split('/').includes('..'), { error: 'the artifact folder may not contain ".."' })
    .default('.'),
  /**
   * The pipeline's deploy function adopts the bucket (under `prefix`) on a deploy into a bucket that has no
   * deploy record yet, as `edgelock deploy --adopt` does: it prunes keys no record lists. Once a deploy has
   * written a record it has no effect. The action's UserParameters `"adopt"` overrides it.
   * @default false
   */
  pipelineAdopt: z.boolean().default(false),
  /**
   * Attempts per S3 request before the deploy fails (5xx, SlowDown and network errors are retried with backoff).
   * @default 6
   */
  maxAttempts: z.number().int().min(1).max(20).default(6),
  /**
   * Seconds a connection to AWS may take to open, and a request may go without receiving a byte,
   * before it fails as a network error (and is retried like one). S3 keeps slow copies and
   * multipart completions alive with whitespace, so only an endpoint that stopped answering trips it.
   * @default 60
   */
  requestTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  /** CloudFront invalidation after the new HTML is uploaded. */
  invalidation: z
    .strictObject({
      /**
       * Past this many paths, paths are collapsed to folder wildcards (CloudFront allows 3,000 paths and 15 wildcards in progress).
       * @default 500
       */
      maxPaths: z.number().int().min(1).max(3000).default(500),
      /**
       * Wait for the invalidation to complete before probing and pruning.
       * @default true
       */
      wait: z.boolean().default(true),
      /**
       * Longest wait for the invalidation, in seconds.
       * @default 600
       */
      waitSeconds: z.number().int().min(10).max(3600).default(600),
    })
    .default({ maxPaths: 500, wait: true, waitSeconds: 600 }),
  /**
   * Pre-flight: before anything is uploaded, every file of the site the HTML references (src, href,
   * srcset, url() in styles, linked stylesheets and manifest icons) must be in the site folder.
   */
  preflight: z
    .strictObject({
      /**
       * Gitignore-style patterns of referenced paths the site does not carry itself (matched against the
       * path under the site root), e.g. "/uploads/" written by another process, or "/api/".
       * @default []
       */
      ignore: z.array(z.string().min(1), { error: 'expected a list of gitignore-style patterns, e.g. ["/uploads/", "/api/"]' }).default([]),
      /**
       * Also check navigation: `<a href>`, `<area href>`, `<link rel=canonical|alternate|…>` and a manifest's start_url.
       * @default false
       */
      links: z.boolean().default(false),
    })
    .default({ ignore: [], links: false }),
  /** Checks after the upload: object ownership and a probe through the distribution. */
  verify: z
    .strictObject({
      /**
       * Check that every site object is owned by the bucket owner (or carries the OAI grant in legacy ObjectWriter buckets).
       * @default true
       */
      ownership: z.boolean().default(true),
      /**
       * Fetch a few changed paths through the distribution (cache-busting query, no-cache headers) and compare the content.
       * @default true
       */
      probe: z.boolean().default(true),
      /**
       * How many changed paths to probe.
       * @default 3
       */
      probePaths: z.number().int().min(1).max(50).default(3),
      /**
       * Attempts per probed path while the edge still serves old content (5 s apart).
       * @default 6
       */
      probeAttempts: z.number().int().min(1).max(60).default(6),
      /**
       * Name of the environment variable holding "user:password" for probing environments with auth
       * (`--probe-credentials` overrides it). Never put the password itself in the config.
       * @default 'EDGELOCK_PROBE_CREDENTIALS'
       */
      probeCredentialsEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name, e.g. "EDGELOCK_PROBE_CREDENTIALS"' }).default('EDGELOCK_PROBE_CREDENTIALS'),
    })
    .default({ ownership: true, probe: true, probePaths: 3, probeAttempts: 6, probeCredentialsEnv: 'EDGELOCK_PROBE_CREDENTIALS' }),
});

/** A CloudFront behaviour beyond the default one, e.g. long-cached assets. */
export const behaviorSchema = z.strictObject({
  /** CloudFront path pattern, e.g. "/assets/*". */
  pathPattern: z.string().regex(/^\/?[A-Za-z0-9_\-.*$/~"'@:+&=!]+$/, { error: 'expected a CloudFront path pattern such as "/assets/*"' }),
  /**
   * Edge handlers associated with this behaviour. In an environment with auth, leaving out
   * "viewer-request" fails `cdktf synth` (use `auth.bypass` for public paths instead).
   * @default ['viewer-request', 'origin-request', 'origin-response']
   */
  handlers: z.array(z.enum(['viewer-request', 'origin-request', 'origin-response'])).default(['viewer-request', 'origin-request', 'origin-response']),
  /**
   * Managed or custom cache policy ID.
   * @default '658327ea-f89d-4fab-a63d-7e88639e58f6' (Managed-CachingOptimized)
   */
  cachePolicyId: z.string().regex(/^[0-9a-f-]{36}$/, { error: 'expected a cache policy ID (a UUID)' }).default('658327ea-f89d-4fab-a63d-7e88639e58f6'),
});

/** The tools account's pipeline: Source → Build → Deploy-<env> (with an approval before each later environment). */
export const pipelineSchema = z.strictObject({
  /** Folder (in the repository, after the build) that holds the site to deploy. @default 'public' */
  siteDir: z.string().regex(/^[A-Za-z0-9._][A-Za-z0-9._/-]*$/, { error: 'expected a relative folder such as "public"' }).default('public'),
  /** @default ['npm ci', 'npm test', 'npm run build'] */
  buildCommands: z.array(z.string().min(1)).min(1).default(['npm ci', 'npm test', 'npm run build']),
  /** @default 'aws/codebuild/standard:7.0' */
  buildImage: z.string().min(1).default('aws/codebuild/standard:7.0'),
  /** @default 'BUILD_GENERAL1_SMALL' */
  computeType: z.enum(['BUILD_GENERAL1_SMALL', 'BUILD_GENERAL1_MEDIUM', 'BUILD_GENERAL1_LARGE']).default('BUILD_GENERAL1_SMALL'),
  /** A KMS key (in the tools account and region) for the deploy function's and CodeBuild's log groups; its policy must admit logs.<region>.amazonaws.com. @default CloudWatch Logs' own encryption */
  logKmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, { error: 'expected a KMS key ARN, e.g. "arn:aws:kms:us-east-1:111111111111:key/…"' }).optional(),
  /** Addresses subscribed to the approval topic. @default [] */
  approvalEmails: z.array(z.email({ error: 'expected an e-mail address' })).default([]),
});

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_GROUP_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const logGroupRetention = z
  .number()
  .refine((d) => (LOG_GROUP_RETENTION_DAYS as readonly number[]).includes(d), { error: `expected a CloudWatch Logs retention in days: one of ${LOG_GROUP_RETENTION_DAYS.join(', ')}` });

/** AWS managed rule groups (free of subscription) that may be added to the three the web ACL always has. */
export const OPTIONAL_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAnonymousIpList',
  'AWSManagedRulesAdminProtectionRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesLinuxRuleSet',
  'AWSManagedRulesUnixRuleSet',
  'AWSManagedRulesWindowsRuleSet',
  'AWSManagedRulesPHPRuleSet',
  'AWSManagedRulesWordPressRuleSet',
] as const;

const wafSchema = z.strictObject({
  /** Requests per 5 minutes from one IP before it is blocked. @default 1000 */
  rateLimit: z.number().int().min(10).max(2_000_000_000).default(1000),
  /**
   * Requests per 5 minutes from one IP that carry an Authorization header (password guesses, and
   * every request of a signed-in browser) before it is blocked. @default 300
   */
  authRateLimit: z.number().int().min(10).max(2_000_000_000).default(300),
  /** AWS managed rule groups added after Common, KnownBadInputs and AmazonIpReputationList. @default [] */
  managedRuleGroups: z.array(z.enum(OPTIONAL_MANAGED_RULE_GROUPS)).default([]),
  /** Days the `aws-waf-logs-<project>-<env>` log group (us-east-1) keeps WAF logs. @default 365 */
  logRetentionDays: logGroupRetention.default(365),
});

const loggingSchema = z.strictObject({
  /** Days log objects are kept. @default 365 */
  retentionDays: z.number().int().min(1).max(3650).default(365),
  /** Days the Lambda (edge and deploy function) and CodeBuild log groups keep logs. @default 365 */
  logGroupRetentionDays: logGroupRetention.default(365),
  /**
   * S3 Object Lock (GOVERNANCE mode, default retention `retentionDays`) on the CloudFront log
   * bucket. Only at bucket creation. S3 server access logs then go to a bucket of their own.
   * @default false
   */
  objectLock: z.boolean().default(false),
  /**
   * CloudFront log bucket encryption: SSE-S3, or SSE-KMS with a rotating key the stack creates.
   * With SSE-KMS, S3 server access logs go to a bucket of their own (they cannot target SSE-KMS).
   * @default 'sse-s3'
   */
  encryption: z.enum(['sse-s3', 'sse-kms'], { error: 'expected "sse-s3" or "sse-kms"' }).default('sse-s3'),
});

/**
 * A custom error response: what the distribution answers instead of an origin error. CloudFront
 * fetches `page` through the same behaviours (and caches it), and answers with `status`.
 */
export const errorPageSchema = z.strictObject({
  /** The origin's (or origin-response function's) status to replace. */
  code: z.union([z.literal(400), z.literal(403), z.literal(404), z.literal(405), z.literal(414), z.literal(416), z.literal(500), z.literal(501), z.literal(502), z.literal(503), z.literal(504)], {
    error: 'expected one of the status codes CloudFront can replace: 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504',
  }),
  /** The page to serve, a path on the site starting with "/", e.g. "/404.html". */
  page: z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]*$/, { error: 'expected a path on the site starting with "/", e.g. "/404.html"' }),
  /** The status the viewer gets with the page. @default the original code */
  status: z.number().int().min(200).max(599).optional(),
  /** Error caching minimum TTL: how long CloudFront keeps this error before asking the origin again, in seconds. @default 10 */
  ttlSeconds: z.number().int().min(0).max(31_536_000).default(10),
});

/** The 17 AWS regions enabled by default in every account: where Lambda@Edge can write logs without opt-in. */
export const DEFAULT_EDGE_LOG_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
] as const;

/** What the CDKTF stacks create beyond the environments' own settings. */
export const stacksSchema = z.strictObject({
  /**
   * Site bucket encryption: SSE-S3, or SSE-KMS with a key whose policy admits only this distribution.
   * @default 'sse-s3'
   */
  encryption: z.enum(['sse-s3', 'sse-kms'], { error: 'expected "sse-s3" or "sse-kms"' }).default('sse-s3'),
  /** @default 'index.html' */
  defaultRootObject: z.string().regex(/^[A-Za-z0-9._-]+$/).default('index.html'),
  /**
   * Custom error responses, at most one per code, e.g. [{ code: 404, page: '/404.html', status: 404, ttlSeconds: 60 }].
   * @default [] (the origin's own error answers)
   */
  errorPages: z
    .array(errorPageSchema)
    .refine((pages) => new Set(pages.map((p) => p.code)).size === pages.length, { error: 'list each status code at most once in errorPages' })
    .default([]),
  /** @default 'PriceClass_100' */
  priceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']).default('PriceClass_100'),
  /**
   * Let an environment with `auth: true` run on the default *.cloudfront.net certificate, whose
   * security policy is fixed at TLSv1 (Basic credentials may then cross TLS 1.0 or 1.1). Synth warns.
   * Without it, such an environment needs `domain` and `certificateArn` (TLSv1.2_2021 at minimum).
   * @default false
   */
  allowDefaultCertificate: z.boolean().default(false),
  /** Extra behaviours, in order. Each gets the same edge handlers as the default behaviour unless told. @default [] */
  behaviors: z.array(behaviorSchema).default([]),
  /**
   * Also attach a CloudFront response-headers policy built from `headers` (the origin-response
   * function still runs; the policy covers responses CloudFront generates itself, such as its own
   * error pages, which no Lambda@Edge function sees).
   * @default true
   */
  responseHeadersPolicy: z.boolean().default(true),
  /**
   * The WAF web ACL (us-east-1, scope CLOUDFRONT) in front of every distribution: AWS managed rule
   * groups, per-IP rate limits and logging; false for none.
   * @default on, with the defaults of each key
   */
  waf: z.union([z.literal(false), wafSchema]).default(() => wafSchema.parse({})),
  /** Log buckets, Glue tables and the Athena workgroup. */
  logging: loggingSchema.default(() => loggingSchema.parse({})),
  /**
   * Regions where the stacks create each edge function's log group (`/aws/lambda/us-east-1.<function>`)
   * with retention. Lambda@Edge logs in the region that served the request; in a region not
   * listed, Lambda creates the group on first write and keeps it forever.
   * @default the 17 regions enabled by default in every account (DEFAULT_EDGE_LOG_REGIONS)
   */
  edgeLogRegions: z
    .array(region)
    .min(1)
    .refine((r) => new Set(r).size === r.length, { error: 'lists a region twice' })
    .default(() => [...DEFAULT_EDGE_LOG_REGIONS]),
  /**
   * How long Terraform waits for an edge function to be deleted (replicas linger for hours).
   * @default '6h'
   */
  edgeFunctionDeleteTimeout: z.string().regex(/^\d+[smh]$/, { error: 'expected a Terraform duration such as "6h"' }).default('6h'),
  /** The tools account's CodePipeline, or false for none. */
  pipeline: z.union([z.literal(false), pipelineSchema]).default(() => pipelineSchema.parse({})),
});

/** Settings of `edgelock doctor`, `edgelock fix ownership` and `edgelock logs`. */
export const doctorSchema = z.strictObject({
  /**
   * Above this many objects to rewrite, `fix ownership` writes an S3 Batch Operations job
   * definition and CSV manifest instead of copying objects one by one.
   * @default 10000
   */
  batchThreshold: z.number({ error: 'expected a whole number of objects, e.g. 10000' }).int().min(1).max(1_000_000_000).default(10_000),
  /**
   * IAM role (in the environment's account) that S3 Batch Operations assumes to copy objects.
   * @default 'edgelock-batch-operations'
   */
  batchRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: 'expected an IAM role name, e.g. "edgelock-batch-operations"' }).default('edgelock-batch-operations'),
  /**
   * Rows shown per table in `edgelock logs` (top keys, requesters, user agents...).
   * @default 10
   */
  logTop: z.number({ error: 'expected a whole number of rows, e.g. 10' }).int().min(1).max(1000).default(10),
  /**
   * Above this many objects, `doctor --sweep` stops listing and reads the bucket's S3 Inventory
   * report instead, when the bucket has an inventory configuration (else it lists on).
   * @default 100000
   */
  sweepThreshold: z.number({ error: 'expected a whole number of objects, e.g. 100000' }).int().min(1).max(1_000_000_000).default(100_000),
  /**
   * Per-object reads (GetObjectAcl, HeadObject) `doctor --sweep` makes at once.
   * @default 16
   */
  sweepConcurrency: z.number({ error: 'expected a whole number of requests, e.g. 16' }).int().min(1).max(256).default(16),
});

export const backendSchema = z.strictObject({
  bucket: bucketName,
  keyPrefix: z.string().default('edgelock'),
  region,
  lockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/).optional(),
});

export const configSchema = z
  .strictObject({
    /** Short name used in resource names. */
    project: projectName,
    /** The CI/CD ("tools") account that builds and deploys. */
    tools: z.strictObject({
      accountId,
      region: region.default('us-east-1'),
      /** Git repository the pipeline builds, "owner/name". */
      repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/).optional(),
      branch: z.string().min(1).default('main'),
      /** ARN of an existing CodeStar connection to the repository host. */
      connectionArn: z.string().startsWith('arn:').optional(),
      /** The AWS Organization ID ("o-…"): each environment's deploy role then trusts only principals of it (aws:PrincipalOrgID). */
      organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, { error: 'expected an AWS Organization ID such as "o-a1b2c3d4e5"' }).optional(),
    }),
    /** Name → environment. Order matters: the pipeline deploys them in this order. */
    environments: z
      .record(envName, environmentSchema)
      .refine((envs) => Object.keys(envs).length > 0, {
        error: 'define at least one environment, e.g. { dev: { accountId: "222222222222", region: "eu-west-1", auth: true } }',
      }),
    auth: authSchema.optional(),
    headers: headersSchema.default(headersSchema.parse({})),
    origin: originSchema.default(originSchema.parse({})),
    deploy: deploySchema.default(deploySchema.parse({})),
    /** Settings of the doctor, `fix ownership` and `logs` (docs/doctor.md). */
    doctor: doctorSchema.default(doctorSchema.parse({})),
    /**
     * Role assumed by the CDKTF providers in each account.
     * @default 'OrganizationAccountAccessRole'
     */
    provisionRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/).default('OrganizationAccountAccessRole'),
    /** Remote Terraform state. Without it, state is local (the app warns). */
    backend: backendSchema.optional(),
    /** What the CDKTF stacks create: encryption, behaviours, WAF, logging, pipeline. */
    stacks: stacksSchema.default(() => stacksSchema.parse({})),
  })
  .superRefine((cfg, ctx) => {
    const authEnvs = Object.entries(cfg.environments).filter(([, e]) => e.auth);
    if (authEnvs.length > 0 && !cfg.auth) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: `environment "${authEnvs[0]![0]}" has auth: true, so an auth section is required, e.g. auth: { realm: "Preview", users: "./users.htpasswd" }`,
      });
    }
    for (const [name, env] of Object.entries(cfg.environments)) {
      if (env.domain && !env.certificateArn) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'certificateArn'],
          message: `domain "${env.domain}" needs an ACM certificate in us-east-1: set certificateArn`,
        });
      }
      if (env.oaiCanonicalUserIds && env.originAccess !== 'oai') {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'oaiCanonicalUserIds'],
          message: 'oaiCanonicalUserIds only applies with originAccess: "oai"',
        });
      }
    }
    const buckets = new Map<string, string>();
    for (const [name, env] of Object.entries(cfg.environments)) {
      if (!env.bucket) continue;
      const other = buckets.get(env.bucket);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'bucket'],
          message: `bucket "${env.bucket}" is also used by environment "${other}": each environment needs its own bucket`,
        });
      }
      buckets.set(env.bucket, name);
    }
  });

/** The config as written by the user (input of `defineConfig`). */
export type EdgelockConfigInput = z.input<typeof configSchema>;
/** The config after validation and defaults, before files are read. */
export type ParsedConfig = z.output<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type AuthConfig = z.output<typeof authSchema>;
export type OriginConfig = z.output<typeof originSchema>;
export type DeployConfig = z.output<typeof deploySchema>;
export type DoctorConfig = z.output<typeof doctorSchema>;
export type StacksConfig = z.output<typeof stacksSchema>;
export type ErrorPageConfig = z.output<typeof errorPageSchema>;

export interface BasicUser {
  readonly user: string;
  readonly hash: string;
}

/** A fully resolved environment: defaults filled in, names derived. */
export interface ResolvedEnvironment extends EnvironmentConfig {
  readonly name: string;
  readonly bucket: string;
  /** The bucket's regional REST endpoint, the only origin domain the guard accepts. */
  readonly bucketDomain: string;
}

/** The config everything else reads: validated, defaults applied, htpasswd read. */
export interface ResolvedConfig extends Omit<ParsedConfig, 'auth' | 'environments'> {
  /** Absolute path of the config file (or "<embedded>"). */
  readonly configPath: string;
  /** Folder that relative paths in the config are resolved against. */
  readonly baseDir: string;
  readonly auth?: Omit<AuthConfig, 'users'> & { readonly users: readonly BasicUser[]; readonly usersSource: string };
  readonly environments: Readonly<Record<string, ResolvedEnvironment>>;
}
