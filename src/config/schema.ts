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
   * Attempts per S3 request before the deploy fails (5xx, SlowDown and network errors are retried with backoff).
   * @default 6
   */
  maxAttempts: z.number().int().min(1).max(20).default(6),
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
  /** Addresses subscribed to the approval topic. @default [] */
  approvalEmails: z.array(z.email({ error: 'expected an e-mail address' })).default([]),
});

const loggingSchema = z.strictObject({
  /** Days log objects are kept. @default 365 */
  retentionDays: z.number().int().min(1).max(3650).default(365),
});

/** What the CDKTF stacks create beyond the environments' own settings. */
export const stacksSchema = z.strictObject({
  /**
   * Site bucket encryption: SSE-S3, or SSE-KMS with a key whose policy admits only this distribution.
   * @default 'sse-s3'
   */
  encryption: z.enum(['sse-s3', 'sse-kms'], { error: 'expected "sse-s3" or "sse-kms"' }).default('sse-s3'),
  /** @default 'index.html' */
  defaultRootObject: z.string().regex(/^[A-Za-z0-9._-]+$/).default('index.html'),
  /** @default 'PriceClass_100' */
  priceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']).default('PriceClass_100'),
  /** Extra behaviours, in order. Each gets the same edge handlers as the default behaviour unless told. @default [] */
  behaviors: z.array(behaviorSchema).default([]),
  /**
   * Also attach a CloudFront response-headers policy built from `headers` (the origin-response
   * function still runs; the policy covers responses CloudFront generates itself).
   * @default false
   */
  responseHeadersPolicy: z.boolean().default(false),
  /**
   * A WAF web ACL (us-east-1) with a rate-based rule, or false for none.
   * @default false
   */
  waf: z
    .union([
      z.literal(false),
      z.strictObject({
        /** Requests per 5 minutes from one IP before it is blocked. @default 1000 */
        rateLimit: z.number().int().min(10).max(2_000_000_000).default(1000),
      }),
    ])
    .default(false),
  /** Log buckets, Glue tables and the Athena workgroup. */
  logging: loggingSchema.default(() => loggingSchema.parse({})),
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
