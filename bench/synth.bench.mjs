#!/usr/bin/env node
// Wall time of `cdktf synth` for the example app (tools + two environments), against peers
// measured in the same run: the app alone (what the CLI runs) and the same app with the provider
// loaded through its root index (what a root import costs). Median of several runs each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadConfig } = require(path.join(root, 'lib/src/config/load.js'));
const { buildEdge } = require(path.join(root, 'lib/src/build/index.js'));

const RUNS = Number(process.env.BENCH_RUNS || 5);
const TARGET_S = 3;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'edgelock-synth-bench-'));
const dist = path.join(tmp, 'dist');

// The example's bundles and deploy function, as `npm run build` writes them.
const config = loadConfig(path.join(root, 'examples/edgelock.config.ts'));
await buildEdge(config, { outDir: dist });
const preload = path.join(tmp, 'root-import.cjs');
writeFileSync(preload, `require(${JSON.stringify(require.resolve('@cdktf/provider-aws'))});\n`);

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  CI: '1',
  EDGELOCK_CONFIG: path.join(root, 'examples/edgelock.config.ts'),
  EDGELOCK_DIST: dist,
};
const cdktf = path.join(root, 'node_modules/.bin/cdktf');
const cases = [
  { name: '`cdktf synth` (CLI, deep imports)', cmd: cdktf, args: (out) => ['synth', '--output', out] },
  { name: 'app alone: `node --import tsx cdktf/main.ts`', cmd: process.execPath, args: () => ['--import', 'tsx', 'cdktf/main.ts'] },
  { name: 'peer: app alone + provider root import', cmd: process.execPath, args: () => ['-r', preload, '--import', 'tsx', 'cdktf/main.ts'] },
];

/** CPU seconds used by finished children (Linux /proc; fields cutime and cstime, 100 ticks/s): a figure the shared machine's load does not inflate. */
function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

function once(c, i) {
  const out = path.join(tmp, `out-${i}`);
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args(out), { cwd: root, env: { ...env, CDKTF_OUTDIR: out }, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = childCpu() - cpu0;
  if (r.status !== 0) throw new Error(`${c.name} failed:\n${r.stderr}\n${r.stdout}`);
  rmSync(out, { recursive: true, force: true });
  return { wall, cpu };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  for (const c of cases) once(c, 'warm'); // tsx's transform cache, the OS file cache
  const rows = cases.map((c) => {
    const runs = Array.from({ length: RUNS }, (_, i) => once(c, i));
    const wall = runs.map((r) => r.wall);
    return { name: c.name, median: median(wall), min: Math.min(...wall), cpu: median(runs.map((r) => r.cpu)) };
  });
  const app = rows[1].median;
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} CPUs, ${RUNS} runs each\n`);
  console.log('| run | median wall s | min wall s | median CPU s | × app alone (wall) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(r.median / app).toFixed(2)} |`);
  const cli = rows[0].median;
  console.log(`\n\`cdktf synth\`: ${cli.toFixed(2)} s (target ≤ ${TARGET_S} s: ${cli <= TARGET_S ? 'met' : 'missed'}); the CLI adds ${(cli - app).toFixed(2)} s to the app;`);
  console.log(`a provider root import would add ${(rows[2].median - app).toFixed(2)} s (${(rows[2].median / app).toFixed(2)}× the app alone).`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
