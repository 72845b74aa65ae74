/** The `stacks` config keys: defaults, and errors that name the bad field. */
import { parseConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';
import { DEFAULT_EDGE_LOG_REGIONS } from '../../src/config/schema';

const base = { project: 'acme-web', tools: { accountId: '111111111111' }, environments: { dev: { accountId: '222222222222', region: 'eu-west-1', auth: false } } };

function issues(stacks: unknown): string[] {
  try {
    parseConfig({ ...base, stacks }, 'test');
  } catch (err) {
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

it('defaults to SSE-S3, a WAF, a response-headers policy, a year of logs and the pipeline', () => {
  expect(parseConfig(base, 'test').stacks).toEqual({
    encryption: 'sse-s3',
    defaultRootObject: 'index.html',
    errorPages: [],
    priceClass: 'PriceClass_100',
    allowDefaultCertificate: false,
    behaviors: [],
    responseHeadersPolicy: true,
    waf: { rateLimit: 1000, authRateLimit: 300, managedRuleGroups: [], logRetentionDays: 365 },
    logging: { retentionDays: 365, logGroupRetentionDays: 365, objectLock: false, encryption: 'sse-s3' },
    edgeLogRegions: [...DEFAULT_EDGE_LOG_REGIONS],
    edgeFunctionDeleteTimeout: '6h',
    pipeline: { siteDir: 'public', buildCommands: ['npm ci', 'npm test', 'npm run build'], buildImage: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL', approvalEmails: [] },
  });
});

it('fills behaviour and WAF defaults', () => {
  const s = parseConfig({ ...base, stacks: { behaviors: [{ pathPattern: '/assets/*' }], waf: {} } }, 'test').stacks;
  expect(s.behaviors).toEqual([{ pathPattern: '/assets/*', handlers: ['viewer-request', 'origin-request', 'origin-response'], cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' }]);
  expect(s.waf).toEqual({ rateLimit: 1000, authRateLimit: 300, managedRuleGroups: [], logRetentionDays: 365 });
});

it.each([
  [{ encryption: 'kms' }, /^stacks\.encryption: expected "sse-s3" or "sse-kms"/],
  [{ waf: { rateLimit: 5 } }, /^stacks\.waf/],
  [{ waf: { logRetentionDays: 100 } }, /^stacks\.waf\.logRetentionDays: expected a CloudWatch Logs retention in days/],
  [{ waf: { managedRuleGroups: ['AWSManagedRulesBotControlRuleSet'] } }, /^stacks\.waf: .*AWSManagedRulesBotControlRuleSet/],
  [{ behaviors: [{ pathPattern: 'assets with space' }] }, /^stacks\.behaviors\.0\.pathPattern: expected a CloudFront path pattern/],
  [{ behaviors: [{ pathPattern: '/a/*', handlers: ['viewer-response'] }] }, /^stacks\.behaviors\.0\.handlers\.0/],
  [{ pipeline: { approvalEmails: ['not-an-email'] } }, /^stacks\.pipeline/],
  [{ pipeline: { siteDir: '/abs' } }, /^stacks\.pipeline/],
  [{ logging: { retentionDays: 0 } }, /^stacks\.logging\.retentionDays/],
  [{ edgeFunctionDeleteTimeout: 'forever' }, /^stacks\.edgeFunctionDeleteTimeout: expected a Terraform duration/],
  [{ wafs: false }, /^stacks: unknown key "wafs"/],
  [{ edgeLogRegions: ['eu-west-1', 'eu-west-1'] }, /^stacks\.edgeLogRegions: lists a region twice/],
  [{ edgeLogRegions: [] }, /^stacks\.edgeLogRegions/],
  [{ logging: { logGroupRetentionDays: 10 } }, /^stacks\.logging\.logGroupRetentionDays: expected a CloudWatch Logs retention/],
  [{ pipeline: { logKmsKeyArn: 'alias/logs' } }, /^stacks\.pipeline/],
])('rejects %j', (stacks, message) => {
  expect(issues(stacks).join('\n')).toMatch(message);
});
