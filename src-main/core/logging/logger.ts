import fs from 'node:fs';
import path from 'node:path';
import { maskPhone } from '../vocabulary/mask-phone';

// Named loggers writing one JSON line per entry to a size-rotated file (Python's RotatingFileHandler semantics:
// `max_log_size` bytes per file, `backup_count` old files kept). Patient phone numbers are masked and secrets
// redacted here, at the one place every log line passes through.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface LogSink {
  write(line: string, level: LogLevel): void;
}

interface LoggingConfig {
  level: LogLevel;
  sinks: LogSink[];
}

const config: LoggingConfig = { level: 'info', sinks: [] };

// International numbers (+15551234567, +44 7700 900123) and North American local formats ((415) 555-0123).
// Dates, batch ids and SIDs are left alone.
const PHONE = /\+\d[\d\s().-]{6,17}\d|\(?\b\d{3}\)?[\s.-]\d{3}[-.]\d{4}\b/g;
const SECRET_KEY = /(token|secret|password|authorization|signature|auth)/i;

/** `+15551234567` → `+1•••••••4567` (same mask as the UI): enough to tell calls apart, not to identify a patient. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, '');
    return match.startsWith('+') ? maskPhone(`+${digits}`) : `•••••••${digits.slice(-4)}`;
  });
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 5) return '[…]';
  if (typeof value === 'string') return maskPhoneNumbers(value);
  if (value instanceof Error) return { name: value.name, message: maskPhoneNumbers(value.message) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(inner, depth + 1);
    return out;
  }
  return value;
}

export function formatLogLine(level: LogLevel, name: string, message: string, data?: Record<string, unknown>): string {
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, logger: name, msg: maskPhoneNumbers(message) };
  if (data) Object.assign(entry, redact(data) as Record<string, unknown>);
  return JSON.stringify(entry);
}

export function createLogger(name: string): Logger {
  const log = (level: LogLevel) => (message: string, data?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[config.level] || config.sinks.length === 0) return;
    const line = formatLogLine(level, name, message, data);
    for (const sink of config.sinks) {
      // Logging must never break what it observes (a deleted log folder, a full disk): drop the line instead.
      try {
        sink.write(line, level);
      } catch {
        /* ignored on purpose */
      }
    }
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export class RotatingFileSink implements LogSink {
  private size: number;
  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly backupCount: number,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    if (this.size + bytes > this.maxBytes && this.size > 0) this.rotate();
    fs.appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
    this.size += bytes;
  }

  private rotate(): void {
    if (this.backupCount === 0) {
      fs.truncateSync(this.file, 0);
    } else {
      for (let i = this.backupCount - 1; i >= 1; i -= 1) {
        const from = `${this.file}.${i}`;
        if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i + 1}`);
      }
      fs.renameSync(this.file, `${this.file}.1`);
    }
    this.size = 0;
  }
}

/** Human-readable lines on stderr for the CLI (warnings and errors only unless verbose). */
export class ConsoleSink implements LogSink {
  constructor(private readonly minLevel: LogLevel = 'warn') {}
  write(line: string, level: LogLevel): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    const entry = JSON.parse(line) as { level: string; logger: string; msg: string };
    process.stderr.write(`[${entry.level}] ${entry.logger}: ${entry.msg}\n`);
  }
}

export function configureLogging(next: { level?: LogLevel; sinks?: LogSink[] }): void {
  if (next.level) config.level = next.level;
  if (next.sinks) config.sinks = next.sinks;
}
