/** One bundle as the build writes it: `<dir>/index.js` and its deterministic zip `<dir>.zip`. */
import { sha256 } from './bundle';
import type { ArtifactEntry } from './manifest';
import { deterministicZip } from './zip';

export interface BuiltFile {
  readonly path: string;
  readonly data: Buffer | string;
}

/** Zips a bundle as `index.js` and describes it, paths relative to the out folder. */
export async function packageBundle(js: string, dir: string): Promise<{ files: BuiltFile[]; entry: ArtifactEntry }> {
  const zip = await deterministicZip([{ name: 'index.js', data: js }]);
  const bundle = `${dir}/index.js`;
  const zipPath = `${dir}.zip`;
  return {
    files: [
      { path: bundle, data: js },
      { path: zipPath, data: zip },
    ],
    entry: {
      bundle,
      bundleBytes: Buffer.byteLength(js),
      bundleSha256: sha256(js),
      zip: zipPath,
      zipBytes: zip.length,
      sha256: sha256(zip),
      sourceCodeHash: sha256(zip, 'base64'),
    },
  };
}
