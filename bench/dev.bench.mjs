#!/usr/bin/env node
// Local edge: requests per second through the whole chain on loopback (viewer-request Basic auth,
// cache, origin-request guard, SigV4-signed GET to the embedded S3, origin-response headers) for a
// cached object and for a miss, with the example config and examples/site. Peer: a plain Node
// http static server streaming the same file from disk, measured in the same run. The load comes
// from a separate process (keep-alive connections, fixed concurrency) so it does not share the
// server's event loop.
//
// The miss is broken down by taking one part away at a time, each case measured over the same
// loopback with the same load: the embedded S3 alone (signed GETs straight to its SigV4 gate), a
// local edge with no function in front of it (the flow, the origin client's signing), the
// environment without auth (origin-request and origin-response in their workers), and the full
// chain (viewer-request's Basic auth on top). Besides req/s, each case reports the CPU this
// process (every thread: edge, workers, S3) spent per request, which a busy machine disturbs less.
// BENCH_SECONDS (default 3) and BENCH_ROUNDS (default 2) set the length of a run.
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadConfig, buildEdge, startLocalEdge } = require(path.join(root, 'lib/src'));
const { LocalEdge, startDevServer } = require(path.join(root, 'lib/src/dev'));
const { describeConfiguredDistribution } = require(path.join(root, 'lib/src/distribution'));

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const load0 = os.loadavg()[0];
const CONCURRENCY = 16;
const TARGET_CACHED = 2000;
const TARGET_MISS = 1000;
const AUTH = `Basic ${Buffer.from('demo:edgelock-demo').toString('base64')}`;
const site = path.join(root, 'examples', 'site');
const FILE = '/css/site.css';

// The load generator: N keep-alive loops; after a warm-up (at least one second, and until every
// loop has had 20 answers, so each function instance has done its one bcrypt check and the
// embedded S3 has read the object once) it prints "start", measures for SECONDS and prints req/s
// and the requests counted. With a signer module, each request is a SigV4-signed GET made by the
// local edge's own origin client (straight to the embedded S3).
const LOADER = `
const http = require('node:http');
const [url, seconds, concurrency, expected, auth, originModule, s3json] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const u = new URL(url);
let count = 0, errors = 0, measuring = false, stop = false;
const tally = (status) => { if (measuring) { if (status === Number(expected)) count++; else errors++; } };
let one = () => new Promise((resolve) => {
  const req = http.get({ host: u.hostname, port: u.port, path: u.pathname, agent, headers: auth ? { authorization: auth } : {} }, (res) => {
    res.resume();
    res.on('end', () => { tally(res.statusCode); resolve(); });
  });
  req.on('error', () => { errors++; resolve(); });
});
if (originModule) {
  const s3 = JSON.parse(s3json);
  const origin = require(originModule).s3Origin({ endpoint: u.origin, credentials: s3.credentials });
  const request = { method: 'GET', uri: u.pathname, querystring: '', headers: {}, origin: { s3: { domainName: s3.domainName, path: '' } } };
  one = () => origin.fetch(request).then((r) => tally(r.status), () => { errors++; });
}
let warm = 0;
async function loop() { for (let i = 0; i < 20; i++) await one(); warm++; while (!stop) await one(); }
const loops = Array.from({ length: Number(concurrency) }, loop);
const t = setInterval(() => {
  if (warm < Number(concurrency)) return;
  clearInterval(t);
  measuring = true; process.stdout.write('start\\n'); const t0 = process.hrtime.bigint();
  setTimeout(() => { measuring = false; stop = true; const s = Number(process.hrtime.bigint() - t0) / 1e9;
    process.stdout.write(JSON.stringify({ rps: count / s, count, errors }) + '\\n');
    Promise.all(loops).then(() => { agent.destroy(); process.exit(0); }); }, Number(seconds) * 1000);
}, 1000);
`;

/**
 * Runs the load generator; returns req/s, unexpected statuses and the CPU this process (every
 * thread) spent per request while the generator measured.
 */
function load(url, { auth, expected = 200, s3 } = {}) {
  return new Promise((resolve, reject) => {
    const args = ['-e', LOADER, url, String(SECONDS), String(CONCURRENCY), String(expected), auth ?? ''];
    if (s3) args.push(path.join(root, 'lib/src/dev/origin'), JSON.stringify(s3));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let cpu0;
    let result;
    child.stdout.on('data', (c) => {
      out += c;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'start') cpu0 = process.cpuUsage();
        else if (line.startsWith('{')) {
          const cpu = process.cpuUsage(cpu0);
          const r = JSON.parse(line);
          result = { ...r, cpuUs: (cpu.user + cpu.system) / Math.max(1, r.count + r.errors) };
        }
      }
    });
    child.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
  });
}

function startPeer(file) {
  const size = statSync(file).size;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'content-length': size, 'cache-control': 'public, max-age=3600' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const dist = mkdtempSync(path.join(tmpdir(), 'edgelock-bench-dev-'));
const config = loadConfig(path.join(root, 'examples', 'edgelock.config.ts'));
await buildEdge(config, { outDir: dist });
// The functions log one audit line per bcrypt check (once per instance here): kept off the table.
const quiet = () => undefined;
const edge = await startLocalEdge({ config, env: 'dev', distDir: dist, port: 0, siteDir: site, log: quiet });
// The same chain with a cache that keeps nothing: every request is a miss (CachingOptimized's 1 s
// minimum TTL would otherwise serve even no-cache HTML from the cache).
const uncached = await startLocalEdge({ config, env: 'dev', distDir: dist, port: 0, siteDir: site, cacheBytes: 0, log: quiet });
// prod has no auth: no viewer-request function, the rest as in dev.
const noAuth = await startLocalEdge({ config, env: 'prod', distDir: dist, port: 0, siteDir: site, cacheBytes: 0, log: quiet });
// The flow alone, with no function, in front of prod's embedded S3.
const bare = new LocalEdge({ handlers: {}, origin: noAuth.origin, env: noAuth.environment, description: describeConfiguredDistribution(config), cacheBytes: 0 });
const bareServer = await startDevServer({ edge: bare, port: 0 });
const peer = await startPeer(path.join(site, 'css', 'site.css'));
const peerUrl = `http://127.0.0.1:${peer.address().port}${FILE}`;
const at = (url) => url.replace('localhost', '127.0.0.1') + FILE;
const s3Direct = { credentials: noAuth.s3.readerCredentials, domainName: noAuth.environment.bucketDomain };

try {
  const cases = {
    peer: () => load(peerUrl),
    cached: () => load(at(edge.url), { auth: AUTH }),
    miss: () => load(at(uncached.url), { auth: AUTH }),
    missNoAuth: () => load(at(noAuth.url)),
    flowOnly: () => load(at(bareServer.url)),
    s3Only: () => load(noAuth.s3.endpoint + FILE, { s3: s3Direct }),
    denied: () => load(at(edge.url), { expected: 401 }),
  };
  // Rounds run the cases in turn, so a burst of load elsewhere on a shared machine hits one round
  // of each rather than one case; each case keeps its best req/s and its lowest CPU per request.
  const best = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const r = await run();
      const b = best[name];
      best[name] = b ? { rps: Math.max(b.rps, r.rps), cpuUs: Math.min(b.cpuUs, r.cpuUs), errors: b.errors + r.errors } : r;
    }
  }
  const { peer: peerResult, cached, miss, missNoAuth, flowOnly, s3Only, denied } = best;
  const peerRps = peerResult.rps;
  const mark = (rps, target) => (rps >= target ? `≥ ${target} ✓` : `≥ ${target} ✗`);
  const rows = [
    ['peer: node http static server, same file', peerResult, ''],
    ['local edge, cached object (Hit)', cached, mark(cached.rps, TARGET_CACHED)],
    ['local edge, miss: the whole chain (auth → origin-request → signed S3 GET → origin-response)', miss, mark(miss.rps, TARGET_MISS)],
    ['miss without auth (prod: origin-request → S3 → origin-response)', missNoAuth, ''],
    ['miss with no function (the flow and the signed S3 GET only)', flowOnly, ''],
    ['embedded S3 alone (signed GETs straight to its SigV4 gate)', s3Only, ''],
    ['local edge, no credentials (401 from viewer-request)', denied, ''],
  ];
  console.log(
    `Loopback, ${CONCURRENCY} keep-alive connections, ${SECONDS} s per case and round after a warm-up (≥ 1 s, 20 answers per connection), best of ${ROUNDS} rounds; ` +
      `Node ${process.version}, ${os.cpus().length} CPUs, load average ${load0.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end.\n`,
  );
  console.log('| case | req/s | unexpected status | ratio to peer | CPU µs per request | target |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const [name, r, target] of rows) {
    console.log(`| ${name} | ${Math.round(r.rps)} | ${r.errors} | ${(r.rps / peerRps).toFixed(2)} | ${Math.round(r.cpuUs)} | ${target} |`);
  }
  // Where a miss's CPU goes: each part is the difference between two cases above.
  const us = (x) => `${Math.round(x)} µs`;
  console.log('\nWhere a miss goes (CPU per request of this process, differences between the cases above; a busy machine makes them noisy):\n');
  console.log('| part | CPU per request |');
  console.log('|---|---:|');
  console.log(`| embedded S3: SigV4 gate and the object read | ${us(s3Only.cpuUs)} |`);
  console.log(`| edge flow, viewer socket and origin client (signing, keep-alive) | ${us(flowOnly.cpuUs - s3Only.cpuUs)} |`);
  console.log(`| origin-request and origin-response (two worker round trips) | ${us(missNoAuth.cpuUs - flowOnly.cpuUs)} |`);
  console.log(`| viewer-request Basic auth (a worker round trip; credentials verified in the warm-up) | ${us(miss.cpuUs - missNoAuth.cpuUs)} |`);
  // A missed target is marked ✗ (a shared machine can be slow); a wrong status means a broken chain.
  if ([cached, miss, missNoAuth, flowOnly, s3Only, denied].some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  await bareServer.close();
  await edge.close();
  await uncached.close();
  await noAuth.close();
  peer.close();
  rmSync(dist, { recursive: true, force: true });
}
