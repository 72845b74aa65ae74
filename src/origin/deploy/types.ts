/** What a caller gives `deploySite()` and the events it reports while it runs. */
import type { ResolvedConfig } from '../../config/schema';
import type { ReachOptions } from './clients';

export interface DeployOptions extends ReachOptions {
  readonly config: ResolvedConfig;
  /** Environment name. */
  readonly env: string;
  /** The site folder. */
  readonly dir: string;
  /** Print the plan, change nothing. @default false */
  readonly dryRun?: boolean;
  /** Parallel requests. @default config.deploy.concurrency */
  readonly concurrency?: number;
  /** Delete keys the site no longer has, once the new HTML is live. @default true */
  readonly prune?: boolean;
  /**
   * Declare the bucket (under deploy.prefix) the site's alone: prune any key the site no longer
   * has, not only those a deploy record lists. @default false
   */
  readonly adopt?: boolean;
  /** Delete more than deploy.maxDeletes allows. @default false */
  readonly allowDeletes?: boolean;
  /** "user:password" for probing an environment with auth. @default process.env[config.deploy.verify.probeCredentialsEnv] */
  readonly probeCredentials?: string;
  /** Probe this base URL instead of the distribution (e.g. the local edge). */
  readonly probeBaseUrl?: string;
  /** Run the ownership and probe checks (each also switchable in the config). @default true */
  readonly verify?: boolean;
  /** Progress and warnings as they happen. */
  readonly onEvent?: (event: DeployEvent) => void;
  /**
   * The project's `.edgelock/` folder, where the local digest cache lives (digest-cache.ts): a
   * re-deploy then reads only files whose size, times or inode changed. `edgelock deploy` passes
   * `<config folder>/.edgelock` unless --no-digest-cache. @default none: every file is hashed
   */
  readonly digestCacheDir?: string;
  /**
   * Compare against a full listing of the bucket under deploy.prefix even when the last deploy
   * record could be trusted: finds objects changed or deleted behind edgelock's back. @default false
   */
  readonly fullListing?: boolean;
}

export type DeployPhase = 'plan' | 'upload-assets' | 'verify-assets' | 'upload-html' | 'verify-html' | 'restamp' | 'invalidate' | 'probe' | 'prune' | 'record';

export type DeployEvent =
  | { readonly type: 'phase'; readonly phase: DeployPhase; readonly total: number }
  | { readonly type: 'progress'; readonly phase: DeployPhase; readonly done: number; readonly total: number; readonly bytes: number }
  | { readonly type: 'warning'; readonly message: string }
  /** One object request going out (in order): lets tests record the order of uploads. */
  | { readonly type: 'request'; readonly key: string };
