/**
 * The controls table: each row is a control ID, the HIPAA technical safeguard it serves
 * (45 CFR §164.312, see docs/compliance.md) and the assertion on the synthesized cdk.tf.json.
 * `check` returns what fails (empty when the control holds); `violate` breaks the control in a
 * copy of the JSON, so the test can show each check is able to fail.
 */
import type { ResolvedConfig } from '../../src/config/schema';

export type Json = Record<string, any>;

/** The synthesized app: each environment's cdk.tf.json by name, and the tools stack's. */
export interface SynthesizedApp {
  readonly config: ResolvedConfig;
  readonly environments: Readonly<Record<string, Json>>;
  readonly tools: Json;
}

export type Safeguard = '164.312(a)' | '164.312(b)' | '164.312(c)' | '164.312(d)' | '164.312(e)';

export interface Control {
  readonly id: string;
  readonly title: string;
  readonly safeguards: readonly Safeguard[];
  readonly check: (app: SynthesizedApp) => string[];
  /** Breaks the control in `app` (a deep copy), in place. */
  readonly violate: (app: SynthesizedApp) => void;
}

export const resources = (json: Json, type: string): [string, Json][] => Object.entries(json.resource?.[type] ?? {}) as [string, Json][];
const all = (app: SynthesizedApp): [string, Json][] => [...Object.entries(app.environments), ['tools', app.tools]];
const first = (json: Json, type: string): Json => resources(json, type)[0]![1];
const doc = (value: unknown): Json => JSON.parse(String(value)) as Json;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const fail = (ok: boolean, message: string): string[] => (ok ? [] : [message]);
const firstEnv = (app: SynthesizedApp): Json => Object.values(app.environments)[0]!;

/** Every bucket policy (by stack and resource name) with its parsed document. */
function bucketPolicies(app: SynthesizedApp): { where: string; bucket: string; policy: Json }[] {
  return all(app).flatMap(([stack, json]) =>
    resources(json, 'aws_s3_bucket_policy').map(([name, r]) => ({ where: `${stack}/${name}`, bucket: String(r.bucket), policy: doc(r.policy) })),
  );
}

/** One named log group (a literal name without wildcards, or a managed group's ARN), optionally its streams. */
function ownLogGroup(resource: string): boolean {
  const group = resource.replace(/:(log-stream:)?\*$/, '');
  if (/^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}$/.test(group)) return true;
  const name = /^arn:aws[a-z-]*:logs:[a-z0-9-*]*:\d{12}:log-group:(.+)$/.exec(group)?.[1];
  return name !== undefined && !name.includes('*');
}

export const CONTROLS: readonly Control[] = [
  {
    id: 'EL-S3-01',
    title: 'Every bucket has all four Block Public Access settings',
    safeguards: ['164.312(a)'],
    check: (app) =>
      all(app).flatMap(([stack, json]) => {
        const buckets = resources(json, 'aws_s3_bucket').length;
        const blocks = resources(json, 'aws_s3_bucket_public_access_block').map(([, b]) => b);
        const full = blocks.filter((b) => b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets);
        return fail(buckets > 0 ? full.length === buckets : true, `${stack}: ${full.length} of ${buckets} buckets block all public access`);
      }),
    violate: (app) => {
      first(firstEnv(app), 'aws_s3_bucket_public_access_block').restrict_public_buckets = false;
    },
  },
  {
    id: 'EL-S3-02',
    title: 'Every bucket policy denies requests without TLS',
    safeguards: ['164.312(e)'],
    check: (app) => {
      const policies = bucketPolicies(app);
      const buckets = all(app).reduce((n, [, json]) => n + resources(json, 'aws_s3_bucket').length, 0);
      return [
        ...fail(policies.length === buckets, `${policies.length} bucket policies for ${buckets} buckets`),
        ...policies.flatMap((p) =>
          fail(
            list(p.policy.Statement).some((s: Json) => s.Effect === 'Deny' && s.Principal === '*' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
            `${p.where}: no Deny on aws:SecureTransport = false`,
          ),
        ),
      ];
    },
    violate: (app) => {
      const [, r] = resources(firstEnv(app), 'aws_s3_bucket_policy')[0]!;
      const p = doc(r.policy);
      p.Statement = list(p.Statement).filter((s: Json) => s.Sid !== 'DenyInsecureTransport');
      r.policy = JSON.stringify(p);
    },
  },
  {
    id: 'EL-S3-03',
    title: 'Only this distribution reads the site bucket (OAC pinned by AWS:SourceArn, or the OAI)',
    safeguards: ['164.312(a)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const env = app.config.environments[name]!;
        const site = resources(json, 'aws_s3_bucket_policy').find(([id]) => id.startsWith('site_'));
        if (!site) return [`${name}: no site bucket policy`];
        const reads = list(doc(site[1].policy).Statement).filter((s: Json) => s.Effect === 'Allow' && list(s.Action).includes('s3:GetObject'));
        return reads.flatMap((s: Json) =>
          env.originAccess === 'oai'
            ? fail(JSON.stringify(s.Principal).includes('cloudfront_origin_access_identity'), `${name}: GetObject granted to ${JSON.stringify(s.Principal)}`)
            : fail(
                s.Principal?.Service === 'cloudfront.amazonaws.com' && /^\$\{aws_cloudfront_distribution\.[^}]+\.arn\}$/.test(String(s.Condition?.StringEquals?.['AWS:SourceArn'])),
                `${name}: GetObject not pinned to this distribution's ARN`,
              ),
        ).concat(fail(reads.length > 0, `${name}: nothing may read the site bucket`));
      }),
    violate: (app) => {
      const [, r] = resources(firstEnv(app), 'aws_s3_bucket_policy').find(([id]) => id.startsWith('site_'))!;
      const p = doc(r.policy);
      for (const s of list(p.Statement) as Json[]) if (s.Condition?.StringEquals) delete s.Condition.StringEquals['AWS:SourceArn'];
      r.policy = JSON.stringify(p);
    },
  },
  {
    id: 'EL-S3-05',
    title: 'Every bucket has default encryption (SSE-S3 or SSE-KMS)',
    safeguards: ['164.312(a)', '164.312(c)'],
    check: (app) =>
      all(app).flatMap(([stack, json]) => {
        const buckets = resources(json, 'aws_s3_bucket').length;
        const encrypted = resources(json, 'aws_s3_bucket_server_side_encryption_configuration').filter(([, e]) =>
          list(e.rule).some((r: Json) => ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(r.apply_server_side_encryption_by_default?.sse_algorithm)),
        ).length;
        return fail(encrypted === buckets, `${stack}: ${encrypted} of ${buckets} buckets encrypted by default`);
      }),
    violate: (app) => {
      delete firstEnv(app).resource.aws_s3_bucket_server_side_encryption_configuration;
    },
  },
  {
    id: 'EL-TLS-01',
    title: 'Viewers reach the site over HTTPS only (every behaviour redirects HTTP)',
    safeguards: ['164.312(e)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const d = first(json, 'aws_cloudfront_distribution');
        return [...list(d.default_cache_behavior), ...list(d.ordered_cache_behavior)].flatMap((b: Json) =>
          fail(['redirect-to-https', 'https-only'].includes(b.viewer_protocol_policy), `${name}: behaviour ${b.path_pattern ?? 'default'} allows ${b.viewer_protocol_policy}`),
        );
      }),
    violate: (app) => {
      first(firstEnv(app), 'aws_cloudfront_distribution').default_cache_behavior.viewer_protocol_policy = 'allow-all';
    },
  },
  {
    id: 'EL-TLS-02',
    title: 'Credentials travel over TLS 1.2+: an auth environment has its own certificate and TLSv1.2_2021 or newer',
    safeguards: ['164.312(d)', '164.312(e)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const env = app.config.environments[name]!;
        const cert = first(json, 'aws_cloudfront_distribution').viewer_certificate as Json;
        const custom = Boolean(cert.acm_certificate_arn) && /^TLSv1\.[23]_20\d\d$/.test(String(cert.minimum_protocol_version)) && cert.ssl_support_method === 'sni-only';
        if (env.domain) return fail(custom, `${name}: custom domain without TLSv1.2_2021+ (${JSON.stringify(cert)})`);
        if (env.auth) return fail(app.config.stacks.allowDefaultCertificate && cert.cloudfront_default_certificate === true, `${name}: auth on the default certificate without the opt-out`);
        return [];
      }),
    violate: (app) => {
      // Every auth environment back on the default certificate (each has a domain in the tested configs).
      for (const [n, json] of Object.entries(app.environments)) {
        if (app.config.environments[n]!.auth) first(json, 'aws_cloudfront_distribution').viewer_certificate = { cloudfront_default_certificate: true };
      }
    },
  },
  {
    id: 'EL-WAF-01',
    title: 'A us-east-1 WAF web ACL with the AWS managed rule groups Common, KnownBadInputs and AmazonIpReputationList fronts every distribution',
    safeguards: ['164.312(a)', '164.312(d)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const acls = resources(json, 'aws_wafv2_web_acl');
        if (acls.length !== 1) return [`${name}: ${acls.length} web ACLs`];
        const [id, acl] = acls[0]!;
        const groups = list(acl.rule)
          .filter((r: Json) => r.override_action?.none !== undefined)
          .map((r: Json) => `${r.statement?.managed_rule_group_statement?.vendor_name}/${r.statement?.managed_rule_group_statement?.name}`);
        return [
          ...fail(acl.scope === 'CLOUDFRONT' && acl.provider === 'aws.us_east_1', `${name}: web ACL not CLOUDFRONT-scoped in us-east-1`),
          ...fail(first(json, 'aws_cloudfront_distribution').web_acl_id === `\${aws_wafv2_web_acl.${id}.arn}`, `${name}: the distribution does not use the web ACL`),
          ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'].flatMap((g) =>
            fail(groups.includes(`AWS/${g}`), `${name}: no ${g} (with override none)`),
          ),
        ];
      }),
    violate: (app) => {
      const acl = first(firstEnv(app), 'aws_wafv2_web_acl');
      acl.rule = list(acl.rule).filter((r: Json) => r.name !== 'AWSManagedRulesKnownBadInputsRuleSet');
    },
  },
  {
    id: 'EL-WAF-02',
    title: 'The web ACL blocks an IP that sends too many requests carrying Authorization',
    safeguards: ['164.312(d)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const acl = resources(json, 'aws_wafv2_web_acl')[0]?.[1];
        const ok = list(acl?.rule).some((r: Json) => {
          const rate = r.statement?.rate_based_statement;
          const scope = rate?.scope_down_statement?.size_constraint_statement;
          return r.action?.block !== undefined && rate?.aggregate_key_type === 'IP' && scope?.field_to_match?.single_header?.name === 'authorization' && scope.comparison_operator === 'GT' && scope.size === 0;
        });
        return fail(ok, `${name}: no blocking per-IP rate rule scoped to requests with Authorization`);
      }),
    violate: (app) => {
      const acl = first(firstEnv(app), 'aws_wafv2_web_acl');
      for (const r of list(acl.rule) as Json[]) delete r.statement?.rate_based_statement?.scope_down_statement;
    },
  },
  {
    id: 'EL-WAF-03',
    title: 'The web ACL logs to an aws-waf-logs- log group with retention, Authorization redacted, delivery pinned to this account',
    safeguards: ['164.312(b)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const logging = resources(json, 'aws_wafv2_web_acl_logging_configuration')[0]?.[1];
        if (!logging) return [`${name}: no WAF logging configuration`];
        const groupRef = /^\$\{aws_cloudwatch_log_group\.([^.]+)\.arn\}$/.exec(String(list(logging.log_destination_configs)[0]))?.[1];
        const group = groupRef ? json.resource.aws_cloudwatch_log_group?.[groupRef] : undefined;
        const policies = resources(json, 'aws_cloudwatch_log_resource_policy').map(([, p]) => doc(p.policy_document));
        const account = app.config.environments[name]!.accountId;
        return [
          ...fail(Boolean(group) && String(group.name).startsWith('aws-waf-logs-') && group.retention_in_days > 0, `${name}: WAF logs not in an aws-waf-logs- group with retention`),
          ...fail(list(logging.redacted_fields).some((f: Json) => f.single_header?.name === 'authorization'), `${name}: Authorization is not redacted from WAF logs`),
          ...fail(
            policies.some((p) => list(p.Statement).some((s: Json) => s.Principal?.Service === 'delivery.logs.amazonaws.com' && s.Condition?.StringEquals?.['aws:SourceAccount'] === account)),
            `${name}: the log delivery policy is not pinned to aws:SourceAccount ${account}`,
          ),
        ];
      }),
    violate: (app) => {
      first(firstEnv(app), 'aws_wafv2_web_acl_logging_configuration').redacted_fields = [];
    },
  },
  {
    id: 'EL-S3-04',
    title: 'Site, artifact and log buckets are versioned',
    safeguards: ['164.312(c)'],
    check: (app) =>
      all(app).flatMap(([stack, json]) => {
        const buckets = resources(json, 'aws_s3_bucket').length;
        const versioned = resources(json, 'aws_s3_bucket_versioning').filter(([, v]) => v.versioning_configuration?.status === 'Enabled').length;
        return fail(versioned === buckets, `${stack}: ${versioned} of ${buckets} buckets versioned`);
      }),
    violate: (app) => {
      first(firstEnv(app), 'aws_s3_bucket_versioning').versioning_configuration.status = 'Suspended';
    },
  },
  {
    id: 'EL-S3-06',
    title: 'ACLs are disabled on every bucket (BucketOwnerEnforced)',
    safeguards: ['164.312(a)'],
    check: (app) =>
      all(app).flatMap(([stack, json]) => {
        const buckets = resources(json, 'aws_s3_bucket').length;
        const enforced = resources(json, 'aws_s3_bucket_ownership_controls').filter(([, o]) => o.rule?.object_ownership === 'BucketOwnerEnforced').length;
        return fail(enforced === buckets, `${stack}: ${enforced} of ${buckets} buckets have ACLs disabled`);
      }),
    violate: (app) => {
      first(firstEnv(app), 'aws_s3_bucket_ownership_controls').rule.object_ownership = 'BucketOwnerPreferred';
    },
  },
  {
    id: 'EL-LOG-01',
    title: 'CloudFront access logs go through standard logging v2 (no ACL), pinned to this distribution and account',
    safeguards: ['164.312(b)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const account = app.config.environments[name]!.accountId;
        const [distId, dist] = resources(json, 'aws_cloudfront_distribution')[0]!;
        const source = resources(json, 'aws_cloudwatch_log_delivery_source')[0]?.[1];
        const delivery = resources(json, 'aws_cloudwatch_log_delivery')[0]?.[1];
        const logPolicy = bucketPolicies({ ...app, environments: { [name]: json } }).find((p) => p.bucket.startsWith('${aws_s3_bucket.logs_bucket'));
        const admits = list(logPolicy?.policy.Statement).some(
          (s: Json) =>
            s.Principal?.Service === 'delivery.logs.amazonaws.com' &&
            s.Condition?.StringEquals?.['aws:SourceAccount'] === account &&
            String(s.Condition?.ArnLike?.['aws:SourceArn']).startsWith(`arn:aws:logs:us-east-1:${account}:delivery-source:`),
        );
        return [
          ...fail(dist.logging_config === undefined, `${name}: legacy (ACL-based) standard logging is configured`),
          ...fail(source?.log_type === 'ACCESS_LOGS' && source.resource_arn === `\${aws_cloudfront_distribution.${distId}.arn}` && source.provider === 'aws.us_east_1', `${name}: no us-east-1 delivery source for the distribution`),
          ...fail(Boolean(delivery) && list(delivery?.depends_on).some((d: string) => d.startsWith('aws_s3_bucket_policy.')), `${name}: no delivery, or it does not wait for the log bucket policy`),
          ...fail(admits, `${name}: the log bucket does not admit the delivery pinned by aws:SourceAccount and aws:SourceArn`),
        ];
      }),
    violate: (app) => {
      delete firstEnv(app).resource.aws_cloudwatch_log_delivery_source;
    },
  },
  {
    id: 'EL-LOG-02',
    title: 'The site bucket writes S3 server access logs to the log bucket',
    safeguards: ['164.312(b)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const site = resources(json, 'aws_s3_bucket').find(([id]) => id.startsWith('site_'))?.[0];
        const logBuckets = resources(json, 'aws_s3_bucket').filter(([id]) => id.startsWith('logs_')).map(([id]) => `\${aws_s3_bucket.${id}.id}`);
        const ok = resources(json, 'aws_s3_bucket_logging').some(([, l]) => l.bucket === `\${aws_s3_bucket.${site}.id}` && logBuckets.includes(l.target_bucket));
        return fail(ok, `${name}: the site bucket's access logs do not go to the log bucket`);
      }),
    violate: (app) => {
      delete firstEnv(app).resource.aws_s3_bucket_logging;
    },
  },
  {
    id: 'EL-LOG-03',
    title: 'Every function log group is owned with retention: the deploy function and CodeBuild (tools), each Lambda@Edge function in every edgeLogRegions region',
    safeguards: ['164.312(b)'],
    check: (app) => {
      const out: string[] = [];
      const groups = (json: Json) => resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g);
      if (app.config.stacks.pipeline) {
        const project = app.config.project;
        for (const name of [`/aws/lambda/${project}-deploy`, `/aws/codebuild/${project}-build`]) {
          out.push(...fail(groups(app.tools).some((g) => g.name === name && g.retention_in_days > 0), `tools: no ${name} log group with retention`));
        }
        const fn = resources(app.tools, 'aws_lambda_function')[0]?.[1];
        out.push(...fail(String(fn?.logging_config?.log_group).startsWith('${aws_cloudwatch_log_group.'), 'tools: the deploy function does not log to its owned group'));
        const build = resources(app.tools, 'aws_codebuild_project')[0]?.[1];
        out.push(...fail(String(build?.logs_config?.cloudwatch_logs?.group_name).startsWith('${aws_cloudwatch_log_group.'), 'tools: CodeBuild does not log to its owned group'));
      }
      for (const [name, json] of Object.entries(app.environments)) {
        const fns = resources(json, 'aws_lambda_function').map(([, f]) => String(f.function_name));
        for (const region of app.config.stacks.edgeLogRegions) {
          for (const fn of fns) {
            out.push(...fail(groups(json).some((g) => g.name === `/aws/lambda/us-east-1.${fn}` && g.region === region && g.retention_in_days > 0), `${name}: no ${region} log group with retention for ${fn}`));
          }
        }
      }
      return out;
    },
    violate: (app) => {
      for (const [, g] of resources(firstEnv(app), 'aws_cloudwatch_log_group')) if (String(g.name).startsWith('/aws/lambda/')) delete g.retention_in_days;
    },
  },
  {
    id: 'EL-IAM-01',
    title: 'Confused-deputy guards: every service trust and service grant names the source (aws:SourceAccount / aws:SourceArn), except Lambda execution roles, which AWS documents without them',
    safeguards: ['164.312(a)'],
    check: (app) =>
      all(app).flatMap(([stack, json]) => {
        const out: string[] = [];
        const keys = (s: Json) => Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block as Json).map((k) => k.toLowerCase()));
        for (const [id, role] of resources(json, 'aws_iam_role')) {
          for (const s of list(doc(role.assume_role_policy).Statement) as Json[]) {
            const services = list(s.Principal?.Service) as string[];
            if (!services.length) continue;
            const lambdaOnly = services.every((svc) => svc === 'lambda.amazonaws.com' || svc === 'edgelambda.amazonaws.com');
            if (lambdaOnly) continue;
            out.push(...fail(keys(s).includes('aws:sourceaccount') && keys(s).includes('aws:sourcearn'), `${stack}/${id}: ${services.join(', ')} trust without aws:SourceAccount and aws:SourceArn`));
          }
        }
        const grants = [
          ...resources(json, 'aws_s3_bucket_policy').map(([id, p]) => [id, doc(p.policy)] as const),
          ...resources(json, 'aws_cloudwatch_log_resource_policy').map(([id, p]) => [id, doc(p.policy_document)] as const),
          ...resources(json, 'aws_kms_key_policy').map(([id, p]) => [id, doc(p.policy)] as const),
        ];
        for (const [id, d] of grants) {
          for (const s of list(d.Statement) as Json[]) {
            if (s.Effect !== 'Allow' || !s.Principal?.Service) continue;
            out.push(...fail(keys(s).some((k) => k === 'aws:sourcearn' || k === 'aws:sourceaccount'), `${stack}/${id}: ${s.Sid} grants ${s.Principal.Service} without a source condition`));
          }
        }
        return out;
      }),
    violate: (app) => {
      const [, role] = resources(app.tools, 'aws_iam_role').find(([, r]) => String(r.assume_role_policy).includes('codebuild'))!;
      const d = doc(role.assume_role_policy);
      for (const s of list(d.Statement) as Json[]) delete s.Condition;
      role.assume_role_policy = JSON.stringify(d);
    },
  },
  {
    id: 'EL-IAM-02',
    title: "Each environment's deploy role trusts only the tools account's deploy function role (and, with tools.organizationId, only principals of that organization)",
    safeguards: ['164.312(a)', '164.312(d)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const role = resources(json, 'aws_iam_role').find(([, r]) => r.name === app.config.deploy.roleName)?.[1];
        if (!role) return [`${name}: no deploy role`];
        const statements = list(doc(role.assume_role_policy).Statement) as Json[];
        const expected = `arn:aws:iam::${app.config.tools.accountId}:role/${app.config.project}-deploy-function`;
        const org = app.config.tools.organizationId;
        return [
          ...fail(statements.length === 1 && statements[0]!.Principal?.AWS === expected, `${name}: the deploy role trusts ${JSON.stringify(statements.map((s) => s.Principal))}`),
          ...(org ? fail(statements.every((s) => s.Condition?.StringEquals?.['aws:PrincipalOrgID'] === org), `${name}: the deploy role trust lacks aws:PrincipalOrgID ${org}`) : []),
        ];
      }),
    violate: (app) => {
      for (const json of Object.values(app.environments)) {
        const [, role] = resources(json, 'aws_iam_role').find(([, r]) => r.name === app.config.deploy.roleName)!;
        const d = doc(role.assume_role_policy);
        d.Statement = list(d.Statement).map((s: Json) => ({ ...s, Principal: { AWS: `arn:aws:iam::${app.config.tools.accountId}:root` } }));
        role.assume_role_policy = JSON.stringify(d);
      }
    },
  },
  {
    id: 'EL-IAM-03',
    title: 'Log permissions name each function’s own log groups, never /aws/* or *',
    safeguards: ['164.312(a)', '164.312(b)'],
    check: (app) =>
      all(app).flatMap(([stack, json]) =>
        resources(json, 'aws_iam_role_policy').flatMap(([id, p]) =>
          (list(doc(p.policy).Statement) as Json[])
            .filter((s) => (list(s.Action) as string[]).some((a) => a.startsWith('logs:')))
            .flatMap((s) =>
              (list(s.Resource) as string[]).flatMap((r) =>
                fail(ownLogGroup(r), `${stack}/${id}: logs on ${r}`),
              ),
            ),
        ),
      ),
    violate: (app) => {
      const [, p] = resources(app.tools, 'aws_iam_role_policy').find(([, r]) => r.name === 'build')!;
      const d = doc(p.policy);
      for (const s of list(d.Statement) as Json[]) if ((list(s.Action) as string[]).some((a) => a.startsWith('logs:'))) s.Resource = `arn:aws:logs:us-east-1:${app.config.tools.accountId}:log-group:/aws/*`;
      p.policy = JSON.stringify(d);
    },
  },
  {
    id: 'EL-IAM-04',
    title: 'The deploy function holds no KMS action it does not use (Decrypt only, in its policy and in key policies: it reads artifacts)',
    safeguards: ['164.312(a)'],
    check: (app) => {
      if (!app.config.stacks.pipeline) return [];
      const p = resources(app.tools, 'aws_iam_role_policy').find(([, r]) => r.name === 'deploy-function')?.[1];
      if (!p) return ['tools: no deploy function policy'];
      const kms = (list(doc(p.policy).Statement) as Json[]).flatMap((s) => list(s.Action) as string[]).filter((a) => a.startsWith('kms:'));
      // A key policy grant works without any IAM policy: the key policies must not give more either.
      const deployRole = `arn:aws:iam::${app.config.tools.accountId}:role/${app.config.project}-deploy-function`;
      const viaKey = resources(app.tools, 'aws_kms_key_policy')
        .flatMap(([, k]) => list(doc(k.policy).Statement) as Json[])
        .filter((s) => s.Effect === 'Allow' && (list(s.Principal?.AWS) as string[]).includes(deployRole))
        .flatMap((s) => list(s.Action) as string[]);
      return [
        ...fail(kms.length > 0 && kms.every((a) => a === 'kms:Decrypt'), `tools: the deploy function's policy holds ${kms.join(', ')}`),
        ...fail(viaKey.every((a) => a === 'kms:Decrypt'), `tools: a key policy gives the deploy function ${viaKey.join(', ')}`),
      ];
    },
    violate: (app) => {
      const [, p] = resources(app.tools, 'aws_iam_role_policy').find(([, r]) => r.name === 'deploy-function')!;
      const d = doc(p.policy);
      d.Statement = [...list(d.Statement), { Sid: 'X', Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }];
      p.policy = JSON.stringify(d);
      const [, key] = resources(app.tools, 'aws_kms_key_policy')[0]!;
      const k = doc(key.policy);
      k.Statement = [...list(k.Statement), { Sid: 'Y', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${app.config.tools.accountId}:role/${app.config.project}-deploy-function` }, Action: 'kms:Encrypt', Resource: '*' }];
      key.policy = JSON.stringify(k);
    },
  },
  {
    id: 'EL-IAM-05',
    title: 'Failed deploy invocations land in an encrypted, TLS-only queue',
    safeguards: ['164.312(b)', '164.312(c)'],
    check: (app) => {
      if (!app.config.stacks.pipeline) return [];
      const config = resources(app.tools, 'aws_lambda_function_event_invoke_config')[0]?.[1];
      const ref = /^\$\{aws_sqs_queue\.([^.]+)\.arn\}$/.exec(String(config?.destination_config?.on_failure?.destination))?.[1];
      const queue = ref ? app.tools.resource.aws_sqs_queue?.[ref] : undefined;
      const policy = resources(app.tools, 'aws_sqs_queue_policy').map(([, p]) => doc(p.policy))[0];
      return [
        ...fail(Boolean(queue) && (queue.sqs_managed_sse_enabled === true || Boolean(queue.kms_master_key_id)), 'tools: no encrypted SQS failure destination for the deploy function'),
        ...fail(list(policy?.Statement).some((s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'), 'tools: the failure queue accepts plain HTTP'),
      ];
    },
    violate: (app) => {
      first(app.tools, 'aws_sqs_queue').sqs_managed_sse_enabled = false;
    },
  },
  {
    id: 'EL-HDR-01',
    title: 'A response headers policy (HSTS, CSP, frame options, nosniff, referrer policy) is on every behaviour, so CloudFront’s own responses carry them too',
    safeguards: ['164.312(e)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const policies = resources(json, 'aws_cloudfront_response_headers_policy');
        if (policies.length !== 1) return [`${name}: ${policies.length} response headers policies`];
        const [id, p] = policies[0]!;
        const sec = p.security_headers_config ?? {};
        const d = first(json, 'aws_cloudfront_distribution');
        return [
          ...fail(Boolean(sec.strict_transport_security && sec.content_security_policy && sec.frame_options && sec.content_type_options && sec.referrer_policy), `${name}: the policy lacks a security header`),
          ...[...list(d.default_cache_behavior), ...list(d.ordered_cache_behavior)].flatMap((b: Json) =>
            fail(b.response_headers_policy_id === `\${aws_cloudfront_response_headers_policy.${id}.id}`, `${name}: behaviour ${b.path_pattern ?? 'default'} has no response headers policy`),
          ),
        ];
      }),
    violate: (app) => {
      delete first(firstEnv(app), 'aws_cloudfront_distribution').default_cache_behavior.response_headers_policy_id;
    },
  },
  {
    id: 'EL-LOG-04',
    title: 'With stacks.logging.objectLock, the CloudFront log bucket has Object Lock (GOVERNANCE, retention = retentionDays); with encryption sse-kms, SSE-KMS with a rotating key that only this account\'s log delivery may use; S3 access logs then have a bucket of their own',
    safeguards: ['164.312(b)', '164.312(c)'],
    check: (app) =>
      Object.entries(app.environments).flatMap(([name, json]) => {
        const logging = app.config.stacks.logging;
        const out: string[] = [];
        const lock = resources(json, 'aws_s3_bucket_object_lock_configuration').find(([id]) => id.startsWith('logs_bucket'))?.[1];
        const bucket = resources(json, 'aws_s3_bucket').find(([id]) => id.startsWith('logs_bucket'))?.[1];
        if (logging.objectLock) {
          out.push(...fail(bucket?.object_lock_enabled === true && lock?.rule?.default_retention?.mode === 'GOVERNANCE' && lock.rule.default_retention.days === logging.retentionDays,
            `${name}: the log bucket has no GOVERNANCE Object Lock of ${logging.retentionDays} days`));
        }
        if (logging.encryption === 'sse-kms') {
          const enc = resources(json, 'aws_s3_bucket_server_side_encryption_configuration').find(([id]) => id.startsWith('logs_bucket'))?.[1];
          const keyRef = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(String(list(enc?.rule)[0]?.apply_server_side_encryption_by_default?.kms_master_key_id))?.[1];
          const key = keyRef ? json.resource.aws_kms_key?.[keyRef] : undefined;
          const keyPolicy = resources(json, 'aws_kms_key_policy').find(([, p]) => p.key_id === `\${aws_kms_key.${keyRef}.key_id}`)?.[1];
          const grant = list(keyPolicy ? doc(keyPolicy.policy).Statement : []).find((st: Json) => st.Principal?.Service === 'delivery.logs.amazonaws.com');
          out.push(...fail(key?.enable_key_rotation === true, `${name}: the log bucket is not SSE-KMS with a rotating key`));
          out.push(...fail(grant?.Condition?.StringEquals?.['aws:SourceAccount'] === app.config.environments[name]!.accountId, `${name}: the log key does not admit only this account's log delivery`));
        }
        if (logging.objectLock || logging.encryption === 'sse-kms') {
          const target = resources(json, 'aws_s3_bucket_logging')[0]?.[1]?.target_bucket;
          out.push(...fail(String(target).startsWith('${aws_s3_bucket.logs_access-logs'), `${name}: S3 access logs do not have a bucket of their own`));
        }
        return out;
      }),
    violate: (app) => {
      (app as { config: ResolvedConfig }).config = { ...app.config, stacks: { ...app.config.stacks, logging: { ...app.config.stacks.logging, objectLock: true } } } as ResolvedConfig;
      for (const json of Object.values(app.environments)) delete json.resource.aws_s3_bucket_object_lock_configuration;
    },
  },
];
