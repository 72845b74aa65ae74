/**
 * Typed errors. Every failure edgelock reports carries a stable `code` that callers and tests
 * react to (the message is for people and may be reworded). The CLI prints `message` (never a
 * stack) and exits with `exitCode`. Error classes sit at the bottom of the layers: any module may
 * import this file, and it imports nothing of edgelock's.
 */

/**
 * The stable error codes. Grouped by what the user should do about them; the README's
 * "Exit codes" section and docs list the same codes.
 */
export const ERROR_CODES = {
  /** The config file (or an option standing for config) is wrong: fix the named fields. Exit 2. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The config file cannot be found, read or evaluated. Exit 2. */
  CONFIG_UNREADABLE: 'CONFIG_UNREADABLE',
  /** The command line is wrong: a missing or bad option or argument. Exit 2. */
  USAGE: 'USAGE',
  /** A built package breaks a Lambda or Lambda@Edge limit; nothing was written. */
  BUILD_LIMIT: 'BUILD_LIMIT',
  /** A bundle could not be built or loaded. */
  BUILD_FAILED: 'BUILD_FAILED',
  /** The build folder does not match the current config: run `edgelock build`. */
  BUILD_STALE: 'BUILD_STALE',
  /** The build folder is missing or unreadable. */
  BUILD_MISSING: 'BUILD_MISSING',
  /** A handler result CloudFront would reject (it answers 502). */
  LAMBDA_EDGE_INVALID_RESULT: 'LAMBDA_EDGE_INVALID_RESULT',
  /** A deploy was refused: it would write a public ACL. */
  DEPLOY_REFUSED_PUBLIC_ACL: 'DEPLOY_REFUSED_PUBLIC_ACL',
  /** A deploy was refused: a cross-account upload into an ObjectWriter bucket leaves foreign-owned objects. */
  DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER: 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER',
  /** A deploy was refused: the bucket's Object Ownership could not be read. */
  DEPLOY_REFUSED_OWNERSHIP_UNREADABLE: 'DEPLOY_REFUSED_OWNERSHIP_UNREADABLE',
  /** A deploy was refused for another reason the message names (site folder, artifact, parameters). */
  DEPLOY_REFUSED: 'DEPLOY_REFUSED',
  /** A deploy was refused before anything was written: the site has files that look like secrets. */
  DEPLOY_REFUSED_SECRETS: 'DEPLOY_REFUSED_SECRETS',
  /** A deploy was refused before anything was written: it would delete more than deploy.maxDeletes allows. */
  DEPLOY_REFUSED_TOO_MANY_DELETES: 'DEPLOY_REFUSED_TOO_MANY_DELETES',
  /** A deploy was refused before anything was written: the site's HTML references files the site does not have. */
  DEPLOY_REFUSED_MISSING_REFERENCES: 'DEPLOY_REFUSED_MISSING_REFERENCES',
  /** A deploy record in the bucket could not be read or is not one edgelock wrote. */
  DEPLOY_RECORD_INVALID: 'DEPLOY_RECORD_INVALID',
  /** `edgelock rollback` has no deploy to restore: no records, no earlier one, or `--to` names none (or an untrusted one). */
  ROLLBACK_TARGET_UNKNOWN: 'ROLLBACK_TARGET_UNKNOWN',
  /** A rollback was refused before anything was written: the bucket's versioning is off, suspended or unreadable. */
  ROLLBACK_REFUSED_UNVERSIONED: 'ROLLBACK_REFUSED_UNVERSIONED',
  /** A rollback was refused before anything was written: a recorded object has no version with its recorded ETag. */
  ROLLBACK_REFUSED_VERSION_MISSING: 'ROLLBACK_REFUSED_VERSION_MISSING',
  /** A rollback was refused before anything was written, for another reason the message names. */
  ROLLBACK_REFUSED: 'ROLLBACK_REFUSED',
  /** A rollback stopped part-way; the summary says what was written; rerunning it converges. */
  ROLLBACK_FAILED: 'ROLLBACK_FAILED',
  /** A deploy stopped part-way; the summary says what was written. */
  DEPLOY_FAILED: 'DEPLOY_FAILED',
  /** After upload, an object is not what the distribution can read. */
  DEPLOY_VERIFY_FAILED: 'DEPLOY_VERIFY_FAILED',
  /** AWS (or the configured endpoint) could not be reached, or there are no valid credentials. Exit 2. */
  AWS_UNREACHABLE: 'AWS_UNREACHABLE',
  /** AWS answered AccessDenied to a call edgelock needed. */
  AWS_DENIED: 'AWS_DENIED',
  /** AWS answered with another error. */
  AWS_ERROR: 'AWS_ERROR',
  /** A `fix` plan cannot be applied as it stands. */
  FIX_REFUSED: 'FIX_REFUSED',
  /** The local edge's origin failed (the viewer gets a 502). */
  ORIGIN_ERROR: 'ORIGIN_ERROR',
  /** The local edge could not start (port in use, bad certificate, missing bundles). */
  DEV_START_FAILED: 'DEV_START_FAILED',
  /** `edgelock dev` cannot emulate a behaviour's cache policy (not a managed policy it knows): its key and TTLs are unknown locally. */
  DEV_UNSUPPORTED_CACHE_POLICY: 'DEV_UNSUPPORTED_CACHE_POLICY',
  /** A function of the local edge threw, timed out or could not be loaded. */
  EDGE_FUNCTION_FAILED: 'EDGE_FUNCTION_FAILED',
  /** Log input could not be read or held no records. */
  LOGS_UNREADABLE: 'LOGS_UNREADABLE',
  /** The CDKTF stacks cannot be synthesized from this config and build. */
  STACKS_INVALID: 'STACKS_INVALID',
  /** `edgelock/cdktf` was loaded without its peer packages (cdktf, @cdktf/provider-aws, constructs): install them. */
  STACKS_PEERS_MISSING: 'STACKS_PEERS_MISSING',
  /** A password prompt or hash input was refused. */
  INPUT_REFUSED: 'INPUT_REFUSED',
  /** An S3 Inventory report for `doctor --sweep` cannot be used: no manifest, another bucket's, a schema without Key, a file that does not parse. Exit 2. */
  SWEEP_INVENTORY_INVALID: 'SWEEP_INVENTORY_INVALID',
  /** The S3 Inventory report is ORC, which edgelock cannot read: configure a CSV or Parquet inventory, or use the printed Athena query. Exit 2. */
  SWEEP_INVENTORY_ORC: 'SWEEP_INVENTORY_ORC',
  /** `doctor --sweep` could not read the bucket's listing or its inventory (AccessDenied): nothing was swept. Exit 2. */
  SWEEP_REFUSED: 'SWEEP_REFUSED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface EdgelockErrorOptions {
  /** The stable code. */
  readonly code: ErrorCode;
  readonly cause?: unknown;
  /** Process exit code the CLI uses. @default 1 */
  readonly exitCode?: number;
}

export class EdgelockError extends Error {
  override name = 'EdgelockError';
  /** Stable code: what tests and callers match on. */
  readonly code: ErrorCode;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(message: string, options: EdgelockErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Whether `e` is an edgelock error, optionally with the given code. */
export function isEdgelockError(e: unknown, code?: ErrorCode): e is EdgelockError {
  return e instanceof EdgelockError && (code === undefined || e.code === code);
}

export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. "environments.prod.accountId". */
  readonly path: string;
  readonly message: string;
}

/** The config (or a command-line option that stands for config) is wrong. Exit code 2. */
export class ConfigError extends EdgelockError {
  override name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[], code: typeof ERROR_CODES.CONFIG_INVALID | typeof ERROR_CODES.CONFIG_UNREADABLE = ERROR_CODES.CONFIG_INVALID) {
    super(formatIssues(source, issues), { code, exitCode: 2 });
    this.source = source;
    this.issues = issues;
  }
}

function formatIssues(source: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`);
  return `invalid config ${source}\n${lines.join('\n')}`;
}

/** A command-line usage problem. Exit code 2. */
export class UsageError extends EdgelockError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, { code: ERROR_CODES.USAGE, exitCode: 2 });
  }
}
