/**
 * Check 6, the key itself: a missing key is a 403 (not a 404) when the distribution may not list
 * the bucket; Requester Pays refuses CloudFront; Object Lock only matters for deletes.
 */
import type { DoctorContext } from '../context';
import { bucketArn, evaluatePolicy } from '../../policy';
import type { CheckResult, Evidence } from '../types';
import { deniedFix, ev, ok, onlyOnFacts, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'key'> = { id: 'key', order: 6, title: 'The key: missing object, Requester Pays, Object Lock' };

export async function checkKey(ctx: DoctorContext): Promise<CheckResult> {
  return onlyOnFacts(ctx, await walk(ctx));
}

async function walk(ctx: DoctorContext): Promise<CheckResult> {
  const { key, source, derived } = await ctx.key();
  const [listing, payer, lock] = await Promise.all([ctx.listing(), ctx.aws.requestPayment(), ctx.aws.objectLock()]);
  const evidence: Evidence[] = [
    { call: 'key asked about', seen: `${key || '(empty)'} (from ${source})` },
    ...(derived ? derived.steps.map((s) => ({ call: `request path: ${s.step}`, seen: s.seen })) : []),
    ev(listing, (c) => (c ? `found ${c.Key}, ${c.Size} bytes` : `no object with key ${key}`)),
    ev(payer, (p) => `Payer=${p}`),
    ev(lock, (l) => (l ? `ObjectLockEnabled=${l.ObjectLockEnabled}${l.Rule?.DefaultRetention ? `, default retention ${l.Rule.DefaultRetention.Mode}` : ''}` : 'no Object Lock configuration')),
  ];
  if (payer.ok && payer.value === 'Requester') {
    return problem(META, 'requester-pays', 'the bucket has Requester Pays on: CloudFront never sends x-amz-request-payer, so S3 refuses it', evidence, 'turn Requester Pays off for a bucket served by CloudFront');
  }
  if (key === '') {
    return problem(META, 'no-default-root-object', 'the distribution has no DefaultRootObject: a request for "/" asks S3 for the bucket itself, which is refused', evidence, 'set DefaultRootObject to "index.html" (or pass --key to check a specific object)');
  }
  let exists: boolean | undefined = listing.ok ? listing.value !== undefined : undefined;
  if (exists === undefined) {
    const head = await ctx.headObject();
    evidence.push(ev(head, (h) => `${h.ContentLength} bytes`));
    if (head.ok) exists = true;
    else if (head.status === 404) exists = false;
  }
  if (exists === undefined) return unknown(META, `whether ${key} exists could not be told${refusedNote(listing)}`, evidence, deniedFix('s3:ListBucket on the bucket', listing));
  const lockNote = lock.ok && lock.value?.ObjectLockEnabled === 'Enabled' ? ' Object Lock is on (it only refuses deletes and overwrites of locked versions, not reads).' : '';
  if (exists && !payer.ok) {
    return unknown(META, `${key} exists, but whether Requester Pays is on could not be read${refusedNote(payer)}`, evidence, deniedFix('s3:GetBucketRequestPayment', payer));
  }
  if (exists) return ok(META, `${key} exists.${lockNote}`, evidence);

  const bp = await ctx.aws.bucketPolicy();
  const list = evaluatePolicy(bp.ok && bp.value ? bp.value : { Statement: [] }, await ctx.request('s3:ListBucket', bucketArn(ctx.bucket)));
  evidence.push({ call: 'evaluate the bucket policy for s3:ListBucket', seen: list.outcome });
  if (list.outcome === 'allow') {
    return problem(META, 'object-missing-404', `${key} does not exist; the distribution may list the bucket, so viewers get 404, not 403`, evidence, `upload ${key} or fix the link that asks for it`);
  }
  return problem(
    META,
    'object-missing-403',
    `${key} does not exist, and the distribution may not s3:ListBucket, so S3 answers 403 AccessDenied instead of 404 (a 403 that means "not found")`,
    evidence,
    `upload ${key} (or fix the path that asks for it); if you want viewers to see 404, grant the distribution s3:ListBucket on ${bucketArn(ctx.bucket)}`,
  );
}
