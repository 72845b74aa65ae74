#!/usr/bin/env node
// `doctor --sweep` from an S3 Inventory report: objects per second and peak memory of the sweep
// (the compiled lib/) over a generated report of BENCH_SWEEP_ROWS objects (default 300,000), CSV
// gzip and Parquet, read over HTTP from s3rver on loopback; against a peer that only downloads,
// gunzips and splits the same CSV into lines (the least any CSV reader must do). The bucket's own
// answers (ownership, owner, policy, distribution) come from aws-sdk-client-mock, shaped like AWS's.
// Each run is its own process, so peak RSS is its own; each row is the median of three runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync, createGunzip } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.env.BENCH_SWEEP_ROWS ?? 300_000);
const BUCKET = 'acme-web-prod-site-333333333333';
const INV = 'acme-inventory';
const OWNER = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const OTHER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const ACL = Buffer.from(JSON.stringify({ version: '2022-11-10', status: 'AVAILABLE', grants: [{ canonicalId: OWNER, type: 'CanonicalUser', permission: 'FULL_CONTROL' }] })).toString('base64');
const NAMES = ['bucket', 'key', 'size', 'storage_class', 'encryption_status', 'intelligent_tiering_access_tier', 'object_owner', 'object_access_control_list'];

function row(i) {
  return [BUCKET, `assets/${i % 977}/file-${i}.js`, String(1000 + (i % 9000)), i % 200 === 0 ? 'GLACIER' : 'STANDARD', 'SSE-S3', '', i % 100 === 0 ? OTHER : OWNER, ACL];
}

async function withS3rver(fn) {
  const S3rver = require('s3rver');
  const { S3Client } = require('@aws-sdk/client-s3');
  const directory = mkdtempSync(path.join(os.tmpdir(), 'edgelock-sweep-bench-'));
  const server = new S3rver({ address: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0), silent: true, directory, configureBuckets: [{ name: INV }], vhostBuckets: false });
  const addr = await server.run();
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${addr.port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    return await fn(s3, addr.port);
  } finally {
    s3.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function generate(s3) {
  const { PutObjectCommand } = require('@aws-sdk/client-s3');
  const { parquetWriteBuffer } = require('hyparquet-writer');
  const put = (Key, Body) => s3.send(new PutObjectCommand({ Bucket: INV, Key, Body }));
  const lines = [];
  for (let i = 0; i < ROWS; i++) lines.push(row(i).map((v) => `"${v}"`).join(','));
  const gz = gzipSync(`${lines.join('\n')}\n`);
  await put(`csv/${BUCKET}/all/data/one.csv.gz`, gz);
  const manifest = (format, key, size, fileSchema) => JSON.stringify({ sourceBucket: BUCKET, destinationBucket: `arn:aws:s3:::${INV}`, version: '2016-11-30', creationTimestamp: '1796000400000', fileFormat: format, fileSchema, files: [{ key, size, MD5checksum: 'x' }] });
  await put(`csv/${BUCKET}/all/2026-11-30T01-00Z/manifest.json`, manifest('CSV', `csv/${BUCKET}/all/data/one.csv.gz`, gz.length, 'Bucket, Key, Size, StorageClass, EncryptionStatus, IntelligentTieringAccessTier, ObjectOwner, ObjectAccessControlList'));
  const rows = Array.from({ length: ROWS }, (_, i) => row(i));
  const columnData = NAMES.map((name, c) => ({ name, data: rows.map((r) => (c === 2 ? BigInt(r[c]) : c === 5 ? null : r[c])), type: c === 2 ? 'INT64' : 'STRING' }));
  const pq = new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 50_000 }));
  await put(`pq/${BUCKET}/all/data/one.parquet`, pq);
  await put(`pq/${BUCKET}/all/2026-11-30T01-00Z/manifest.json`, manifest('Parquet', `pq/${BUCKET}/all/data/one.parquet`, pq.byteLength, `message s3.inventory { ${NAMES.map((n) => `optional binary ${n};`).join(' ')} }`));
  return { csvBytes: gz.length, parquetBytes: pq.byteLength };
}

/** The bucket's own answers, as the SDK parses AWS's wire responses. */
function bucketClients() {
  const { mockClient } = require('aws-sdk-client-mock');
  const s3sdk = require('@aws-sdk/client-s3');
  const cf = require('@aws-sdk/client-cloudfront');
  const sts = require('@aws-sdk/client-sts');
  const { createClients } = require(path.join(root, 'lib/src/origin/doctor'));
  const clients = createClients('eu-west-1');
  const s3 = mockClient(clients.s3);
  s3.on(s3sdk.GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
  s3.on(s3sdk.GetBucketAclCommand).resolves({ Owner: { ID: OWNER }, Grants: [] });
  s3.on(s3sdk.GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::333333333333:distribution/E2QWRUHAPOMQZL' } } }] }) });
  const c = mockClient(clients.cloudfront);
  c.on(cf.GetDistributionConfigCommand).resolves({ ETag: 'E1', DistributionConfig: { CallerReference: 'x', Comment: '', Enabled: true, DefaultRootObject: 'index.html', Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: `${BUCKET}.s3.eu-west-1.amazonaws.com`, OriginPath: '', S3OriginConfig: { OriginAccessIdentity: '' }, OriginAccessControlId: 'E3OAC' }] }, DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https', LambdaFunctionAssociations: { Quantity: 0 }, FunctionAssociations: { Quantity: 0 } } } });
  c.on(cf.GetOriginAccessControlCommand).resolves({ OriginAccessControl: { Id: 'E3OAC', OriginAccessControlConfig: { Name: 'x', SigningProtocol: 'sigv4', SigningBehavior: 'always', OriginAccessControlOriginType: 's3' } } });
  mockClient(clients.sts).on(sts.GetCallerIdentityCommand).resolves({ Account: '333333333333', Arn: 'arn:aws:sts::333333333333:assumed-role/Admin/bench', UserId: 'AROA:bench' });
  return clients;
}

/** One measured run, in this (child) process. */
async function child(mode, port) {
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
  const inv = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let objects;
  if (mode === 'peer') {
    const r = await inv.send(new GetObjectCommand({ Bucket: INV, Key: `csv/${BUCKET}/all/data/one.csv.gz` }));
    objects = 0;
    for await (const _ of createInterface({ input: r.Body.pipe(createGunzip()), crlfDelay: Infinity })) objects++;
  } else {
    const { runSweep } = require(path.join(root, 'lib/src/origin/doctor/sweep'));
    const env = { name: 'prod', accountId: '333333333333', region: 'eu-west-1', auth: false, originAccess: 'oac', bucket: BUCKET, bucketDomain: `${BUCKET}.s3.eu-west-1.amazonaws.com`, distributionId: 'E2QWRUHAPOMQZL' };
    const report = await runSweep({ env, distributionId: 'E2QWRUHAPOMQZL', clients: bucketClients(), deployPrefix: '', inventory: { bucket: INV, key: `${mode === 'csv' ? 'csv' : 'pq'}/${BUCKET}/all/` }, inventoryS3: inv });
    objects = report.objects;
    if (report.groups.find((g) => g.code === 'object-foreign-owner')?.count !== Math.ceil(ROWS / 100)) throw new Error('wrong verdicts');
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ objects, s, cpu: (cpu.user + cpu.system) / 1e6, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  await withS3rver(async (s3, port) => {
    const sizes = await generate(s3);
    // s3rver runs in this process; each measured run is a child that talks to it over loopback.
    const measure = async (mode) => {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await runOnceAsync(mode));
      const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[1];
      return { objects: runs[0].objects, s: median('s'), cpu: median('cpu'), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
    };
    const runOnceAsync = (mode) =>
      new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, String(port)], { env: { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' } });
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${mode}: ${err}`))));
      });
    const peer = await measure('peer');
    const csv = await measure('csv');
    const parquet = await measure('parquet');
    console.log(`S3 Inventory of ${ROWS.toLocaleString('en')} objects (CSV gzip ${(sizes.csvBytes / 1e6).toFixed(1)} MB, Parquet ${(sizes.parquetBytes / 1e6).toFixed(1)} MB) on s3rver, load average ${os.loadavg()[0].toFixed(1)}\n`);
    console.log('| run (median of 3) | objects/s (wall) | seconds | CPU seconds | peak RSS (MB) | wall time vs peer |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [name, r] of [['edgelock doctor --sweep, CSV gzip inventory', csv], ['edgelock doctor --sweep, Parquet inventory', parquet], ['peer: download + gunzip + line split of the CSV', peer]]) {
      console.log(`| ${name} | ${Math.round(r.objects / r.s).toLocaleString('en')} | ${r.s.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rssMb} | ${(r.s / peer.s).toFixed(2)}× |`);
    }
  });
}
