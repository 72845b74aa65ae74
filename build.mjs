#!/usr/bin/env node
// Builds the edge bundles: the same as `edgelock build [--config F] [--env NAME] [--out DIR]`.
// Run `npm run build` (which compiles the TypeScript first) or `node build.mjs` after `npm run compile`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
await require('./lib/src/cli/main.js').main([process.argv[0], 'edgelock', 'build', ...process.argv.slice(2)]);
