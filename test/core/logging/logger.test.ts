import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureLogging, createLogger, formatLogLine, maskPhoneNumbers, RotatingFileSink } from '../../../src-main/core/logging/logger';

afterEach(() => configureLogging({ level: 'info', sinks: [] }));

describe('logging', () => {
  it('masks phone numbers wherever they appear in a message', () => {
    expect(maskPhoneNumbers('dialing +14155550123 now')).toBe('dialing +1•••••••0123 now');
    expect(maskPhoneNumbers('to +44 7700 900123.')).toBe('to +44•••••••0123.');
    expect(maskPhoneNumbers('call (415) 555-0123')).not.toContain('555');
    for (const untouched of ['batch 20261124-093000-3f9a has 12 calls', 'at 2026-11-24T09:00:00Z', 'CA0123456789abcdef0123456789abcdef']) {
      expect(maskPhoneNumbers(untouched)).toBe(untouched);
    }
  });

  it('redacts secrets and masks numbers inside structured data', () => {
    const line = JSON.parse(formatLogLine('info', 'test', 'placed', { authToken: 'sekret', nested: { To: '+447700900123', Signature: 'abc' } }));
    expect(line.authToken).toBe('[redacted]');
    expect(line.nested.Signature).toBe('[redacted]');
    expect(line.nested.To).not.toContain('7700900');
    expect(JSON.stringify(line)).not.toContain('sekret');
  });

  it('writes JSON lines at or above the configured level', () => {
    const lines: string[] = [];
    configureLogging({ level: 'warn', sinks: [{ write: (l) => lines.push(l) }] });
    const log = createLogger('dispatcher');
    log.info('quiet');
    log.warn('loud', { batchId: 'b1' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', logger: 'dispatcher', msg: 'loud', batchId: 'b1' });
  });

  it('never throws into the code that logs, even when a sink fails', () => {
    configureLogging({ level: 'info', sinks: [{ write: () => { throw new Error('disk full'); } }] });
    expect(() => createLogger('x').error('still fine')).not.toThrow();
  });

  it('rotates like Python’s RotatingFileHandler', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-log-'));
    const file = path.join(dir, 'app.log');
    const sink = new RotatingFileSink(file, 100, 2);
    for (let i = 0; i < 10; i += 1) sink.write(`line ${i} ${'x'.repeat(40)}`);
    expect(fs.existsSync(`${file}.1`)).toBe(true);
    expect(fs.existsSync(`${file}.2`)).toBe(true);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
    expect(fs.statSync(file).size).toBeLessThanOrEqual(100);
    expect(fs.readFileSync(file, 'utf8')).toContain('line 9');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
