/** The CLI as people use it: exit codes, `ipreg config`, and `ipreg store` on a folder and on S3. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PIPELINES } from '../pipelines/index.js';
import { PIPELINE_NAMES } from '../pipelines/names.js';
import { runCli } from './support/run-cli.js';
import { makeS3Bucket, s3Environment } from './support/test-stores.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipreg-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the pipelines the CLI names without loading them', () => {
  it('are the pipelines there are, in order', () => {
    expect(PIPELINES.map((p) => p.name)).toEqual([...PIPELINE_NAMES]);
  });
});

describe('ipreg --help and exit codes', () => {
  it('lists only the commands that work, and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const commands = [...r.stdout.split('Commands:')[1]!.matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]);
    expect(commands).toEqual(['run', 'pipelines', 'schedule', 'runs', 'config', 'store', 'query', 'athena', 'generate', 'eval', 'corrections', 'index', 'serve', 'resolve', 'help']);
  });

  it('exits 2 on an unknown command or option, naming it', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect((await runCli(['store', 'ls', '--bogus'])).code).toBe(2);
  });
});

describe('ipreg config', () => {
  it('prints every setting with its origin and hides secrets', async () => {
    const r = await runCli(['config', '--json'], {
      env: { IPREG_STORE: 's3://lake-bucket/prod', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' },
    });
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { settings: Record<string, unknown> };
    expect(printed.settings['store']).toBe('s3://lake-bucket/prod');
    expect(printed.settings['s3.secretAccessKey']).toBe('[redacted]');
    expect(printed.settings['s3.accessKeyId']).toBe('[redacted]');
    expect(r.stdout + r.stderr).not.toContain('wJalrXUtnFEMI');
    expect(r.stdout + r.stderr).not.toContain('AKIAEXAMPLE');
    const table = await runCli(['config', '--store', '/data/lake']);
    expect(table.stdout).toMatch(/^store\s+\/data\/lake\s+flag\s+IPREG_STORE$/m);
    expect(table.stdout).toMatch(/^logLevel\s+info\s+default\s+IPREG_LOG_LEVEL$/m);
  });

  it('with bad values prints every problem, naming each variable, and exits 2', async () => {
    const file = join(dir, 'bad-config.json');
    await writeFile(file, JSON.stringify({ s3: { queueSize: 0, colour: 'blue' } }));
    const r = await runCli(['config'], {
      env: {
        IPREG_CONFIG: file,
        IPREG_STORE: 'ftp://example/lake',
        IPREG_S3_MAX_ATTEMPTS: 'many',
        IPREG_S3_FORCE_PATH_STYLE: 'perhaps',
        AWS_SECRET_ACCESS_KEY: ' ',
      },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('invalid configuration (6 problems)');
    expect(r.stderr).toContain('IPREG_STORE="ftp://example/lake": unknown store scheme "ftp://"');
    expect(r.stderr).toContain('IPREG_S3_MAX_ATTEMPTS="many": expected a whole number from 1 to 20');
    expect(r.stderr).toContain('IPREG_S3_FORCE_PATH_STYLE="perhaps": expected true or false');
    expect(r.stderr).toContain('AWS_SECRET_ACCESS_KEY=(value hidden): expected a non-empty string');
    expect(r.stderr).toContain(`s3.queueSize in ${file}=0: expected a whole number from 1 to 64`);
    expect(r.stderr).toContain(`s3.colour in ${file}: unknown setting`);
    expect(r.stderr).not.toMatch(/\bat \w+ \(/); // no stack trace at the default log level
  });

  it('shows the stack trace at --log-level debug', async () => {
    const r = await runCli(['--log-level', 'debug', 'config'], { env: { IPREG_S3_QUEUE_SIZE: '-1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at loadConfig/);
  });
});

/** The same session of store commands, against a folder and against the S3 test server. */
describe.each([
  { name: 'local folder', location: async () => join(dir, 'lake'), env: () => ({}) },
  {
    name: 's3',
    location: () => makeS3Bucket().then((b) => `${b}/lake`),
    env: s3Environment,
  },
])('ipreg store on $name', ({ location, env }) => {
  it('puts, lists, prints and removes objects', async () => {
    const store = await location();
    const e = { ...env(), IPREG_STORE: store };
    const file = join(dir, 'hello.txt');
    await writeFile(file, 'hello, lake\n');

    const put = await runCli(['store', 'put', 'raw/demo/2026-11-27/hello.txt', file], { env: e });
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(/^raw\/demo\/2026-11-27\/hello\.txt\t12 bytes\tetag "/);
    expect((await runCli(['store', 'put', 'raw/demo/2026-11-27/stdin.txt'], { env: e, input: 'from stdin' })).code).toBe(0);
    expect((await runCli(['store', 'put', 'tables/readme.txt', '-'], { env: e, input: 'x' })).code).toBe(0);

    const top = await runCli(['store', 'ls'], { env: e });
    expect(top.code).toBe(0);
    // s3rver (the fallback server) drops common prefixes from delimited listings; moto and folders do not.
    if (inject('s3EnforcesConditionalWrites') || !store.startsWith('s3://')) {
      expect(top.stdout.trim().split('\n').map((l) => l.trim())).toEqual(['PRE raw/', 'PRE tables/']);
    }

    const all = await runCli(['store', 'ls', '-r', 'raw/', '--json'], { env: e });
    const listed = all.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string; sizeBytes: number });
    expect(listed.map((o) => [o.key, o.sizeBytes])).toEqual([
      ['raw/demo/2026-11-27/hello.txt', 12],
      ['raw/demo/2026-11-27/stdin.txt', 10],
    ]);

    const cat = await runCli(['store', 'cat', 'raw/demo/2026-11-27/hello.txt'], { env: e });
    expect(cat.code).toBe(0);
    expect(cat.stdout).toBe('hello, lake\n');

    const missing = await runCli(['store', 'cat', 'raw/nope.txt'], { env: e });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ipreg: store key raw\/nope\.txt does not exist in /);

    const absent = await runCli(['store', 'put', '--if-absent', 'tables/readme.txt', '-'], { env: e, input: 'y' });
    if (inject('s3EnforcesConditionalWrites') || !store.startsWith('s3://')) {
      expect(absent.code).toBe(1);
      expect(absent.stderr).toContain('tables/readme.txt already exists');
    }

    const badKey = await runCli(['store', 'cat', '../etc/passwd'], { env: e });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('invalid store key "../etc/passwd"');

    const rm1 = await runCli(['store', 'rm', 'tables/readme.txt'], { env: e });
    expect(rm1.stdout).toBe('deleted tables/readme.txt\n');
    const rmr = await runCli(['store', 'rm', '-r', 'raw/'], { env: e });
    expect(rmr.code).toBe(0);
    expect(rmr.stdout.trim().split('\n')).toHaveLength(2);
    expect((await runCli(['store', 'ls', '-r'], { env: e })).stdout).toBe('');
    expect((await runCli(['store', 'rm', 'raw/gone.txt'], { env: e })).code).toBe(1);
  });
});

describe('ipreg generate', () => {
  it('writes a small world and says so in its log', async () => {
    const out = join(dir, 'cli-world');
    const r = await runCli(['generate', '--seed', '3', '--scale', 'small', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"msg":"world generated"');
    const manifest = JSON.parse(await readFile(join(out, 'world.json'), 'utf8')) as { seed: number; files: unknown[] };
    expect(manifest.seed).toBe(3);
    expect(manifest.files.length).toBeGreaterThan(50);
  });

  it('refuses a bad scale, seed or date with exit code 2', async () => {
    for (const args of [['--scale', 'huge'], ['--seed', '-1'], ['--snapshot', '2026-13-45']]) {
      const r = await runCli(['generate', '--out', join(dir, 'never'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
