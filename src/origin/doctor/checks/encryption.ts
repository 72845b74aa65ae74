/**
 * Check 5, encryption: an SSE-KMS object needs a key policy that admits the distribution (OAC:
 * service cloudfront.amazonaws.com with kms:Decrypt). An OAI cannot read SSE-KMS objects at all,
 * and the AWS managed key aws/s3 cannot be granted to CloudFront.
 */
import type { DoctorContext } from '../context';
import { describeStatement, evaluatePolicy, siteKeyReadStatement } from '../../policy';
import type { CheckResult, Evidence } from '../types';
import { deniedFix, ev, ok, onlyOnFacts, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'encryption'> = { id: 'encryption', order: 5, title: 'Encryption (SSE-KMS key policy)' };

export async function checkEncryption(ctx: DoctorContext): Promise<CheckResult> {
  return onlyOnFacts(ctx, await walk(ctx));
}

async function walk(ctx: DoctorContext): Promise<CheckResult> {
  const [head, def] = await Promise.all([ctx.headObject(), ctx.aws.bucketEncryption()]);
  const evidence: Evidence[] = [
    ev(head, (h) => `ServerSideEncryption=${h.ServerSideEncryption ?? '(none)'}${h.SSEKMSKeyId ? `, SSEKMSKeyId=${h.SSEKMSKeyId}` : ''}`),
    ev(def, (d) => (d ? `default SSEAlgorithm=${d.SSEAlgorithm}${d.KMSMasterKeyID ? `, KMSMasterKeyID=${d.KMSMasterKeyID}` : ''}` : 'no default encryption configuration')),
  ];
  // The object's own encryption decides. The bucket default says nothing about an object that
  // exists (it may predate the default, or have been written with other settings), so it stands
  // in only when the object is missing (404), for what it would be encrypted with once uploaded.
  let algorithm: string | undefined;
  let keyId: string | undefined;
  let source = 'the object';
  if (head.ok) {
    algorithm = head.value.ServerSideEncryption;
    keyId = head.value.SSEKMSKeyId;
  } else if (head.denied) {
    // An object owned by another account refuses the bucket owner's HeadObject whatever its IAM permissions.
    if ((await ctx.ownership()).foreign) {
      return unknown(META, 'the object\'s encryption could not be read: HeadObject was refused because another account owns the object, and the bucket default does not tell how an existing object is encrypted', evidence, 'fix the object\'s ownership (check 4), then run the doctor again');
    }
    return unknown(META, `the object's encryption could not be read: HeadObject was refused${refusedNote(head)}, and the bucket default does not tell how an existing object is encrypted`, evidence, deniedFix('s3:GetObject on the object', head));
  } else if (head.status !== 404) {
    return unknown(META, `the object's encryption could not be read (HeadObject answered ${head.code})`, evidence, 'run the doctor again; if the error persists, check the object with aws s3api head-object');
  } else {
    source = 'the bucket default';
    if (def.ok && def.value) {
      algorithm = def.value.SSEAlgorithm;
      keyId = def.value.KMSMasterKeyID;
    } else if (!def.ok) {
      return def.denied
        ? unknown(META, `the object does not exist and the bucket's default encryption could not be read${refusedNote(def)}`, evidence, deniedFix('s3:GetEncryptionConfiguration', def))
        : unknown(META, `the object does not exist and the bucket's default encryption could not be read (${def.code})`, evidence, 'run the doctor again');
    }
  }
  if (!algorithm || !algorithm.startsWith('aws:kms')) {
    const what = algorithm ?? (head.ok ? 'SSE-S3' : 'not set (objects are SSE-S3 or unencrypted)');
    const unread = head.ok ? '' : ' (the object does not exist yet)';
    return ok(META, `${source} is ${what}${unread}: CloudFront reads these without a key grant`, evidence);
  }
  return judgeKmsKey(ctx, source, keyId, evidence);
}

/**
 * Whether the distribution may decrypt what SSE-KMS key `keyId` (undefined: the AWS managed key
 * aws/s3) protects: the check's verdict on the key, for `source` ("the object", or a key the sweep
 * found). Also used by the whole-bucket sweep, once per distinct key.
 */
export async function judgeKmsKey(ctx: DoctorContext, source: string, keyId: string | undefined, evidence: Evidence[]): Promise<CheckResult> {
  const access = await ctx.access();
  if (access.kind === 'oai') {
    return problem(META, 'kms-behind-oai', `${source} is encrypted with SSE-KMS and the distribution uses an origin access identity: an OAI cannot decrypt SSE-KMS objects`, evidence, 'move the origin to an origin access control and grant it kms:Decrypt in the key policy');
  }
  if (!keyId) {
    return problem(META, 'kms-aws-managed-key', `${source} is encrypted with the AWS managed key aws/s3, whose policy cannot grant CloudFront`, evidence, 'encrypt with a customer managed key whose policy grants cloudfront.amazonaws.com kms:Decrypt (with AWS:SourceArn), or use SSE-S3');
  }
  const meta = await ctx.aws.describeKey(keyId);
  evidence.push(ev(meta, (m) => `KeyManager=${m.KeyManager}, KeyState=${m.KeyState}, Arn=${m.Arn}`));
  if (meta.ok && meta.value.KeyManager === 'AWS') {
    return problem(META, 'kms-aws-managed-key', `${source} is encrypted with an AWS managed key (${keyId}), whose policy cannot grant CloudFront`, evidence, 'encrypt with a customer managed key whose policy grants cloudfront.amazonaws.com kms:Decrypt (with AWS:SourceArn), or use SSE-S3');
  }
  if (meta.ok && meta.value.KeyState && meta.value.KeyState !== 'Enabled') {
    return problem(META, 'kms-key-disabled', `KMS key ${keyId} is ${meta.value.KeyState}`, evidence, 'enable the key (or cancel its deletion)');
  }
  const kp = await ctx.aws.keyPolicy(keyId);
  evidence.push(ev(kp, (p) => `${p.Statement.length} statement(s)`));
  const keyAccount = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):/.exec(meta.ok && meta.value.Arn ? meta.value.Arn : keyId)?.[1];
  if (!kp.ok && keyAccount && keyAccount !== ctx.env.accountId) {
    const grant = JSON.stringify(siteKeyReadStatement(ctx.distributionArn));
    return unknown(
      META,
      `${source} is encrypted with KMS key ${keyId} of account ${keyAccount}, not the bucket's account ${ctx.env.accountId}; its key policy could not be read from here${kp.denied ? refusedNote(kp) : ` (${kp.code})`}. For CloudFront to read the object, that key policy must allow the distribution (cloudfront.amazonaws.com with AWS:SourceArn ${ctx.distributionArn}) kms:Decrypt`,
      evidence,
      `ask account ${keyAccount}'s key administrators to check, or add to the key policy: ${grant}; or re-encrypt the objects with a key of account ${ctx.env.accountId}`,
    );
  }
  if (!kp.ok) return unknown(META, `the policy of KMS key ${keyId} could not be read${kp.denied ? refusedNote(kp) : ` (${kp.code})`}`, evidence, deniedFix('kms:GetKeyPolicy on the key', kp));
  const keyArn = meta.ok && meta.value.Arn ? meta.value.Arn : keyId;
  const result = evaluatePolicy(kp.value, await ctx.request('kms:Decrypt', keyArn));
  const grant = JSON.stringify(siteKeyReadStatement(ctx.distributionArn));
  for (const s of result.statements) if (s.match !== 'no') evidence.push({ call: `evaluate key policy ${describeStatement(s)} for kms:Decrypt`, seen: s.match === 'yes' ? 'matches' : `unknown: ${s.reason}` });
  if (result.outcome === 'allow') return ok(META, `the key policy of ${keyId} grants the distribution kms:Decrypt`, evidence);
  if (result.outcome === 'unknown') return unknown(META, `the key policy of ${keyId} has statements edgelock cannot evaluate for the distribution`, evidence, `review them; the grant needed is ${grant}`);
  return problem(
    META,
    result.outcome === 'deny' ? 'kms-key-denies-cloudfront' : 'kms-key-lacks-cloudfront-grant',
    `${source} is encrypted with KMS key ${keyId}, whose policy ${result.outcome === 'deny' ? 'denies' : 'does not grant'} the distribution (cloudfront.amazonaws.com) kms:Decrypt`,
    evidence,
    `add to the key policy: ${grant}`,
  );
}
