#!/usr/bin/env node
// Local edge: requests per second through the whole chain on loopback (viewer-request Basic auth,
// cache, origin-request guard, SigV4-signed GET to the embedded S3, origin-response headers) for a
// cached object and for a miss, with the example config and examples/site. Peer: a plain Node
// http static server streaming the same file from disk, measured in the same run. The load comes
// from a separate process (keep-alive connections, fixed concurrency) so it does not share the
// server's event loop.
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadConfig, buildEdge, startLocalEdge } = require(path.join(root, 'lib/src'));

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = 16;
const TARGET_CACHED = 2000;
const AUTH = `Basic ${Buffer.from('demo:edgelock-demo').toString('base64')}`;
const site = path.join(root, 'examples', 'site');

// The load generator: N keep-alive loops for SECONDS after a one-second warm-up; prints req/s.
const LOADER = `
const http = require('node:http');
const [url, seconds, concurrency, expected, auth] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const u = new URL(url);
let count = 0, errors = 0, measuring = false, stop = false;
function one() {
  return new Promise((resolve) => {
    const req = http.get({ host: u.hostname, port: u.port, path: u.pathname, agent, headers: auth ? { authorization: auth } : {} }, (res) => {
      res.resume();
      res.on('end', () => { if (measuring) { if (res.statusCode === Number(expected)) count++; else errors++; } resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
  });
}
async function loop() { while (!stop) await one(); }
const loops = Array.from({ length: Number(concurrency) }, loop);
setTimeout(() => { measuring = true; const t0 = process.hrtime.bigint();
  setTimeout(() => { measuring = false; stop = true; const s = Number(process.hrtime.bigint() - t0) / 1e9;
    Promise.all(loops).then(() => { process.stdout.write(JSON.stringify({ rps: count / s, errors })); agent.destroy(); }); }, Number(seconds) * 1000);
}, 1000);
`;

function load(url, auth, expected = 200) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LOADER, url, String(SECONDS), String(CONCURRENCY), String(expected), auth ?? ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}`))));
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
await buildEdge(config, { outDir: dist, env: 'dev' });
const edge = await startLocalEdge({ config, env: 'dev', distDir: dist, port: 0, siteDir: site });
// The same chain with a cache that keeps nothing: every request is a miss (CachingOptimized's 1 s
// minimum TTL would otherwise serve even no-cache HTML from the cache).
const uncached = await startLocalEdge({ config, env: 'dev', distDir: dist, port: 0, siteDir: site, cacheBytes: 0 });
const peer = await startPeer(path.join(site, 'css', 'site.css'));
const peerUrl = `http://127.0.0.1:${peer.address().port}/css/site.css`;
const edgeUrl = (p, e = edge) => e.url.replace('localhost', '127.0.0.1') + p;

try {
  const rows = [];
  const peerResult = await load(peerUrl);
  const cached = await load(edgeUrl('/css/site.css'), AUTH);
  const miss = await load(edgeUrl('/css/site.css', uncached), AUTH);
  const denied = await load(edgeUrl('/css/site.css'), undefined, 401);
  const peerAgain = await load(peerUrl);
  const peerRps = (peerResult.rps + peerAgain.rps) / 2;
  rows.push(['peer: node http static server, same file', peerRps, peerResult.errors + peerAgain.errors, '']);
  rows.push(['local edge, cached object (Hit)', cached.rps, cached.errors, cached.rps >= TARGET_CACHED ? `≥ ${TARGET_CACHED} ✓` : `≥ ${TARGET_CACHED} ✗`]);
  rows.push(['local edge, miss (origin-request → S3 → origin-response)', miss.rps, miss.errors, '']);
  rows.push(['local edge, no credentials (401 from viewer-request)', denied.rps, denied.errors, '']);
  console.log(`Loopback, ${CONCURRENCY} keep-alive connections, ${SECONDS} s per case after 1 s warm-up; Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs.\n`);
  console.log('| case | req/s | unexpected status | ratio to peer | target |');
  console.log('|---|---:|---:|---:|---|');
  for (const [name, rps, errors, target] of rows) {
    console.log(`| ${name} | ${Math.round(rps)} | ${errors} | ${(rps / peerRps).toFixed(2)} | ${target} |`);
  }
  // A missed target is marked ✗ (a shared machine can be slow); a wrong status means a broken chain.
  if (cached.errors + miss.errors + denied.errors > 0) process.exitCode = 1;
} finally {
  await edge.close();
  await uncached.close();
  peer.close();
  rmSync(dist, { recursive: true, force: true });
}
