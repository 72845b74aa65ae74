#!/usr/bin/env node
// Edge handlers: warm µs per request (median over batches), cold start (a fresh process requires
// the bundle and handles its first request) and bundle size, for the bundles `edgelock build`
// produces from examples/edgelock.config.ts. Peer: bcrypt verification on every request at the
// configured cost, which is what a Basic-auth function without a verified cache pays.
// Then the timing side channel: median time of an unknown user, a known user with a wrong password
// and a valid user on a cache miss at the default cost (fresh credentials each time, interleaved),
// their ratios (target: within 10%), and the refusal past the bcrypt ceiling (microseconds).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadConfig, buildEdge } = require(path.join(root, 'lib/src'));
const { compareSync, getRounds } = require('bcryptjs');

const BATCHES = 300;
const PER_BATCH = 200;
const COLD_RUNS = 15;
const TARGET = { warmUs: 5, coldMs: 15, viewerBundleBytes: 40 * 1024 };
const GOOD = `Basic ${Buffer.from('demo:edgelock-demo').toString('base64')}`;

const events = {
  viewer: readEvent('viewer-request-authorization'),
  origin: readEvent('origin-request-s3-none'),
  response: readEvent('origin-response-200'),
};
function readEvent(name) {
  return JSON.parse(readFileSync(path.join(root, 'src', 'testing', 'recorded', `${name}.json`), 'utf8'));
}
events.viewer.Records[0].cf.request.headers.authorization[0].value = GOOD;
events.viewerAnonymous = structuredClone(events.viewer);
delete events.viewerAnonymous.Records[0].cf.request.headers.authorization;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median µs per call over batches; events are cloned before each batch, outside the timing. */
async function warm(handler, event) {
  for (let i = 0; i < 2000; i++) await handler(structuredClone(event));
  const perCall = [];
  for (let b = 0; b < BATCHES; b++) {
    const batch = Array.from({ length: PER_BATCH }, () => structuredClone(event));
    const t0 = process.hrtime.bigint();
    for (const e of batch) await handler(e);
    perCall.push(Number(process.hrtime.bigint() - t0) / 1e3 / PER_BATCH);
  }
  return median(perCall);
}

/** Fresh process: time from before `require(bundle)` to the first result. */
function cold(bundle, event) {
  const code = `
    console.log = () => undefined; // the audit lines
    const t0 = process.hrtime.bigint();
    const { handler } = require(${JSON.stringify(bundle)});
    Promise.resolve(handler(${JSON.stringify(event)})).then(() => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      process.stdout.write(JSON.stringify({ ms }));
    });`;
  const runs = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold run failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout).ms);
  }
  return { ms: median(runs) };
}

const out = mkdtempSync(path.join(tmpdir(), 'edgelock-bench-'));
try {
  const config = loadConfig(path.join(root, 'examples', 'edgelock.config.ts'));
  const { manifest } = await buildEdge(config, { outDir: out, env: 'dev' });
  const entries = manifest.environments.dev;
  const bundle = (name) => path.join(out, entries[name].bundle);
  const load = (name) => require(bundle(name)).handler;

  const hash = config.auth.users[0].hash;
  const cost = getRounds(hash);

  const quiet = console.log;
  console.log = () => undefined; // the audit lines of the in-process handlers
  const rows = [];
  const viewer = load('viewer-request');
  rows.push({
    name: 'viewer-request: valid credentials, cache hit (cold: first request has no credentials → 401)',
    warm: await warm(viewer, events.viewer),
    cold: cold(bundle('viewer-request'), events.viewerAnonymous),
    entry: entries['viewer-request'],
  });
  rows.push({ name: 'viewer-request: no credentials → 401', warm: await warm(viewer, events.viewerAnonymous), entry: entries['viewer-request'] });
  rows.push({
    name: `viewer-request: cold, first request with valid credentials (one bcrypt, cost ${cost})`,
    cold: cold(bundle('viewer-request'), events.viewer),
    bcryptCold: true,
    entry: entries['viewer-request'],
  });
  rows.push({ name: 'origin-request: S3 origin, /about', warm: await warm(load('origin-request'), events.origin), cold: cold(bundle('origin-request'), events.origin), entry: entries['origin-request'] });
  rows.push({ name: 'origin-response: S3 200', warm: await warm(load('origin-response'), events.response), cold: cold(bundle('origin-response'), events.response), entry: entries['origin-response'] });

  // Peer: bcrypt on every request at the configured cost.
  compareSync('edgelock-demo', hash);
  const peerRuns = [];
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    compareSync('edgelock-demo', hash);
    peerRuns.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  const peer = median(peerRuns);
  const cacheHit = rows[0].warm;

  // Timing side channel: a bundle with the verified cache off (every valid login is a miss) and a
  // ceiling the run never reaches; another whose ceiling is spent after one check.
  const timingOut = path.join(out, 'timing');
  const limitedOut = path.join(out, 'limited');
  const withAuth = (over) => ({ ...config, auth: { ...config.auth, ...over } });
  await buildEdge(withAuth({ cacheTtlSeconds: 0, maxVerificationsPerSecond: 100 }), { outDir: timingOut, env: 'dev' });
  await buildEdge(withAuth({ maxVerificationsPerSecond: 0.1 }), { outDir: limitedOut, env: 'dev' });
  const timingViewer = require(path.join(timingOut, entries['viewer-request'].bundle)).handler;
  const limitedViewer = require(path.join(limitedOut, entries['viewer-request'].bundle)).handler;
  const withHeader = (value) => {
    const e = structuredClone(events.viewer);
    e.Records[0].cf.request.headers.authorization[0].value = value;
    return e;
  };
  const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const SAMPLES = 31;
  const kinds = {
    'unknown user': (i) => basic(`nobody-${i}`, 'edgelock-demo'),
    'known user, wrong password': (i) => basic('demo', `wrong-${i}`),
    'valid user, cache miss': () => GOOD,
  };
  const times = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  let statuses = {};
  try {
    for (let i = 0; i < SAMPLES + 2; i++) {
      for (const [kind, header] of Object.entries(kinds)) {
        const e = withHeader(header(i));
        const t0 = process.hrtime.bigint();
        const r = await timingViewer(e);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        statuses[kind] = r.status ?? 'pass';
        if (i >= 2) times[kind].push(ms); // the first two rounds warm up
      }
    }
    await limitedViewer(withHeader(basic('demo', 'spend-the-token')));
    var refusal = await warm(limitedViewer, withHeader(basic('demo', 'past-the-ceiling')));
    var refusalStatus = (await limitedViewer(withHeader(basic('demo', 'again')))).headers['retry-after']?.[0]?.value;
  } finally {
    console.log = quiet;
  }
  const medians = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));

  const fmt = (n, d = 2) => n.toFixed(d);
  console.log(`Bundles built from examples/edgelock.config.ts (env dev, bcrypt cost ${cost}); Node ${process.version}; warm = median of ${BATCHES} batches x ${PER_BATCH} calls; cold = median of ${COLD_RUNS} fresh processes.\n`);
  console.log('| handler | warm µs/request | cold ms (require + first call) | bundle bytes | zip bytes |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.warm === undefined ? '' : fmt(r.warm)} | ${r.cold ? fmt(r.cold.ms, 1) : ''} | ${r.entry.bundleBytes} | ${r.entry.zipBytes} |`);
  }
  console.log(`| **peer:** bcrypt verification on every request (cost ${cost}) | ${fmt(peer, 0)} | | | |`);
  console.log(`\nPeer / viewer-request cache hit: **${fmt(peer / cacheHit, 0)}x** (${fmt(peer, 0)} µs vs ${fmt(cacheHit)} µs per authenticated request).`);
  console.log(`\nTiming side channel (bcrypt cost ${cost}, median of ${SAMPLES} interleaved fresh credentials each, verified cache off):\n`);
  console.log('| request | result | median ms | ratio to valid user |');
  console.log('|---|---|---:|---:|');
  const valid = medians['valid user, cache miss'];
  for (const [kind, ms] of Object.entries(medians)) console.log(`| ${kind} | ${statuses[kind]} | ${fmt(ms, 1)} | ${fmt(ms / valid, 3)} |`);
  const spread = Math.max(...Object.values(medians)) / Math.min(...Object.values(medians));
  console.log(`\nSlowest / fastest: ${fmt(spread, 3)}. Past the bcrypt ceiling (401, Retry-After: ${refusalStatus}): ${fmt(refusal)} µs per request.`);
  const checks = [
    [`unknown user, wrong password and valid cache miss within 10% of each other (${fmt(spread, 3)})`, spread <= 1.1],
    [`refusal past the ceiling in microseconds (${fmt(refusal)} µs ≤ 50 µs)`, refusal <= 50],
    ...rows.filter((r) => r.warm !== undefined).map((r) => [`${r.name}: warm ≤ ${TARGET.warmUs} µs`, r.warm <= TARGET.warmUs]),
    ...rows.filter((r) => r.cold && !r.bcryptCold).map((r) => [`${r.name}: cold ≤ ${TARGET.coldMs} ms`, r.cold.ms <= TARGET.coldMs]),
    [`viewer-request bundle ≤ ${TARGET.viewerBundleBytes} bytes`, entries['viewer-request'].bundleBytes <= TARGET.viewerBundleBytes],
  ];
  console.log('\nTargets:');
  for (const [label, ok] of checks) console.log(`- ${ok ? 'met' : 'MISSED'}: ${label}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
