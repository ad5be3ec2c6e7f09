import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, redactedConfig, SETTINGS } from './config.js';
import { IpregError } from './errors.js';

describe('loadConfig', () => {
  it('gives the documented defaults when nothing is set', () => {
    const { config, origins } = loadConfig({ env: {} });
    expect(config.store).toBe('./lake');
    expect(config.logLevel).toBe('info');
    expect(config.s3).toMatchObject({ region: 'us-east-1', forcePathStyle: false, maxAttempts: 5, queueSize: 4 });
    expect(new Set(Object.values(origins))).toEqual(new Set(['default']));
  });

  it('takes flags over environment over file over defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-config-'));
    const file = join(dir, 'ipreg.json');
    await writeFile(file, JSON.stringify({ store: '/from/file', logLevel: 'warn', s3: { region: 'eu-west-1', queueSize: 8 } }));
    const { config, origins } = loadConfig({
      env: { IPREG_CONFIG: file, IPREG_LOG_LEVEL: 'ERROR', AWS_REGION: 'eu-central-1' },
      flags: { store: '/from/flag' },
    });
    expect(config.store).toBe('/from/flag');
    expect(config.logLevel).toBe('error');
    expect(config.s3.region).toBe('eu-central-1');
    expect(config.s3.queueSize).toBe(8);
    expect(origins).toMatchObject({ store: 'flag', logLevel: 'env', 's3.region': 'env', 's3.queueSize': 'file' });
  });

  it('prefers the ipreg-specific variable over the AWS one', () => {
    const { config } = loadConfig({ env: { AWS_ENDPOINT_URL: 'http://a:1', IPREG_S3_ENDPOINT: 'http://127.0.0.1:9000/' } });
    expect(config.s3.endpoint).toBe('http://127.0.0.1:9000');
  });

  it('reads API keys as id:sha256 entries from the environment or a JSON array in the file, and hides them', async () => {
    const hash = 'ab'.repeat(32);
    const { config } = loadConfig({ env: { IPREG_SERVE_API_KEYS: `team-a:${hash.toUpperCase()}, team-b:${'cd'.repeat(32)}` } });
    expect(config.serve.apiKeys).toEqual([{ id: 'team-a', sha256: hash }, { id: 'team-b', sha256: 'cd'.repeat(32) }]);
    expect(redactedConfig(config)['serve.apiKeys']).toBe('[redacted]');
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-config-'));
    const file = join(dir, 'ipreg.json');
    await writeFile(file, JSON.stringify({ serve: { apiKeys: [{ id: 'ops', sha256: hash }] } }));
    expect(loadConfig({ env: {}, configFile: file }).config.serve.apiKeys).toEqual([{ id: 'ops', sha256: hash }]);
    for (const bad of ['team-a', `team a:${hash}`, 'team-a:1234', `x:${hash},x:${hash}`]) {
      let problem = '';
      try {
        loadConfig({ env: { IPREG_SERVE_API_KEYS: bad } });
      } catch (err) {
        problem = (err as IpregError).message;
      }
      expect(problem).toMatch(/IPREG_SERVE_API_KEYS=\(value hidden\)/);
    }
  });

  it('is frozen all the way down', () => {
    const { config } = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.s3)).toBe(true);
  });

  it('reports every problem at once with the variable name, never a secret value', () => {
    let caught: unknown;
    try {
      loadConfig({ env: { IPREG_LOG_LEVEL: 'loud', IPREG_S3_PART_SIZE_BYTES: '1024', AWS_SESSION_TOKEN: '  ' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IpregError);
    const err = caught as IpregError;
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('3 problems');
    expect(err.message).toContain('IPREG_LOG_LEVEL="loud": expected one of trace, debug, info, warn, error, fatal, silent');
    expect(err.message).toContain('IPREG_S3_PART_SIZE_BYTES="1024": expected a whole number from 5242880 to 5368709120');
    expect(err.message).toContain('AWS_SESSION_TOKEN=(value hidden)');
  });

  it('accepts plain paths, file:// and s3:// stores and refuses malformed ones', () => {
    for (const ok of ['./lake', '/var/lib/ipreg', 'file:///tmp/lake', 's3://my-bucket', 's3://my-bucket/a/b']) {
      expect(loadConfig({ env: { IPREG_STORE: ok } }).config.store).toBe(ok);
    }
    for (const bad of ['s3://', 's3://Bad_Bucket/x', 'gs://bucket', 'http://host/lake']) {
      expect(() => loadConfig({ env: { IPREG_STORE: bad } })).toThrow(/IPREG_STORE/);
    }
  });

  it('redacts every secret setting and only those', () => {
    const { config } = loadConfig({
      env: { AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'sekrit', AWS_SESSION_TOKEN: 'tok' },
    });
    const shown = redactedConfig(config);
    for (const s of SETTINGS) {
      if (s.secret) expect(shown[s.path]).toBe('[redacted]');
      else expect(JSON.stringify(shown[s.path] ?? null)).not.toContain('redacted');
    }
    expect(JSON.stringify(shown)).not.toMatch(/AKIA1|sekrit|tok"/);
  });
});
