/**
 * The grants the doctor suggests are the stacks' own statements (src/origin/policy), and adding
 * one to the policy it was suggested for makes that check pass.
 */
import { bucketArn, distributionArn, oaiArn, siteKeyReadStatement, siteReadStatement } from '../../src/origin/policy';
import { scenarios } from './scenarios';
import { ACCOUNT, BUCKET, DIST, OAI_ID, type World, mockWorld, runWorld } from './world';

const scenario = (cause: string, says: RegExp) => scenarios().find((s) => s.cause === cause && says.test(s.says.source))!;
const suggested = (fix: string | undefined, lead: string) => {
  expect(fix?.startsWith(lead)).toBe(true);
  return JSON.parse(fix!.slice(lead.length)) as object;
};

test('a missing bucket-policy grant: the fix is siteReadStatement, and applying it clears check 2', async () => {
  const s = scenario('bucket-policy', /E9OTHEROAI0XYZ/);
  const before = await runWorld({ env: s.env, distributionId: DIST, clients: mockWorld(s.world) });
  expect(before.results[0]).toMatchObject({ id: 'bucket-policy', status: 'problem', reason: 'policy-missing-oai-allow' });
  const grant = suggested(before.results[0]!.fix, 'add to the bucket policy: ');
  expect(grant).toEqual(siteReadStatement(bucketArn(BUCKET), { kind: 'oai', oaiArn: oaiArn(OAI_ID) }));
  const policy = s.world.bucketPolicy as { Statement: object[] };
  const world: World = { ...s.world, bucketPolicy: { ...policy, Statement: [...policy.Statement, grant] } };
  const after = await runWorld({ env: s.env, distributionId: DIST, clients: mockWorld(world) });
  expect(after.results.find((r) => r.id === 'bucket-policy')!.status).toBe('ok');
});

test('a key policy without CloudFront: the fix is the site key\'s statement, and applying it clears check 5', async () => {
  const s = scenario('encryption', /kms:Decrypt/);
  const before = await runWorld({ env: s.env, distributionId: DIST, clients: mockWorld(s.world) });
  expect(before.results[0]).toMatchObject({ id: 'encryption', status: 'problem', reason: 'kms-key-lacks-cloudfront-grant' });
  const grant = suggested(before.results[0]!.fix, 'add to the key policy: ');
  expect(grant).toEqual(siteKeyReadStatement(distributionArn(ACCOUNT, DIST)));
  const kms = s.world.kms!;
  const policy = kms.policy as { Statement: object[] };
  const world: World = { ...s.world, kms: { ...kms, policy: { ...policy, Statement: [...policy.Statement, grant] } } };
  const after = await runWorld({ env: s.env, distributionId: DIST, clients: mockWorld(world) });
  expect(after.results.find((r) => r.id === 'encryption')!.status).toBe('ok');
});
