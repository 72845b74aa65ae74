/**
 * Temporary folders that remove themselves: each folder `tempDir` makes is deleted (rm -rf) after
 * the test file that made it has run. Importing this module from a test file registers the
 * clean-up; outside jest nothing is registered and the folders stay.
 *
 * The clean-up is registered when this module loads, so it runs before the test file's own
 * afterAll hooks: a folder a process still writes to until then (a browser profile) is made and
 * removed by the test file itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A fresh, empty folder under the system's temporary folder, removed after this test file. */
export function tempDir(prefix = 'edgelock-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder made so far (the registered afterAll calls this). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

if (typeof afterAll === 'function') afterAll(removeTempDirs);
