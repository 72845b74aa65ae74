/**
 * Files that look like secrets: by name (private keys, key stores, credentials and token files)
 * or by content (a PEM private key block, an AWS access key ID or secret key assignment). A pure
 * check; local-files.ts runs it on every published file it reads, and the planner refuses the
 * deploy before anything is written unless `deploy.allowSecrets` names the file.
 */
import { createHash } from 'node:crypto';

const BY_NAME: readonly (readonly [RegExp, string])[] = [
  [/\.pem$/i, 'a PEM file (certificates and private keys)'],
  [/\.key$/i, 'a .key file (private keys)'],
  [/\.(p12|pfx|jks|keystore|ppk|kdbx)$/i, 'a key store'],
  [/^id_(rsa|dsa|ecdsa|ed25519)(\.|$)/, 'an SSH private key name'],
  [/^\.(npmrc|pypirc|netrc|git-credentials|htpasswd|pgpass)$/, 'a credentials file'],
  [/^\.env(\..+)?$/, 'an environment file'],
  [/^credentials(\.(json|ini|txt|csv|ya?ml))?$/i, 'a credentials file'],
  [/^(terraform\.tfstate|.*\.tfstate(\.backup)?)$/, 'Terraform state (holds secrets in plain text)'],
];

const BY_CONTENT: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/, 'contains a private key block'],
  [/aws_secret_access_key\s*[=:]\s*\S{20,}/i, 'contains an AWS secret access key assignment'],
  [/\b(?:AKIA|ASIA)(?!IOSFODNN7EXAMPLE)[0-9A-Z]{16}\b/, 'contains an AWS access key ID'],
];

/**
 * Names this set of rules: a digest cache (digest-cache.ts) holds verdicts on file contents, and
 * verdicts reached under other rules are not reused.
 */
export const SECRET_RULES_ID: string = createHash('sha256')
  .update(JSON.stringify([...BY_NAME, ...BY_CONTENT].map(([re, why]) => [re.source, re.flags, why])))
  .digest('hex')
  .slice(0, 16);

/** Why the file looks like a secret, or undefined. `content` is the file's bytes when they were read. */
export function secretReason(key: string, content?: Buffer): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  for (const [re, why] of BY_NAME) if (re.test(name)) return `its name looks like ${why}`;
  if (/(^|\/)\.aws\/(credentials|config)$/.test(key)) return 'it is an AWS CLI credentials file';
  if (content) {
    const text = content.toString('latin1');
    for (const [re, why] of BY_CONTENT) if (re.test(text)) return `it ${why}`;
  }
  return undefined;
}
