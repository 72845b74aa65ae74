/** The edge handlers edgelock builds, their CloudFront event types and size budgets. */
import { TRIGGER_LIMITS } from '../edge/cloudfront';

export type HandlerName = 'viewer-request' | 'origin-request' | 'origin-response';

export interface HandlerSpec {
  readonly name: HandlerName;
  /** The CloudFront event type the bundle is associated with. */
  readonly eventType: HandlerName;
  /** Lambda@Edge hard limit on the zipped package for this trigger. */
  readonly maxZipBytes: number;
  /** edgelock's own budget for the minified bundle: above it the build warns. */
  readonly budgetBundleBytes: number;
  /** Lambda@Edge limits for the trigger (used by the CDKTF stacks and the local edge). */
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/** The size limits a build checks each bundle against. */
export type BundleLimits = Pick<HandlerSpec, 'maxZipBytes' | 'budgetBundleBytes'>;

/** Overrides of the size limits per handler; unnamed handlers and fields keep the real ones. */
export type BundleLimitOverrides = { readonly [H in HandlerName]?: Partial<BundleLimits> };

/** edgelock's budget for each minified bundle: small enough to keep cold starts quick. */
const BUDGET_BUNDLE_BYTES = 40 * 1024;

/** Memory each function gets: the viewer triggers' maximum, and plenty for the origin ones. */
const MEMORY_MB = 128;

function spec(name: HandlerName): HandlerSpec {
  const limits = TRIGGER_LIMITS[name];
  return {
    name,
    eventType: name,
    maxZipBytes: limits.maxZipBytes,
    budgetBundleBytes: BUDGET_BUNDLE_BYTES,
    memoryMb: Math.min(MEMORY_MB, limits.maxMemoryMb),
    timeoutSeconds: limits.maxTimeoutSeconds,
  };
}

export const HANDLERS: readonly HandlerSpec[] = [spec('viewer-request'), spec('origin-request'), spec('origin-response')];

/** The limits `spec` is checked against: the real ones unless `overrides` names others. */
export function bundleLimits(spec: HandlerSpec, overrides?: BundleLimitOverrides): BundleLimits {
  return { maxZipBytes: spec.maxZipBytes, budgetBundleBytes: spec.budgetBundleBytes, ...overrides?.[spec.name] };
}
