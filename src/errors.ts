/**
 * Typed errors. The CLI prints `message` (never a stack) and exits with `exitCode`.
 */
export class EdgelockError extends Error {
  override name = 'EdgelockError';
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
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

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(formatIssues(source, issues), { exitCode: 2 });
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
    super(message, { exitCode: 2 });
  }
}
