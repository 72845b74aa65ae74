import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The package root: one level above both `src/` and the compiled `lib/`. */
export const PACKAGE_ROOT = path.join(__dirname, '..');

/** edgelock's own version, from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
