import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { Command } from 'commander';
import { loadConfig, selectEnvironment } from '../../config/load';
import type { ResolvedEnvironment } from '../../config/schema';
import { UsageError } from '../../errors';
import { errorName } from '../../origin/s3/errors';
import { oaiIdOfOriginPath } from '../../origin/s3/oai';
import { PROCESS_IO, type CliRun } from '../run';

export interface FixOwnershipOptions {
  config?: string;
  env: string;
  dryRun?: boolean;
  keepAcls?: boolean;
  manifestBucket?: string;
  out?: string;
  json?: boolean;
}

export interface FixClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  /** To read the distribution's OAI canonical ID (optional: without it, only the config's IDs are known). */
  readonly cloudfront?: CloudFrontClient;
}

/**
 * Canonical IDs of the OAIs whose object-ACL grants become one bucket-wide statement: the config's,
 * plus the OAI the environment's distribution uses, when it can be read.
 */
async function oaiCanonicalIds(env: ResolvedEnvironment, cloudfront: CloudFrontClient | undefined): Promise<{ ids: string[]; note?: string }> {
  const ids = [...(env.oaiCanonicalUserIds ?? [])];
  if (!cloudfront || !env.distributionId) return { ids };
  const { GetDistributionConfigCommand, GetCloudFrontOriginAccessIdentityCommand } = await import('@aws-sdk/client-cloudfront');
  try {
    const d = await cloudfront.send(new GetDistributionConfigCommand({ Id: env.distributionId }));
    for (const o of d.DistributionConfig?.Origins?.Items ?? []) {
      const path = o.S3OriginConfig?.OriginAccessIdentity;
      const oai = path ? oaiIdOfOriginPath(path) : undefined;
      if (!oai) continue;
      const r = await cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: oai }));
      const id = r.CloudFrontOriginAccessIdentity?.S3CanonicalUserId;
      if (id && !ids.includes(id)) ids.push(id);
    }
    return { ids };
  } catch (err) {
    return { ids, note: `the OAI of distribution ${env.distributionId} could not be read (${errorName(err)}); only oaiCanonicalUserIds from the config count as OAIs` };
  }
}

/** `edgelock fix ownership`; clients are injectable for tests. */
export async function fixOwnershipCommand(opts: FixOwnershipOptions, clients?: FixClients, out: (s: string) => void = PROCESS_IO.stdout, err: (s: string) => void = PROCESS_IO.stderr): Promise<void> {
  const config = loadConfig(opts.config);
  const env = selectEnvironment(config, opts.env);
  if (opts.manifestBucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(opts.manifestBucket)) {
    throw new UsageError(`--manifest-bucket "${opts.manifestBucket}" is not a bucket name`);
  }
  // The SDK loads here, not at start-up.
  const fix = await import('../../origin/fix');
  let s3 = clients?.s3;
  let s3control = clients?.s3control;
  let cloudfront = clients?.cloudfront;
  if (!s3 || !s3control) {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const { S3ControlClient } = await import('@aws-sdk/client-s3-control');
    const { CloudFrontClient } = await import('@aws-sdk/client-cloudfront');
    s3 = new S3Client({ region: env.region, followRegionRedirects: true });
    s3control = new S3ControlClient({ region: env.region });
    cloudfront = new CloudFrontClient({ region: 'us-east-1' });
  }
  const tty = !opts.json && process.stderr.isTTY;
  const progress = (what: string) => (done: number, total: number) => {
    if (tty && (done === total || done % 100 === 0)) err(`\r${what} ${done}/${total}${done === total ? '\n' : ''}`);
  };
  const scan = await fix.scanOwnership(s3, env.bucket, { aclScanLimit: config.doctor.batchThreshold, onProgress: progress('reading object ACLs') });
  const oais = await oaiCanonicalIds(env, cloudfront);
  const planned = fix.planOwnershipFix(scan, {
    accountId: env.accountId,
    keepAcls: !!opts.keepAcls,
    batchThreshold: config.doctor.batchThreshold,
    batchRoleName: config.doctor.batchRoleName,
    oaiCanonicalIds: oais.ids,
  });
  const plan = oais.note ? { ...planned, notes: [...planned.notes, oais.note] } : planned;
  const batch = plan.steps.find((s) => s.kind === 'batch-copy');
  if (opts.dryRun) {
    if (batch && opts.out) {
      const mb = opts.manifestBucket ?? 'MANIFEST-BUCKET';
      const job = fix.batchJobDefinition({
        accountId: env.accountId,
        bucket: env.bucket,
        roleArn: batch.roleArn,
        manifestArn: `arn:aws:s3:::${mb}/edgelock-fix-ownership/${env.bucket}/manifest.csv`,
        manifestEtag: 'ETAG-OF-THE-UPLOADED-MANIFEST',
        reportBucketArn: `arn:aws:s3:::${mb}`,
        ...(scan.kmsKeyId ? { kmsKeyId: scan.kmsKeyId } : {}),
        token: 'edgelock-dry-run',
      });
      fix.writeBatchFiles(opts.out, fix.manifestCsv(env.bucket, batch.keys), job);
    }
    out(opts.json ? `${JSON.stringify({ dryRun: true, plan }, null, 2)}\n` : `${fix.renderPlan(plan, true)}${batch && opts.out ? `Wrote ${opts.out}/manifest.csv and ${opts.out}/job.json for review.\n` : ''}`);
    return;
  }
  if (!opts.json) out(fix.renderPlan(plan, false));
  const result = await fix.applyOwnershipFix(plan, {
    s3,
    s3control,
    accountId: env.accountId,
    ...(opts.manifestBucket ? { manifestBucket: opts.manifestBucket } : {}),
    ...(scan.kmsKeyId ? { kmsKeyId: scan.kmsKeyId } : {}),
    ...(opts.out ? { outDir: opts.out } : {}),
    onCopy: progress('copying'),
  });
  out(opts.json ? `${JSON.stringify({ dryRun: false, plan, result }, null, 2)}\n` : `Done:\n${result.done.map((d) => `  - ${d}`).join('\n') || '  - nothing to change'}\n`);
}

export function registerFix(program: Command, run: CliRun): void {
  const fixCmd = program.command('fix').description('repair what the doctor finds');
  fixCmd
    .command('ownership')
    .description('move access granted by ACLs into the bucket policy and switch the bucket to BucketOwnerEnforced, which makes the bucket owner own every object (the fix for the seed incident)')
    .requiredOption('-e, --env <name>', 'environment whose bucket to fix')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--keep-acls', 'switch to BucketOwnerPreferred instead and copy foreign-owned objects in place (S3 Batch Operations above doctor.batchThreshold)')
    .option('--manifest-bucket <name>', 'bucket for the Batch Operations manifest and report (not the site bucket)')
    .option('--out <dir>', 'also write the Batch Operations manifest.csv and job.json here')
    .option('--json', 'print the plan (and result) as JSON')
    .action(
      run.action(async (opts: FixOwnershipOptions) => {
        await fixOwnershipCommand(opts, undefined, run.io.stdout, run.io.stderr);
      }),
    );
}
