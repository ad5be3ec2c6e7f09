import { describe, expect, it } from 'vitest';
import { captureLog } from '../test/support/log-capture.js';
import { redactUrl } from './log.js';

describe('logging', () => {
  it('writes JSON lines with constant messages and facts in fields, through child loggers', () => {
    const out = captureLog();
    const { log } = out;
    log.child({ pipeline: 'ip-allocations' }).child({ step: 'parse' }).info({ rows: 42 }, 'parsed file');
    log.debug('hidden at info');
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ level: 30, pipeline: 'ip-allocations', step: 'parse', rows: 42, msg: 'parsed file' });
  });

  it('redacts credentials wherever they appear in the record', () => {
    const out = captureLog();
    const { log } = out;
    log.info({ s3: { secretAccessKey: 'wJalrXUt', accessKeyId: 'AKIAXYZ' }, headers: { cookie: 'c=1' }, password: 'pw' }, 'settings');
    const text = out.lines.join('\n');
    expect(text).not.toMatch(/wJalrXUt|AKIAXYZ|c=1|"pw"/);
    expect(text).toContain('[redacted]');
  });

  it('removes signatures and tokens from pre-signed URLs, in fields, messages and errors', () => {
    const signed =
      'https://lake.s3.amazonaws.com/index/ipreg.idx?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAXYZ%2F20261127&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok123';
    const out = captureLog();
    const { log } = out;
    log.info({ url: signed, nested: { urls: [signed] } }, 'download started');
    log.error({ err: new Error(`GET ${signed} failed`) }, 'download failed');
    log.info(`fetching ${signed}`);
    const text = out.lines.join('\n');
    expect(text).not.toMatch(/deadbeef|AKIAXYZ|tok123/);
    expect(text).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(text).toContain('X-Amz-Signature=REDACTED');
    expect(JSON.parse(out.lines[1]!).err).toMatchObject({ type: 'Error', message: expect.stringContaining('GET https://lake') });
  });

  it('redactUrl removes user info and leaves ordinary URLs alone', () => {
    expect(redactUrl('see https://user:pass@example.org/x')).toBe('see https://REDACTED@example.org/x');
    const plain = 'https://ftp.ripe.net/ripe/dbase/split/ripe.db.inetnum.gz';
    expect(redactUrl(plain)).toBe(plain);
  });
});
