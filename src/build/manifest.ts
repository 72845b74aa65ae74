import type { HandlerName } from './handlers';

/** One built artifact, as recorded in `<out>/manifest.json`. Paths are relative to the out folder. */
export interface ArtifactEntry {
  /** Path of the minified bundle. */
  readonly bundle: string;
  readonly bundleBytes: number;
  readonly bundleSha256: string;
  /** Path of the deterministic zip. */
  readonly zip: string;
  readonly zipBytes: number;
  /** Hex SHA-256 of the zip. */
  readonly sha256: string;
  /** Base64 SHA-256 of the zip: Terraform's `source_code_hash` format. */
  readonly sourceCodeHash: string;
}

export interface HandlerArtifact extends ArtifactEntry {
  readonly eventType: HandlerName;
}

/** What one environment's distribution looks like to its functions: enough to replay CloudFront's flow. */
export interface EnvironmentOrigin {
  readonly bucket: string;
  /** The bucket's REST endpoint, the S3 origin's domain name. */
  readonly bucketDomain: string;
  readonly region: string;
  readonly originAccess: 'oac' | 'oai';
  /** The distribution's origin path, from deploy.prefix ('' for the root; absent in older manifests: the root). */
  readonly originPath?: string;
  /** Whether the environment asks for credentials (a viewer-request function is built). */
  readonly auth: boolean;
}

/** What a bundle was built from: the edgelock version and digests of the config baked into it. */
export interface BuildDigest {
  readonly edgelock: string;
  /** Hex SHA-256 of the baked config as canonical JSON (keys sorted). */
  readonly sha256: string;
  /** Hex SHA-256 per key of the baked config, top-level and one level down (`auth.users`): names what changed. */
  readonly keys: Readonly<Record<string, string>>;
}

export interface Manifest {
  readonly edgelock: string;
  readonly project: string;
  /** Environment name → handler name → artifact. Handlers an environment does not use are absent. */
  readonly environments: Record<string, Partial<Record<HandlerName, HandlerArtifact>>>;
  /** Environment name → its S3 origin (absent in manifests older edgelock versions wrote). */
  readonly origins?: Record<string, EnvironmentOrigin>;
  /** Bundles that are not edge handlers (e.g. the pipeline's deploy function), by name. */
  readonly functions: Record<string, ArtifactEntry>;
  /** What each environment's bundles and each function were built from (absent in manifests of edgelock 0.1.0 and older builds). */
  readonly digests?: {
    readonly environments: Record<string, BuildDigest>;
    readonly functions: Record<string, BuildDigest>;
  };
}

export const MANIFEST_FILE = 'manifest.json';
