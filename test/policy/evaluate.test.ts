import { evaluatePolicy, evaluateStatement, parsePolicy, wildcardMatch, type EvalRequest, type Statement } from '../../src/origin/policy';

const DIST_ARN = 'arn:aws:cloudfront::333333333333:distribution/E2QWRUHAPOMQZL';
const OAC: EvalRequest = {
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::site/index.html',
  principal: { service: 'cloudfront.amazonaws.com' },
  context: { 'aws:sourcearn': [DIST_ARN], 'aws:principalisawsservice': ['true'], 'aws:securetransport': ['true'] },
  absentKeys: ['aws:principalorgid', 'aws:multifactorauthpresent', 'aws:principaltag/*'],
};
const allow = (extra: Partial<Statement>): Statement => ({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', ...extra });

describe('evaluateStatement', () => {
  test.each<[string, Statement, 'yes' | 'no' | 'unknown']>([
    ['plain grant', allow({}), 'yes'],
    ['SourceArn equals', allow({ Condition: { StringEquals: { 'AWS:SourceArn': DIST_ARN } } }), 'yes'],
    ['SourceArn of another distribution', allow({ Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::333333333333:distribution/EOTHER' } } }), 'no'],
    ['ArnLike wildcard', allow({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::333333333333:distribution/*' } } }), 'yes'],
    ['action wildcard s3:Get*', allow({ Action: 's3:Get*' }), 'yes'],
    ['action case-insensitive', allow({ Action: 'S3:getobject' }), 'yes'],
    ['other action', allow({ Action: 's3:PutObject' }), 'no'],
    ['NotAction excludes', allow({ Action: undefined, NotAction: 's3:Get*' }), 'no'],
    ['resource of another bucket', allow({ Resource: 'arn:aws:s3:::other/*' }), 'no'],
    ['NotResource', allow({ Resource: undefined, NotResource: 'arn:aws:s3:::site/private/*' }), 'yes'],
    ['principal OAI does not name the service', allow({ Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1' } }), 'no'],
    ['principal *', allow({ Principal: '*' }), 'yes'],
    ['principal AWS *', allow({ Principal: { AWS: '*' } }), 'yes'],
    ['Bool SecureTransport false (deny-insecure shape)', allow({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), 'no'],
    ['absent key: StringEquals is false', allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }), 'no'],
    ['absent key: StringNotEquals is true', allow({ Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } } }), 'yes'],
    ['absent key: ...IfExists is true', allow({ Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } } }), 'yes'],
    ['absent key: Null true', allow({ Condition: { Null: { 'aws:PrincipalOrgID': 'true' } } }), 'yes'],
    ['present key: Null true is false', allow({ Condition: { Null: { 'aws:SourceArn': 'true' } } }), 'no'],
    ['absent key: ForAnyValue:StringNotLike is false', allow({ Condition: { 'ForAnyValue:StringNotLike': { 'aws:PrincipalTag/team': 'x' } } }), 'no'],
    ['absent key: ForAllValues is true', allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalTag/team': 'x' } } }), 'yes'],
    ['PrincipalIsAWSService false exemption', allow({ Condition: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }), 'no'],
    ['unknowable key', allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), 'unknown'],
    ['unsupported operator on a known key', allow({ Condition: { DateGreaterThan: { 'aws:SourceArn': '2020-01-01' } } }), 'unknown'],
    ['negated with several values is an AND', allow({ Condition: { StringNotEquals: { 'aws:SourceArn': ['arn:x', DIST_ARN] } } }), 'no'],
  ])('%s', (_name, st, expected) => {
    expect(evaluateStatement(st, OAC).match).toBe(expected);
  });
});

describe('evaluatePolicy', () => {
  test('an explicit deny wins over an allow', () => {
    const doc = { Statement: [allow({}), { ...allow({}), Effect: 'Deny' as const }] };
    expect(evaluatePolicy(doc, OAC).outcome).toBe('deny');
  });
  test('an undecidable deny makes the outcome unknown', () => {
    const doc = { Statement: [allow({}), { ...allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), Effect: 'Deny' as const }] };
    expect(evaluatePolicy(doc, OAC).outcome).toBe('unknown');
  });
  test('an undecidable deny does not matter when no allow can match', () => {
    const doc = { Statement: [allow({ Action: 's3:PutObject' }), { ...allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), Effect: 'Deny' as const }] };
    expect(evaluatePolicy(doc, OAC).outcome).toBe('none');
  });
  test('no matching allow is none', () => {
    expect(evaluatePolicy({ Statement: [allow({ Action: 's3:PutObject' })] }, OAC).outcome).toBe('none');
  });
  test('parsePolicy accepts a single statement object and names a bad document', () => {
    expect(parsePolicy(JSON.stringify({ Statement: allow({}) }), 'p').Statement).toHaveLength(1);
    expect(() => parsePolicy('{', 'the bucket policy')).toThrow(/the bucket policy is not valid JSON/);
    expect(() => parsePolicy('{}', 'the bucket policy')).toThrow(/has no Statement/);
  });
});

test.each([
  ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b.html', true],
  ['arn:aws:s3:::b/?.html', 'arn:aws:s3:::b/ab.html', false],
  ['arn:aws:s3:::b/a.html', 'arn:aws:s3:::b/aXhtml', false],
  ['*', 'anything\nat all', true],
])('wildcardMatch(%s, %s) = %s', (p, v, want) => expect(wildcardMatch(p, v)).toBe(want));
