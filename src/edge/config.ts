/**
 * What one environment's edge bundles know: derived from the resolved config at build time,
 * baked into the bundle as JSON and frozen when the bundle loads.
 */

/**
 * The security-header settings the handlers apply. The config's `headers` section (validated by
 * src/config/headers.ts) is this shape after defaults; src/build/edge-config.ts passes it through,
 * so the type checker holds the two together.
 */
export interface HeadersConfig {
  readonly hsts: false | { readonly maxAge: number; readonly includeSubDomains: boolean; readonly preload: boolean };
  readonly contentSecurityPolicy: false | string;
  readonly cspOverrides: readonly { readonly path: string; readonly policy: string }[];
  readonly frameOptions: false | 'DENY' | 'SAMEORIGIN';
  readonly contentTypeOptions: boolean;
  readonly referrerPolicy: false | string;
  readonly permissionsPolicy: false | string;
  readonly crossOriginOpenerPolicy: false | string;
  readonly crossOriginResourcePolicy: false | string;
  readonly xssProtectionOff: boolean;
  readonly custom: Readonly<Record<string, string>>;
  readonly originValues: Readonly<Record<string, 'keep' | 'replace'>>;
  /** Origin headers passed to viewers beyond the built-in allow-list (names or "prefix*"). */
  readonly keepOriginHeaders: readonly string[];
}

export interface EdgeAuthConfig {
  readonly realm: string;
  readonly users: readonly { readonly user: string; readonly hash: string }[];
  readonly protect: readonly string[];
  readonly bypass: readonly string[];
  readonly cacheTtlSeconds: number;
  readonly cacheEntries: number;
  /** Per-instance ceiling on bcrypt checks a second; past it new credentials get a 401 with Retry-After. */
  readonly maxVerificationsPerSecond: number;
}

export interface EdgeOriginConfig {
  /** Bucket the guard accepts. */
  readonly bucket: string;
  readonly region: string;
  /** Origin domain names the guard accepts: the bucket's REST endpoints, never a website endpoint. */
  readonly domains: readonly string[];
  readonly access: 'oac' | 'oai';
  /**
   * The origin path the distribution must have: `/site` for deploy.prefix `site/`, '' for the
   * bucket root (bundles built before deploy.prefix reached the stacks lack it: the root).
   */
  readonly path?: string;
  readonly prettyUrls: boolean;
  readonly spaFallback?: string;
  readonly allowCookies: boolean;
  readonly allowedMethods: readonly string[];
  readonly maxUriLength: number;
}

export interface EdgeConfig {
  readonly project: string;
  readonly environment: string;
  /**
   * null when the environment has `auth: false` (no viewer-request function is built), and in the
   * origin bundles, which never carry credentials.
   */
  readonly auth: EdgeAuthConfig | null;
  readonly headers: HeadersConfig;
  readonly origin: EdgeOriginConfig;
}
