/**
 * The site parameter each environment stack publishes in SSM (`/edgelock/<project>/<env>/site`):
 * bucket, region, distribution ID and domain. The deploy function reads it with the environment's
 * deploy role, so a config built before the distribution existed still invalidates and probes.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity } from '@smithy/types';
import { EdgelockError } from '../../errors';
import { errorName } from '../s3/errors';

export interface SiteParameter {
  readonly bucket?: string;
  readonly region?: string;
  readonly distributionId?: string;
  readonly distributionDomainName?: string;
}

export async function readSiteParameter(
  name: string,
  options: { region: string; credentials: AwsCredentialIdentity },
): Promise<SiteParameter> {
  const ssm = new SSMClient({ region: options.region, credentials: options.credentials });
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (err) {
    const message = (err as { message?: string }).message;
    throw new EdgelockError(
      `could not read the site parameter ${name} in ${options.region}: ${errorName(err) ?? 'error'}${message ? `: ${message}` : ''}. ` +
        'It is written by the environment stack (cdktf deploy) and read with the deploy role; deploy that stack first.',
      { code: 'DEPLOY_REFUSED', cause: err },
    );
  }
  try {
    return JSON.parse(value ?? '') as SiteParameter;
  } catch {
    throw new EdgelockError(`the site parameter ${name} does not hold JSON; it is written by the environment stack: redeploy that stack`, { code: 'DEPLOY_REFUSED' });
  }
}
