/**
 * Check 7, AWS Organizations: SCPs and RCPs attached to the account and its parents (OUs, root).
 * SCPs limit the IAM users and roles of member accounts; they never apply to the CloudFront
 * principal, so matching SCP statements are shown and set aside. RCPs limit access to the
 * account's resources, from any principal, and can deny CloudFront.
 */
import { seenError } from '../aws';
import type { DoctorContext } from '../context';
import { describeStatement, evaluatePolicy, parsePolicy, type StatementResult } from '../../policy';
import type { CheckResult, Evidence } from '../types';
import { deniedFix, ok, onlyOnFacts, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'organizations'> = { id: 'organizations', order: 7, title: 'Organizations SCPs and RCPs' };

export async function checkOrganizations(ctx: DoctorContext): Promise<CheckResult> {
  return onlyOnFacts(ctx, await walk(ctx));
}

async function walk(ctx: DoctorContext): Promise<CheckResult> {
  const { steps, result: attached } = await ctx.organizationPolicies();
  const evidence: Evidence[] = steps.map((s) => ({
    call: s.fetched.call,
    seen: !s.fetched.ok
      ? seenError(s.fetched)
      : s.kind === 'parents'
        ? (s.fetched.value.Parents ?? []).map((p) => `${p.Type} ${p.Id}`).join(', ') || '(none)'
        : (s.fetched.value.Policies ?? []).map((p) => `${p.Name} (${p.Id})`).join(', ') || '(none)',
  }));
  if (!attached.ok) {
    if (attached.code === 'AWSOrganizationsNotInUseException') return ok(META, 'the account is not in an organization: no SCPs or RCPs', evidence);
    return unknown(
      META,
      `the organization's policies could not be read from this account${refusedNote(attached)}`,
      evidence,
      `${deniedFix('organizations:ListParents, ListPoliciesForTarget and DescribePolicy', attached)}; they answer only in the management account or a delegated administrator`,
    );
  }
  const { key } = await ctx.key();
  const req = await ctx.request('s3:GetObject', ctx.objectArn(key));
  const scpMatches: string[] = [];
  const rcpDenies: { name: string; s: StatementResult }[] = [];
  const rcpUnknown: { name: string; s: StatementResult }[] = [];
  for (const a of attached.value) {
    const doc = parsePolicy(a.content, `policy ${a.summary.Name}`);
    const result = evaluatePolicy(doc, req);
    const name = `${a.summary.Type === 'RESOURCE_CONTROL_POLICY' ? 'RCP' : 'SCP'} ${a.summary.Name} (${a.summary.Id}, on ${a.target})`;
    for (const s of result.statements) {
      if (s.effect !== 'Deny' || s.match === 'no') continue;
      if (a.summary.Type === 'SERVICE_CONTROL_POLICY') {
        scpMatches.push(`${name} ${describeStatement(s)}`);
        evidence.push({ call: `evaluate ${name} ${describeStatement(s)}`, seen: `${s.match === 'yes' ? 'matches s3:GetObject' : `may match (${s.reason})`}, but SCPs never apply to the CloudFront principal` });
      } else {
        (s.match === 'yes' ? rcpDenies : rcpUnknown).push({ name, s });
        evidence.push({ call: `evaluate ${name} ${describeStatement(s)}`, seen: s.match === 'yes' ? 'denies s3:GetObject to the distribution' : `unknown: ${s.reason}` });
      }
    }
  }
  const exempt = ctx.env.originAccess === 'oai'
    ? 'a condition that exempts the OAI (e.g. aws:PrincipalArn)'
    : '"BoolIfExists": {"aws:PrincipalIsAWSService": "false"} or a StringNotEqualsIfExists on AWS:SourceAccount';
  if (rcpDenies.length > 0) {
    const first = rcpDenies[0]!;
    return problem(
      META,
      'rcp-denies-distribution',
      `${first.name} ${describeStatement(first.s)} denies s3:GetObject on ${key} to the distribution: ${JSON.stringify(first.s.statement)}`,
      evidence,
      `exempt the CloudFront principal in that RCP statement, e.g. with ${exempt}`,
    );
  }
  if (rcpUnknown.length > 0) {
    return unknown(META, `${rcpUnknown.map((u) => `${u.name} ${describeStatement(u.s)}`).join(', ')} may deny the distribution (${rcpUnknown[0]!.s.reason})`, evidence, 'review the statement by hand');
  }
  const scpNote = scpMatches.length ? `; ${scpMatches.length} SCP statement(s) match s3:GetObject but SCPs limit only the account's own IAM principals, never CloudFront` : '';
  return ok(META, `${attached.value.length} polic${attached.value.length === 1 ? 'y' : 'ies'} attached to the account, its OUs and the root; no RCP denies the distribution${scpNote}`, evidence);
}
