/**
 * The policy evaluator against an independent IAM simulator (@cloud-copilot/iam-simulate,
 * a test-only oracle) on random bucket policies, for the request CloudFront makes through an OAC.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { evaluatePolicy, type EvalRequest, type Principal, type Statement } from '../../src/origin/policy';

const DIST_ARN = 'arn:aws:cloudfront::333333333333:distribution/E2QWRUHAPOMQZL';
const OBJECT = 'arn:aws:s3:::site/index.html';
const CONTEXT = { 'aws:SourceArn': DIST_ARN, 'aws:SourceAccount': '333333333333', 'aws:SecureTransport': 'true', 'aws:PrincipalIsAWSService': 'true' };
const REQUEST: EvalRequest = {
  action: 's3:GetObject',
  resource: OBJECT,
  principal: { service: 'cloudfront.amazonaws.com' },
  context: Object.fromEntries(Object.entries(CONTEXT).map(([k, v]) => [k.toLowerCase(), [v]])),
  absentKeys: ['aws:principalorgid'],
};

const ifExists = (op: string) => fc.constantFrom(op, `${op}IfExists`);
const condition = fc.oneof(
  fc.record({ op: fc.oneof(ifExists('StringEquals'), ifExists('StringNotEquals'), ifExists('ArnLike'), ifExists('ArnNotLike'), ifExists('StringLike')), key: fc.constant('aws:SourceArn'), value: fc.constantFrom(DIST_ARN, 'arn:aws:cloudfront::333333333333:distribution/EOTHER', 'arn:aws:cloudfront::333333333333:distribution/*') }),
  fc.record({ op: fc.oneof(ifExists('StringEquals'), ifExists('StringNotEquals')), key: fc.constant('aws:SourceAccount'), value: fc.constantFrom('333333333333', '111111111111') }),
  fc.record({ op: fc.oneof(ifExists('StringEquals'), ifExists('StringNotEquals'), ifExists('StringLike'), ifExists('StringNotLike')), key: fc.constant('aws:PrincipalOrgID'), value: fc.constantFrom('o-abc', 'o-*') }),
  fc.record({ op: ifExists('Bool'), key: fc.constantFrom('aws:SecureTransport', 'aws:PrincipalIsAWSService'), value: fc.constantFrom('true', 'false') }),
  fc.record({ op: fc.constant('Null'), key: fc.constantFrom('aws:PrincipalOrgID', 'aws:SourceArn'), value: fc.constantFrom('true', 'false') }),
);
const statement: fc.Arbitrary<Statement> = fc
  .record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Principal: fc.constantFrom<Principal>('*', { Service: 'cloudfront.amazonaws.com' }, { AWS: 'arn:aws:iam::111111111111:root' }),
    Action: fc.constantFrom('s3:GetObject', 's3:Get*', 's3:PutObject', 's3:*'),
    Resource: fc.constantFrom('arn:aws:s3:::site/*', OBJECT, 'arn:aws:s3:::other/*'),
    conditions: fc.array(condition, { maxLength: 2 }),
  })
  .map(({ conditions, ...s }) => {
    const Condition: Record<string, Record<string, string>> = {};
    for (const c of conditions) (Condition[c.op] ??= {})[c.key] = c.value;
    return conditions.length ? { ...s, Condition } : s;
  });

const EXPECTED = { allow: 'Allowed', deny: 'ExplicitlyDenied', none: 'ImplicitlyDenied' } as const;

test('agrees with iam-simulate on random bucket policies for an OAC request', async () => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 3 }), async (statements) => {
      const policy = { Version: '2012-10-17', Statement: statements };
      const ours = evaluatePolicy(policy, REQUEST).outcome;
      expect(ours).not.toBe('unknown');
      const r = await runSimulation(
        {
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: policy,
          request: { action: 's3:GetObject', principal: 'cloudfront.amazonaws.com', resource: { accountId: '333333333333', resource: OBJECT }, contextVariables: CONTEXT },
        },
        {},
      );
      if (r.resultType !== 'single') return; // the oracle refused the input (validation); nothing to compare
      compared++;
      expect(r.overallResult).toBe(EXPECTED[ours as keyof typeof EXPECTED]);
    }),
    { numRuns: 300, seed: 7 },
  );
  expect(compared).toBeGreaterThan(250);
});
