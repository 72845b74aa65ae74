#!/usr/bin/env node
// `npm test`: compile (the CLI tests run lib/), then jest with coverage, while the type check of
// everything (tests included) runs beside them. Fails when either fails. Extra arguments go to jest.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const jest = require.resolve('jest/bin/jest');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, label) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`${label}: ${err.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const typecheck = run(process.execPath, [tsc, '-p', 'tsconfig.json'], 'type check');
const compiled = await run(npm, ['run', '--silent', 'compile'], 'compile');
const tested = compiled === 0 ? await run(process.execPath, [jest, '--coverage', ...process.argv.slice(2)], 'jest') : compiled;
const typed = await typecheck;
if (typed !== 0) console.error('npm test: the type check failed (tsc -p tsconfig.json)');
if (compiled !== 0) console.error('npm test: compiling failed (npm run compile)');
process.exitCode = typed || tested;
