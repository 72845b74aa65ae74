import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { parseHtpasswdText } from '../../src/config/htpasswd';
import { runCli, runInProcess } from '../helpers/cli';

describe('edgelock hash', () => {
  test('prints an htpasswd line whose bcrypt hash verifies the password read from stdin', () => {
    const r = runCli(['hash', 'alice', '--cost', '8'], { input: 's3cret pass\n' });
    expect(r.status).toBe(0);
    const { users, problems } = parseHtpasswdText(r.stdout);
    expect(problems).toEqual([]);
    expect(users).toHaveLength(1);
    expect(users[0]!.user).toBe('alice');
    expect(users[0]!.hash).toMatch(/^\$2b\$08\$/);
    expect(bcrypt.compareSync('s3cret pass', users[0]!.hash)).toBe(true);
    expect(bcrypt.compareSync('s3cret pas', users[0]!.hash)).toBe(false);
  });

  test('defaults to cost 10 and prints a bare hash without a user', () => {
    const r = runCli(['hash'], { input: 'pw\n' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}\n$/);
  });

  test.each([
    [['hash', 'a', '--cost', '4'], /--cost must be a whole number from 8 to 11 \(got "4"\)/],
    [['hash', 'a', '--cost', '12'], /--cost must be a whole number from 8 to 11 \(got "12"\)/],
    [['hash', 'a', '--cost', 'ten'], /--cost must be a whole number/],
    [['hash', 'a:b'], /contains ":"/],
  ])('refuses %j with exit 2 and a reason', async (args, message) => {
    const r = await runInProcess(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    [['hash', '--cost'], /error: option '--cost <n>' argument missing/],
    [['hash', '--salt', 'x'], /error: unknown option '--salt'/],
    [['hash', 'a', 'b'], /error: too many arguments for 'hash'/],
  ])('commander refuses %j with exit 2, the error and the usage', async (args, message) => {
    const r = await runInProcess(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: edgelock hash \[options\] \[user\]/);
  });

  // The password comes from a real, non-TTY stdin: these run the binary.
  test.each([
    [['hash', 'a'], '\n', /empty password/],
    [['hash', 'a'], `${'x'.repeat(73)}\n`, /first 72 bytes/],
  ])('the binary refuses %j with exit 2 and a reason', (args, input, message) => {
    const r = runCli(args, { input });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test("Apache's htpasswd -nbB lines are accepted by the config", () => {
    const line = execFileSync('/usr/bin/htpasswd', ['-nbB', '-C', '8', 'bob', 'pw'], { encoding: 'utf8' });
    const { users, problems } = parseHtpasswdText(line);
    expect(problems).toEqual([]);
    expect(users[0]!.hash).toMatch(/^\$2y\$08\$/);
    expect(bcrypt.compareSync('pw', users[0]!.hash)).toBe(true);
  });
});
