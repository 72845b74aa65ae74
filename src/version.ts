import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The package root: above `src/` (run from source) or `lib/src/` (compiled). */
export const PACKAGE_ROOT = path.basename(path.dirname(__dirname)) === 'lib' ? path.join(__dirname, '..', '..') : path.join(__dirname, '..');

/** edgelock's own version, from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
