#!/usr/bin/env node
// Part of `npm run compile`: bundles the pipeline deploy function's code (edgelock's deploy code and
// the AWS SDK, the same for every project) into lib/functions, unless the bundle there is current.
// Builds use it while nothing it was built from has changed (src/build/deploy-function.ts).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { writePrebuiltDeployCode, PREBUILT_DIR } = require('../lib/src/build/deploy-function.js');
if (await writePrebuiltDeployCode()) console.log(`bundled the deploy function's code into ${PREBUILT_DIR}`);
