/**
 * The header origin-request adds to the origin request, carrying the path the viewer asked for
 * (canonically encoded), so that origin-response chooses a per-path CSP by it rather than by the
 * rewritten key. S3 ignores it; viewers never see request headers.
 */
export const VIEWER_PATH_HEADER = 'x-edgelock-viewer-path';
