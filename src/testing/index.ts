/**
 * edgelock/testing: unit-test your own config against the functions `edgelock build` produced.
 *
 *   loadHandler(distDir, env, name)   one built function, run as Lambda@Edge runs it, result validated
 *   runChain(distDir, env, request)   viewer-request → origin-request → S3 stand-in → origin-response
 *   events.viewerRequest(...), events.originRequest(...), events.originResponse(...)
 *   recorded.viewerRequest(), recorded.load('origin-request-s3-oai'), ...
 *
 * Guide: docs/testing.md.
 */
export { loadHandler, type EdgeHandler, type HandlerResult } from './handler';
export { runChain, type ChainResult, type ChainStep, type RunChainOptions, type S3Answer, type S3StandIn } from './chain';
export { recorded, loadRecorded, RECORDED_EVENT_NAMES, type RecordedEventName } from './recorded';
export {
  events,
  toCfHeaderMap,
  fromCfHeaderMap,
  validateResult,
  assertValidResult,
  LambdaEdgeValidationError,
  DEV_DISTRIBUTION,
  EXAMPLE_CLIENT_IP,
  EXAMPLE_REQUEST_ID,
  type CfEvent,
  type CfRequest,
  type CfResponse,
  type CfGeneratedResponse,
  type CfHeaders,
  type EdgeEventType,
  type LambdaEdgeProblem,
  type OriginOptions,
  type OriginResponseOptions,
  type PlainHeaders,
  type RequestOptions,
  type S3OriginFacts,
} from '../edge/cloudfront';
export type { HandlerName } from '../build/handlers';
export { EdgelockError, isEdgelockError } from '../errors';
