/**
 * S3 ACL vocabulary: the predefined groups a grant may name, and the one canned ACL edgelock sends.
 */

/** Grantee URIs of S3's predefined groups. */
export const ACL_GROUPS = {
  /** Anyone on the internet. */
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  /** Anyone with any AWS account. */
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  /** S3 server access log delivery (legacy ACL-based logging). */
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
} as const;

export const ALL_USERS = ACL_GROUPS.AllUsers;
export const AUTHENTICATED_USERS = ACL_GROUPS.AuthenticatedUsers;
export const LOG_DELIVERY = ACL_GROUPS.LogDelivery;

/** A public group (AllUsers or AuthenticatedUsers) anywhere in a grantee URI or a grant header. */
const PUBLIC_GROUP = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/** Whether `text` (a grantee URI, or a Grant* header such as `uri="…/AllUsers"`) names a public group. */
export function namesPublicGroup(text: string): boolean {
  return PUBLIC_GROUP.test(text);
}

/** Whether a grantee URI is exactly one of the public groups. */
export function isPublicGroup(uri: string | undefined): boolean {
  return uri === ALL_USERS || uri === AUTHENTICATED_USERS;
}

/** The group's short name ("AllUsers") for a grantee URI, or undefined for another grantee. */
export function groupName(uri: string | undefined): keyof typeof ACL_GROUPS | undefined {
  return (Object.keys(ACL_GROUPS) as (keyof typeof ACL_GROUPS)[]).find((k) => ACL_GROUPS[k] === uri);
}

/** Whether an ACL permission lets its grantee read: READ or FULL_CONTROL. */
export function grantsRead(permission: string | undefined): boolean {
  return permission === 'READ' || permission === 'FULL_CONTROL';
}

/** Whether an ACL permission lets its grantee write: WRITE or FULL_CONTROL. */
export function grantsWrite(permission: string | undefined): boolean {
  return permission === 'WRITE' || permission === 'FULL_CONTROL';
}

/** The canned ACL that gives the bucket owner full control; accepted by every ownership mode. */
export const BUCKET_OWNER_FULL_CONTROL = 'bucket-owner-full-control';
