/** Synth refuses a missing, stale or foreign build, saying to build first. */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildArtifacts } from '../../cdktf/artifacts';
import { buildExample, exampleConfig, synthStacks } from './example';

let built: string;
let outDir: string;
beforeAll(async () => {
  built = await buildExample();
});
afterAll(() => rmSync(built, { recursive: true, force: true }));
// Each test breaks its own copy of the build.
beforeEach(() => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-artifacts-'));
  cpSync(built, outDir, { recursive: true });
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

const editManifest = (change: (m: Record<string, any>) => void) => {
  const file = path.join(outDir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  change(m);
  writeFileSync(file, JSON.stringify(m));
};

describe('BuildArtifacts', () => {
  it('returns the zip and the manifest sourceCodeHash of a handler, and nothing for one not built', () => {
    const a = BuildArtifacts.load(outDir, exampleConfig());
    expect(a.handler('dev', 'viewer-request')).toEqual({ file: path.join(outDir, 'dev/viewer-request.zip'), sourceCodeHash: a.manifest.environments.dev!['viewer-request']!.sourceCodeHash });
    expect(a.handler('prod', 'viewer-request')).toBeUndefined();
  });

  it.each([
    ['no manifest', () => rmSync(path.join(outDir, 'manifest.json')), /no build manifest at .*manifest\.json: run `npm run build`/],
    ['a manifest that is not JSON', () => writeFileSync(path.join(outDir, 'manifest.json'), '{'), /is not valid JSON.*run `npm run build`/],
    ['a manifest of another project', () => editManifest((m) => { m.project = 'other'; }), /is for project "other", the config is "acme-web"/],
  ])('fails on %s', (_name, breakIt, message) => {
    breakIt();
    expect(() => BuildArtifacts.load(outDir, exampleConfig())).toThrow(message);
  });

  it('fails when a zip is missing, naming it', () => {
    rmSync(path.join(outDir, 'dev/origin-request.zip'));
    expect(() => synthStacks(exampleConfig(), outDir)).toThrow(/the origin-request bundle of environment "dev" is missing: .*dev\/origin-request\.zip does not exist; run `npm run build`/);
  });

  it('fails when a zip does not match the manifest (stale build)', () => {
    appendFileSync(path.join(outDir, 'dev/viewer-request.zip'), 'x');
    expect(() => synthStacks(exampleConfig(), outDir)).toThrow(/viewer-request bundle of environment "dev" at .* does not match the manifest \(sha256 .*\): run `npm run build`/);
  });

  it.each([
    ['turned auth on', 'prod', true],
    ['turned auth off', 'dev', false],
  ])('fails when the config %s after the build, naming the environment and the key', (_name, env, auth) => {
    const config = exampleConfig((r) => {
      const envs = r.environments as Record<string, Record<string, unknown>>;
      return { ...r, environments: { ...envs, [env]: { ...envs[env], auth } } };
    });
    expect(() => synthStacks(config, outDir)).toThrow(
      new RegExp(`stale build: the build of environment "${env}" was built from a different config \\(changed since the build: auth\\); the pipeline's deploy function .*environments\\.${env}\\.auth.*Run \`edgelock build\``),
    );
  });

  it('fails when the manifest lacks an environment of the config', () => {
    editManifest((m) => { delete m.environments.prod; });
    expect(() => synthStacks(exampleConfig(), outDir)).toThrow(/no environment "prod": run `npm run build`/);
  });

  it('fails the tools stack when the deploy function was not built', () => {
    editManifest((m) => { m.functions = {}; });
    expect(() => synthStacks(exampleConfig(), outDir)).toThrow(/no "deploy" function bundle \(manifest\.functions\.deploy\), which the pipeline's Deploy stages invoke \(or set stacks\.pipeline: false\)/);
  });
});
