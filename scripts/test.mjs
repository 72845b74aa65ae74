#!/usr/bin/env node
// `npm test`: compile (the CLI tests run lib/), then jest, while the type check of everything
// (tests included) runs beside them. Fails when any of them fails.
//
// jest runs twice, side by side. One run takes the tests of the edge handlers, the config and
// edgelock/testing, with coverage: they alone hold src/edge and src/config above the thresholds in
// jest.config.js; its output is printed when it ends. The other takes every other test, without
// coverage, which would slow all their code (the AWS SDK, cdktf) for figures nobody reads; many of
// them wait on child processes and sockets, which leaves CPU to the covered run. Each run has two
// workers: with one, jest runs in its own process, where coverage costs several times more.
// `npm test -- ARGS` runs `jest ARGS` once instead.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const jest = require.resolve('jest/bin/jest');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command to its end; `buffered` holds its output back and prints it all at the end. */
function run(command, args, label, { buffered = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const held = [];
    if (buffered) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => held.push(chunk));
    child.on('error', (err) => {
      console.error(`${label}: ${err.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      if (buffered) process.stdout.write(`\n--- ${label} ---\n${Buffer.concat(held).toString()}`);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const typecheck = run(process.execPath, [tsc, '-p', 'tsconfig.json'], 'type check');
const compiled = await run(npm, ['run', '--silent', 'compile'], 'compile');

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The test folders that measure src/edge and src/config (see jest.config.js), as jest path patterns. */
const COVERED = ['edge', 'config', 'testing'].map((folder) => `^${escape(path.join(process.cwd(), 'test', folder))}/`);

async function jestRuns() {
  const args = process.argv.slice(2);
  if (args.length) return run(process.execPath, [jest, ...args], 'jest');
  const covered = run(process.execPath, [jest, '--coverage', ...COVERED], 'jest (covered)', { buffered: true });
  const rest = run(process.execPath, [jest, '--testPathIgnorePatterns', ...COVERED], 'jest');
  return (await covered) || (await rest);
}

const tested = compiled === 0 ? await jestRuns() : compiled;
const typed = await typecheck;
if (typed !== 0) console.error('npm test: the type check failed (tsc -p tsconfig.json)');
if (compiled !== 0) console.error('npm test: compiling failed (npm run compile)');
process.exitCode = typed || tested;
