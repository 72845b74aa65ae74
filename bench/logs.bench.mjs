#!/usr/bin/env node
// Log analysis throughput and peak memory: `edgelock logs` (the compiled lib/) against peers that
// do less (a readline line count in Node, and mawk counting 403s by key), over the same generated
// S3 server access log of 512 MB. Each run is its own process, so peak RSS is its own. A 128 MB
// run of edgelock shows whether memory stays flat as the input grows.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = Number(process.env.BENCH_LOG_MB ?? 512) * 1024 * 1024;
const dir = path.join(os.tmpdir(), `edgelock-logs-bench-${process.pid}`);
const big = path.join(dir, 'access.log');
const small = path.join(dir, 'access-128.log');

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const AGENTS = ['"Amazon CloudFront"', '"aws-sdk-js/3.600.0 ua/2.0 os/linux#6.1 lang/js md/nodejs#20.19.4"', '"curl/8.5.0"', '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"'];

function line(i) {
  const forbidden = i % 11 === 0;
  const key = forbidden && i % 3 === 0 ? 'index.html' : `assets/${(i * 7919) % 50_000}/app-${i % 977}.js`;
  const hh = String(Math.floor(i / 90_000) % 24).padStart(2, '0');
  const mm = String(Math.floor(i / 1500) % 60).padStart(2, '0');
  const status = forbidden ? '403 AccessDenied 243 -' : `200 - ${5000 + (i % 9000)} ${5000 + (i % 9000)}`;
  return `${OWNER} acme-web-prod-site-333333333333 [06/Feb/2024:${hh}:${mm}:${String(i % 60).padStart(2, '0')} +0000] 130.176.${i % 256}.${i % 250} ${i % 5 === 0 ? '-' : 'cloudfront.amazonaws.com'} ${(0x3e57427f3 + i).toString(16).toUpperCase()}EXAMPLE REST.GET.OBJECT ${key} "GET /${key} HTTP/1.1" ${status} ${i % 90} ${i % 80} "-" ${AGENTS[i % AGENTS.length]} - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader acme-web-prod-site-333333333333.s3.eu-west-1.amazonaws.com TLSv1.3 - ${i % 500 === 0 ? 'Yes' : '-'}\n`;
}

function generate(file, bytes) {
  const fd = openSync(file, 'w');
  let written = 0;
  let i = 0;
  while (written < bytes) {
    let buf = '';
    while (buf.length < 4 << 20) buf += line(i++);
    written += writeSync(fd, buf);
  }
  closeSync(fd);
  return i;
}

const preload = path.join(dir, 'report-rss.cjs');
const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

/**
 * Runs a command in its own process: wall seconds and CPU seconds (user + system; steadier than
 * wall time on a shared machine), median of three runs, and peak RSS. Node processes report their
 * own through a preloaded exit hook; other peers through /usr/bin/time when it is installed.
 */
function measure(cmd, args) {
  // The median of three runs: the build machines are shared, single runs are noisy.
  const runs = [measureOnce(cmd, args), measureOnce(cmd, args), measureOnce(cmd, args)];
  const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[1];
  return { s: median('s'), cpu: median('cpu'), out: runs[0].out, rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

function measureOnce(cmd, args) {
  const isNode = cmd === process.execPath;
  const argv = isNode ? ['-r', preload, ...args] : hasTime ? ['-f', 'RSS_KB %M CPU_S %U %S', cmd, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(isNode || !hasTime ? cmd : '/usr/bin/time', argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const kb = /RSS_KB (\d+)/.exec(r.stderr)?.[1];
  const cpu = /CPU_S ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { s, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, out: r.stdout, rssMb: kb ? Number(kb) / 1024 : NaN };
}

rmSync(dir, { recursive: true, force: true });
spawnSync('mkdir', ['-p', dir]);
writeFileSync(preload, "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('RSS_KB ' + u.maxRSS + ' CPU_S ' + u.userCPUTime / 1e6 + ' ' + u.systemCPUTime / 1e6 + '\\n'); });\n");
try {
  const lines = generate(big, SIZE);
  generate(small, 128 * 1024 * 1024);
  const mb = statSync(big).size / 1e6;
  const mbSmall = statSync(small).size / 1e6;
  const bin = path.join(root, 'bin', 'edgelock.js');
  const node = process.execPath;
  const readlineCount = `const rl=require('node:readline').createInterface({input:require('node:fs').createReadStream(process.argv[1],{highWaterMark:1<<20}),crlfDelay:Infinity});let n=0;rl.on('line',()=>n++);rl.on('close',()=>console.log(n));`;
  const rows = [
    ['edgelock logs --json (full summary)', measure(node, [bin, 'logs', big, '--json']), mb],
    ['edgelock logs --json, 128 MB input', measure(node, [bin, 'logs', small, '--json']), mbSmall],
    ['peer: node readline line count', measure(node, ['-e', readlineCount, big]), mb],
    ['peer: mawk 403s by key', measure('mawk', ['$13==403{n++; k[$9]++} END{print n}', big]), mb],
    ['peer: wc -l', measure('wc', ['-l', big]), mb],
  ];
  const edgelock = rows[0][1].s;
  process.stdout.write(`Generated S3 access log: ${mb.toFixed(0)} MB, ${lines} lines (every 11th a 403; every 500th aclRequired=Yes).\n\n`);
  const na = (v, f) => (Number.isNaN(v) ? 'n/a' : f(v));
  process.stdout.write(`Load average at start: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs.\n\n`);
  process.stdout.write('| run (median of 3) | MB/s (wall) | seconds | MB per CPU-second | peak RSS (MB) | wall time vs edgelock |\n|---|---:|---:|---:|---:|---:|\n');
  for (const [name, r, size] of rows) {
    process.stdout.write(`| ${name} | ${(size / r.s).toFixed(0)} | ${r.s.toFixed(2)} | ${na(r.cpu, (c) => (c > 0.01 ? (size / c).toFixed(0) : 'n/a (< 0.01 s)'))} | ${na(r.rssMb, (m) => m.toFixed(0))} | ${(r.s / edgelock).toFixed(2)}× |\n`);
  }
  const check = JSON.parse(rows[1][1].out);
  process.stdout.write(`\nedgelock read ${check.records.s3} records of the 128 MB file, ${check.malformed} malformed. Target: ≥ 200 MB/s with flat memory (peak RSS of the 512 MB run ≈ the 128 MB run).\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
