/**
 * Check 8, Lambda@Edge: the origin guard's configured bucket domains and access mode match what
 * the distribution actually does (a mismatch makes the guard fail closed, with a 502 rather than
 * a 403, so it ranks low), and every behaviour carries the environment's edge functions.
 */
import type { DoctorContext } from '../context';
import type { CheckResult, Evidence } from '../types';
import { ok, problem, unknown, type CheckMeta } from './result';

const META: CheckMeta<'edge'> = { id: 'edge', order: 8, title: 'Lambda@Edge origin guard and associations' };

export async function checkEdge(ctx: DoctorContext): Promise<CheckResult> {
  const d = await ctx.aws.distributionConfig();
  const o = await ctx.origin();
  if (!d.ok || !o) return unknown(META, 'the distribution could not be read', [], 'see check 1');
  const evidence: Evidence[] = [];
  const behaviours = [{ path: 'Default (*)', b: d.value.DefaultCacheBehavior! }, ...(d.value.CacheBehaviors?.Items ?? []).map((b) => ({ path: b.PathPattern!, b }))];
  const missing: string[] = [];
  let guarded = false;
  for (const { path, b } of behaviours) {
    const events: string[] = (b.LambdaFunctionAssociations?.Items ?? []).map((a) => String(a.EventType));
    evidence.push({ call: `behaviour ${path} LambdaFunctionAssociations`, seen: events.join(', ') || '(none)' });
    const want = ['origin-request', 'origin-response', ...(ctx.env.auth ? ['viewer-request'] : [])];
    const lacking = want.filter((e) => !events.includes(e));
    if (lacking.length) missing.push(`${path}: ${lacking.join(', ')}`);
    if (b === o.behavior.value && events.includes('origin-request')) guarded = true;
  }
  const guard = ctx.edge?.origin;
  if (guard && guarded && o.origin && o.endpoint === 'rest') {
    evidence.push({ call: 'origin guard config (built from edgelock.config)', seen: `domains=${guard.domains.join(', ')}, access=${guard.access}` });
    const domain = (o.origin.DomainName ?? '').toLowerCase();
    // What Lambda@Edge shows the guard: OAC (and no access at all) appear as authMethod "none".
    const shown = o.access.kind === 'oai' ? 'origin-access-identity' : 'none';
    const wanted = guard.access === 'oai' ? 'origin-access-identity' : 'none';
    const refuses = 'the guard fails closed on every request with a 502 (not a 403)';
    if (!guard.domains.includes(domain)) {
      return problem(META, 'guard-domain-mismatch', `the origin guard accepts only ${guard.domains.join(' or ')}, but the origin is ${domain}: ${refuses}`, evidence, 'point the origin at the bucket\'s REST endpoint, or fix the environment\'s bucket/region, then rebuild and redeploy the edge functions');
    }
    if (shown !== wanted) {
      return problem(META, 'guard-access-mismatch', `the origin guard was built for originAccess "${guard.access}" (authMethod "${wanted}"), but the origin shows authMethod "${shown}" (${o.access.kind === 'none' ? 'no origin access' : o.access.kind.toUpperCase()}): ${refuses}`, evidence, `set originAccess: "${o.access.kind === 'oai' ? 'oai' : 'oac'}" for the environment (or change the origin's access), then rebuild and redeploy the edge functions`);
    }
  }
  if (missing.length) {
    // Missing functions do not cause 403s; they leave the site less protected than configured.
    return ok(META, `not a 403 cause, but edge functions are missing: ${missing.join('; ')}`, evidence);
  }
  return ok(META, guard ? 'every behaviour carries the edge functions, and the origin guard matches the origin' : 'every behaviour carries the edge functions', evidence);
}
