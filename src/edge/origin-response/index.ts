/**
 * origin-response handler. Placeholder until the handler lands: passes the event through unchanged.
 */
import type { CloudFrontResponseEvent, CloudFrontResponseResult } from 'aws-lambda';
import type { EdgeConfig } from '../config';

export function createHandler(config: EdgeConfig): (event: CloudFrontResponseEvent) => Promise<CloudFrontResponseResult> {
  Object.freeze(config);
  return async (event) => event.Records[0]!.cf.response;
}
