/**
 * `edgelock init [dir]`: a starter project that builds, serves, tests and synthesizes as it stands.
 *
 * The files come from `templates/init/` (shipped in the package): real files that read as what
 * they are, with `{{project}}` and `{{user}}` filled in. Two are made here: `users.htpasswd` (the
 * bcrypt hash of a prompted password, never the password) and `package.json` (versions taken from
 * edgelock's own). Nothing is written when any target file exists.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { userNameProblem } from '../../config/bcrypt';
import { UsageError } from '../../errors';
import { PACKAGE_ROOT, VERSION } from '../../version';
import type { CliRun } from '../run';
import { htpasswdLine, readNewPassword } from './hash';

/** Where the starter project's template files live. */
export const INIT_TEMPLATES = path.join(PACKAGE_ROOT, 'templates', 'init');

/** bcrypt cost of the starter user's hash. */
export const INIT_BCRYPT_COST = 10;

/** Template files whose name differs in the project: npm drops a `.gitignore` from a published package. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

const PROJECT_NAME = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;

export interface InitInput {
  readonly project: string;
  readonly user: string;
  /** The full htpasswd line (`user:$2b$10$...`). */
  readonly htpasswd: string;
}

export interface InitFile {
  /** Path relative to the project folder, with `/`. */
  readonly path: string;
  readonly data: string;
}

function templateFiles(dir: string, prefix = ''): { path: string; file: string }[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      const rel = prefix + (RENAMED[name] ?? name);
      return statSync(file).isDirectory() ? templateFiles(file, `${rel}/`) : [{ path: rel, file }];
    });
}

function fill(text: string, input: InitInput): string {
  return text.split('{{project}}').join(input.project).split('{{user}}').join(input.user);
}

/** Exact version of one of edgelock's own dependencies, for the starter's package.json. */
function ownVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const v = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? pkg.peerDependencies?.[name];
  if (!v) throw new Error(`edgelock's package.json names no version of ${name}`);
  return v;
}

function packageJson(project: string): string {
  const pkg = {
    name: project,
    version: '0.1.0',
    private: true,
    scripts: {
      build: 'edgelock build',
      start: 'edgelock dev --site site',
      dev: 'edgelock dev --site site',
      test: 'edgelock build && jest',
      synth: 'cdktf synth',
    },
    devDependencies: {
      '@cdktf/provider-aws': ownVersion('@cdktf/provider-aws'),
      cdktf: ownVersion('cdktf'),
      'cdktf-cli': ownVersion('cdktf-cli'),
      constructs: ownVersion('constructs'),
      edgelock: `^${VERSION}`,
      jest: `^${ownVersion('jest').replace(/^[\^~]/, '')}`,
    },
    engines: { node: '>=20' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Every file of the starter project, in memory: what `init` writes. */
export function initFiles(input: InitInput): InitFile[] {
  const files: InitFile[] = templateFiles(INIT_TEMPLATES).map((t) => ({ path: t.path, data: fill(readFileSync(t.file, 'utf8'), input) }));
  files.push({ path: 'users.htpasswd', data: `# Basic auth users of ${input.project}: bcrypt hashes only. Add one with \`npx edgelock hash <user> >> users.htpasswd\`.\n${input.htpasswd}\n` });
  files.push({ path: 'package.json', data: packageJson(input.project) });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The project name from `--project`, else from the folder's name; a UsageError when it cannot be one. */
export function projectName(dir: string, given?: string): string {
  const name = given ?? path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
  if (!PROJECT_NAME.test(name)) {
    throw new UsageError(
      `${given === undefined ? `the folder name gives the project name "${name}", which` : `--project "${given}"`} is not a project name: ` +
        'expected 3-24 characters of a-z, 0-9 and "-", starting with a letter; pass one with --project, e.g. --project acme-web',
    );
  }
  return name;
}

/** The target files that already exist in `dir` (relative paths), given what init would write. */
export function existingFiles(dir: string, paths: readonly string[]): string[] {
  return paths.filter((p) => existsSync(path.join(dir, p)));
}

export function registerInit(program: Command, run: CliRun): void {
  program
    .command('init')
    .argument('[dir]', 'folder for the new project (created if missing)', '.')
    .description('write a starter project (config, users.htpasswd from a prompted password, a site, a test, a CDKTF app) that builds, serves, tests and synthesizes as it stands')
    .option('-u, --user <name>', 'the Basic auth user to create', 'admin')
    .option('--project <name>', 'project name used in resource names (default: from the folder name)')
    .action(
      run.action(async (dir: string, opts: { user: string; project?: string }) => {
        const target = path.resolve(dir);
        if (existsSync(target) && !statSync(target).isDirectory()) throw new UsageError(`${dir} exists and is not a folder: give a new or existing folder`);
        const problem = userNameProblem(opts.user);
        if (problem) throw new UsageError(`--user: ${problem}`);
        const project = projectName(target, opts.project);
        // Refuse before asking for a password: the list of paths does not depend on it.
        const paths = initFiles({ project, user: opts.user, htpasswd: '' }).map((f) => f.path);
        const existing = existingFiles(target, paths);
        if (existing.length) {
          throw new UsageError(`init writes nothing into a folder where its files exist; already in ${target}: ${existing.join(', ')}. Move them away or choose another folder.`);
        }
        const password = await readNewPassword();
        const files = initFiles({ project, user: opts.user, htpasswd: htpasswdLine(opts.user, password, INIT_BCRYPT_COST) });
        for (const f of files) {
          const file = path.join(target, f.path);
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, f.data, { flag: 'wx' });
        }
        const cd = path.relative(process.cwd(), target);
        run.io.stdout(
          `created ${project} in ${target}:\n${files.map((f) => `  ${f.path}`).join('\n')}\n` +
            `next:${cd ? ` cd ${cd} &&` : ''} npm install && npm test && npm start (user "${opts.user}", the password you typed)\n`,
        );
      }),
    );
}
