/**
 * The built bundles the stacks deploy: `<out>/manifest.json` and the zips it lists, checked
 * against their recorded sha256, and the config digests the manifest records checked against the
 * current config, so a stale or missing build fails the synth, not the deploy.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assertFresh } from '../src/build/freshness';
import type { ArtifactEntry, Manifest } from '../src/build/manifest';
import type { HandlerName } from '../src/build/handlers';
import type { ResolvedConfig } from '../src/config/schema';
import { EdgelockError } from '../src/errors';

const REBUILD = 'run `npm run build` (or `edgelock build`) before synth';

/** A zip ready to deploy: absolute path and Terraform's `source_code_hash`. */
export interface VerifiedZip {
  readonly file: string;
  readonly sourceCodeHash: string;
}

export class BuildArtifacts {
  private checked = false;

  private constructor(
    readonly outDir: string,
    readonly manifest: Manifest,
    /** The config the stacks are synthesized from: each bundle handed out must have been built from it. */
    readonly config: ResolvedConfig,
  ) {}

  /**
   * Reads `<outDir>/manifest.json`; fails when it is missing, unreadable or for another project.
   * Each bundle handed out later is first checked to be built from `config` (BUILD_STALE if not).
   */
  static load(outDir: string, config: ResolvedConfig): BuildArtifacts {
    const project = config.project;
    const file = path.join(outDir, 'manifest.json');
    if (!existsSync(file)) throw new EdgelockError(`no build manifest at ${file}: ${REBUILD}`, { code: 'BUILD_MISSING' });
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    } catch (err) {
      throw new EdgelockError(`the build manifest ${file} is not valid JSON (${(err as Error).message}): ${REBUILD}`, { code: 'BUILD_MISSING' });
    }
    if (manifest.project !== project) {
      throw new EdgelockError(`the build manifest ${file} is for project "${manifest.project}", the config is "${project}": ${REBUILD}`, { code: 'BUILD_STALE' });
    }
    return new BuildArtifacts(outDir, manifest, config);
  }

  /** The zip of one environment's handler, or undefined when the manifest has none (auth: false). */
  handler(env: string, name: HandlerName): VerifiedZip | undefined {
    const handlers = this.manifest.environments[env];
    if (!handlers) throw new EdgelockError(`the build manifest has no environment "${env}": ${REBUILD}`, { code: 'BUILD_MISSING' });
    this.assertFresh();
    const entry = handlers[name];
    return entry ? this.verify(entry, `${name} bundle of environment "${env}"`) : undefined;
  }

  /** A non-edge bundle such as the pipeline's deploy function; fails when it was not built. */
  fn(name: string, neededFor: string): VerifiedZip {
    const entry = this.manifest.functions?.[name];
    if (!entry) {
      throw new EdgelockError(`the build manifest lists no "${name}" function bundle (manifest.functions.${name}), which ${neededFor}: ${REBUILD}`, { code: 'BUILD_MISSING' });
    }
    this.assertFresh();
    return this.verify(entry, `"${name}" function bundle`);
  }

  /**
   * Before the first bundle is handed out: every environment of the config (and the deploy function
   * when the pipeline is on) was built from this config, all stale parts named in one message.
   */
  private assertFresh(): void {
    if (this.checked) return;
    assertFresh(this.manifest, this.config);
    this.checked = true;
  }

  private verify(entry: ArtifactEntry, what: string): VerifiedZip {
    const file = path.resolve(this.outDir, entry.zip);
    if (!existsSync(file)) throw new EdgelockError(`the ${what} is missing: ${file} does not exist; ${REBUILD}`, { code: 'BUILD_MISSING' });
    const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
    if (actual !== entry.sha256) {
      throw new EdgelockError(`the ${what} at ${file} does not match the manifest (sha256 ${actual.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…): ${REBUILD}`, { code: 'BUILD_STALE' });
    }
    return { file, sourceCodeHash: entry.sourceCodeHash };
  }
}
