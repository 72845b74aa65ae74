/** The edge handlers edgelock builds, their CloudFront event types and size budgets. */
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

const MB = 1024 * 1024;

export const HANDLERS: readonly HandlerSpec[] = [
  { name: 'viewer-request', eventType: 'viewer-request', maxZipBytes: 1 * MB, budgetBundleBytes: 40 * 1024, memoryMb: 128, timeoutSeconds: 5 },
  { name: 'origin-request', eventType: 'origin-request', maxZipBytes: 50 * MB, budgetBundleBytes: 40 * 1024, memoryMb: 128, timeoutSeconds: 30 },
  { name: 'origin-response', eventType: 'origin-response', maxZipBytes: 50 * MB, budgetBundleBytes: 40 * 1024, memoryMb: 128, timeoutSeconds: 30 },
];
