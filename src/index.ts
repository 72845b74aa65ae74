/**
 * edgelock's public API.
 */
export { defineConfig } from './config/define';
export { loadConfig, parseConfig, resolveConfig, selectEnvironment } from './config/load';
export type { EdgelockConfigInput, ResolvedConfig, ResolvedEnvironment, BasicUser } from './config/schema';
export { DEFAULT_CSP, DEFAULT_ORIGIN_HEADERS, DEFAULT_PERMISSIONS_POLICY, KNOWN_S3_RESPONSE_HEADERS } from './config/headers';
export { buildEdge, type BuildOptions, type BuildResult } from './build';
export type { Manifest, HandlerArtifact, ArtifactEntry } from './build/manifest';
export { HANDLERS, type HandlerName, type HandlerSpec } from './build/handlers';
export type { EdgeConfig } from './edge/config';
export { EdgelockError, ConfigError, UsageError, ERROR_CODES, isEdgelockError, type ErrorCode } from './errors';
export { deploySite, DeployError, listDeploys, type DeployOptions, type DeploySummary, type DeployEvent, type DeployHistoryEntry, type DeployRecord, type RecordedObject } from './origin/deploy';
export { rollbackSite, RollbackError, type RollbackOptions, type RollbackSummary, type RollbackEvent } from './origin/deploy';
export { validateResult, assertValidResult, LambdaEdgeValidationError, type LambdaEdgeProblem, type EdgeEventType } from './edge/cloudfront';
export { toResponseHeadersPolicy, responseHeadersPolicyLimits, type ResponseHeadersPolicyDescription } from './edge/security-headers';
export { startLocalEdge, startEmbeddedS3, DEFAULT_DEV_PORT, type LocalEdgeOptions, type RunningLocalEdge, type EmbeddedS3, type S3LogEntry } from './dev';
