/**
 * origin-request handler. Placeholder until the handler lands: passes the event through unchanged.
 */
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';
import type { EdgeConfig } from '../config';

export function createHandler(config: EdgeConfig): (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult> {
  Object.freeze(config);
  return async (event) => event.Records[0]!.cf.request;
}
