#!/usr/bin/env node
// Deploy benchmark: a generated 2,000-file site deployed fresh, re-deployed with 20 files (1%)
// changed, then deployed again unchanged (a no-op), by `edgelock deploy --endpoint` and by Debian's
// `aws s3 sync --endpoint-url`, against the same s3rver (its own process, so neither client shares
// an event loop with the server). edgelock keeps its digest cache in the bench's project folder
// (next to the config), as `edgelock deploy` does in a project.
// Each tool runs as a CLI, as users run it; each scenario runs RUNS times into fresh buckets and
// the median is reported. Uses the compiled lib/ (npm run bench compiles first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'edgelock.js');
const FILES = 2000;
const CHANGED = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const AWS = ['/usr/bin/aws', 'aws'].find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
if (!AWS) {
  console.error('deploy bench: the peer `aws` (Debian package awscli) is not installed: apt-get install -y awscli');
  process.exit(1);
}
const awsVersion = spawnSync(AWS, ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[0];

const work = mkdtempSync(path.join(os.tmpdir(), 'edgelock-bench-deploy-'));
const env = {
  PATH: process.env.PATH,
  HOME: work,
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** A deterministic pseudo-random site: pages, hashed scripts and styles, images of mixed sizes. */
function generateSite(dir) {
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const files = [];
  for (let i = 0; i < FILES; i++) {
    let rel;
    let data;
    if (i % 10 === 0) {
      rel = i === 0 ? 'index.html' : `section${i % 7}/page${i}/index.html`;
      data = `<!doctype html><title>Page ${i}</title>${'<p>lorem ipsum dolor sit amet</p>'.repeat(20 + Math.floor(rand() * 100))}`;
    } else if (i % 10 < 3) {
      rel = `assets/chunk-${i}.${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}.${i % 2 ? 'js' : 'css'}`;
      data = `/* ${i} */${'x'.repeat(1000 + Math.floor(rand() * 30000))}`;
    } else {
      rel = `images/${i % 20}/img-${i}.png`;
      data = Buffer.alloc(2000 + Math.floor(rand() * 60000), i % 251);
    }
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
    files.push(file);
  }
  return files;
}

function changeFiles(files) {
  for (let i = 0; i < CHANGED; i++) {
    const file = files[(i * 97) % files.length];
    writeFileSync(file, `<!-- changed ${Date.now()} ${i} -->`, { flag: 'a' });
  }
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed (${code}): ${stderr.slice(0, 500)}`));
      else resolve(seconds);
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU seconds a process has used so far (user + system), from /proc; 0 where /proc is missing. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

async function main() {
  const buckets = [];
  for (let r = 0; r < RUNS; r++) buckets.push(`edgelock-${r}`, `awscli-${r}`);
  // s3rver in its own process. It encrypts ListObjectsV2 continuation tokens with DES, which
  // OpenSSL 3 only offers through the legacy provider: without it, listing past 1,000 keys fails.
  const serverScript = `
    const S3rver = require(${JSON.stringify(path.join(ROOT, 'node_modules', 's3rver'))});
    new S3rver({ address: '127.0.0.1', port: 0, silent: !process.env.BENCH_DEBUG, directory: ${JSON.stringify(path.join(work, 's3'))},
      vhostBuckets: false, configureBuckets: ${JSON.stringify(buckets.map((name) => ({ name })))} })
      .run().then((a) => process.stdout.write(a.port + '\\n'));`;
  const server = spawn(process.execPath, ['--openssl-legacy-provider', '-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } });
  const port = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  const endpoint = `http://127.0.0.1:${port}`;

  const environments = {};
  for (let r = 0; r < RUNS; r++) environments[`b${r}`] = { accountId: '222222222222', region: 'us-east-1', auth: false, bucket: `edgelock-${r}` };
  const config = path.join(work, 'edgelock.config.json');
  writeFileSync(config, JSON.stringify({ project: 'bench', tools: { accountId: '111111111111' }, environments }));

  const scenarios = () => ({ fresh: [], redeploy: [], noop: [] });
  const results = { edgelock: scenarios(), aws: scenarios() };
  const serverCpu = { edgelock: scenarios(), aws: scenarios() };
  const measure = async (name, key, fn) => {
    const before = cpuSeconds(server.pid);
    results[name][key].push(await fn());
    serverCpu[name][key].push(cpuSeconds(server.pid) - before);
  };
  try {
    for (let r = 0; r < RUNS; r++) {
      const site = path.join(work, `site-${r}`);
      const files = generateSite(site);
      const edgelock = () => run(process.execPath, [BIN, 'deploy', site, '--env', `b${r}`, '--config', config, '--endpoint', endpoint, '--json']);
      const aws = () => run(AWS, ['s3', 'sync', site, `s3://awscli-${r}`, '--endpoint-url', endpoint, '--delete', '--only-show-errors']);
      // Alternate who goes first so neither always meets a warmer server.
      const order = r % 2 === 0 ? [['edgelock', edgelock], ['aws', aws]] : [['aws', aws], ['edgelock', edgelock]];
      for (const [name, fn] of order) await measure(name, 'fresh', fn);
      changeFiles(files);
      for (const [name, fn] of order) await measure(name, 'redeploy', fn);
      for (const [name, fn] of order) await measure(name, 'noop', fn);
      rmSync(site, { recursive: true, force: true });
    }
  } finally {
    server.kill();
  }

  const row = (label, key, target) => {
    const e = median(results.edgelock[key]);
    const a = median(results.aws[key]);
    const ratio = a / e;
    const cpu = `${median(serverCpu.edgelock[key]).toFixed(1)} s / ${median(serverCpu.aws[key]).toFixed(1)} s`;
    return `| ${label} | ${e.toFixed(2)} s | ${a.toFixed(2)} s | ${ratio.toFixed(2)}x | ${target}x | ${ratio >= target ? 'met' : 'missed'} | ${cpu} |`;
  };
  console.log(`Site: ${FILES} files generated (pages, hashed assets, images); re-deploy changes ${CHANGED}; no-op deploys it again unchanged. Median of ${RUNS} runs, same s3rver (own process) for both.`);
  console.log(`Peer: ${awsVersion} \`aws s3 sync --delete --endpoint-url\` (its defaults: 10 concurrent requests). edgelock: \`edgelock deploy --endpoint --json\` (concurrency 16).\n`);
  console.log(`Host: ${os.cpus().length} CPU(s), load average ${os.loadavg()[0].toFixed(1)} at the end. The last column is the CPU the s3rver process spent serving each tool.\n`);
  console.log('| scenario | edgelock | aws s3 sync | speed-up | target | | s3rver CPU (edgelock / aws) |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(row(`fresh deploy (${FILES} files)`, 'fresh', 2));
  console.log(row(`re-deploy (${CHANGED} changed)`, 'redeploy', 3));
  console.log(row('no-op deploy', 'noop', 3));
}

main()
  .catch((err) => {
    console.error(`deploy bench failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  });
