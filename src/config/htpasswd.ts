/**
 * Reads an htpasswd file that holds bcrypt entries only (`user:$2y$10$...`, as written by
 * `htpasswd -nbBC 10` or `edgelock hash`).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from '../errors';
import { bcryptProblem, userNameProblem } from './bcrypt';
import type { BasicUser } from './schema';

/** Parses htpasswd text; returns the users and every problem found, each with its line number. */
export function parseHtpasswdText(text: string): { users: BasicUser[]; problems: { line: number; message: string }[] } {
  const users: BasicUser[] = [];
  const problems: { line: number; message: string }[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon < 0) {
      problems.push({ line: i + 1, message: 'expected "user:hash"' });
      return;
    }
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    const problem = userNameProblem(user) ?? bcryptProblem(hash);
    if (problem) {
      problems.push({ line: i + 1, message: problem });
    } else if (seen.has(user)) {
      problems.push({ line: i + 1, message: `user "${user}" is listed twice` });
    } else {
      seen.add(user);
      users.push({ user, hash });
    }
  });
  return { users, problems };
}

/** Reads an htpasswd file; any bad line fails the whole file (never a partial user list). */
export function parseHtpasswd(file: string, field: string, configPath: string): BasicUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(configPath, [
      { path: field, message: `cannot read htpasswd file ${file} (${code ?? String(err)}); paths in the config are relative to the config file's folder` },
    ]);
  }
  const { users, problems } = parseHtpasswdText(text);
  const issues: ConfigIssue[] = problems.map((p) => ({ path: `${field} (${file}:${p.line})`, message: p.message }));
  if (users.length === 0 && issues.length === 0) {
    issues.push({ path: field, message: `htpasswd file ${file} has no users; add one with \`npx edgelock hash <user> >> ${file}\`` });
  }
  if (issues.length) throw new ConfigError(configPath, issues);
  return users;
}
