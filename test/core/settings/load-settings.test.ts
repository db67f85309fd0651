import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, resolveSettingsFile, saveSettings, SettingsError } from '../../../src-main/core/settings/load-settings';

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-settings-'));
  tmpDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings.yaml', () => {
  it('loads a settings file written for the Python predecessor unchanged', () => {
    const { settings, warnings } = loadSettings(path.join(__dirname, '../../fixtures/legacy-settings.yaml'));
    expect(warnings).toEqual([]);
    expect(settings.scheduling).toMatchObject({ reminder_hours_before: 24, timezone: 'America/New_York', check_interval_minutes: 15, call_immediately: false });
    expect(settings.calling).toMatchObject({ max_retries: 3, retry_delay_seconds: 300, call_timeout_seconds: 30, detect_voicemail: true, status_callback_url: 'https://abc123.ngrok.io/status' });
    expect(settings.data.required_columns).toEqual(['name', 'phone_number', 'appointment_date']);
    expect(settings.logging).toMatchObject({ log_file: 'logs/reminder_system.log', log_level: 'info', max_log_size: 10485760, backup_count: 5 });
    expect(settings.message.message_template).toContain('{appointment_time}');
  });

  it('fills the new keys with their documented defaults', () => {
    const settings = parseSettings({});
    expect(settings.twilio.api_base_url).toBe('https://api.twilio.com');
    expect(settings.calling.calls_per_second).toBe(1);
    expect(settings.server).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(settings.phone.default_region).toBe('US');
    expect(settings.calling.status_callback_url).toBeNull();
    expect(settings.tunnel.provider).toBeNull();
  });

  it('names the key and the expected value when a setting is wrong', () => {
    expect(() => parseSettings({ calling: { calls_per_second: 'fast' } })).toThrow(/calling\.calls_per_second/);
    try {
      parseSettings({ scheduling: { timezone: 'Mars/Olympus' }, twilio: { from_number: '555-1234' } });
      expect.unreachable('invalid settings must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      const issues = (error as SettingsError).issues.join('\n');
      expect(issues).toMatch(/scheduling\.timezone: an IANA time zone/);
      expect(issues).toMatch(/twilio\.from_number: a phone number in E\.164 form/);
    }
  });

  it('checks the message template and date formats in plain words', () => {
    expect(() => parseSettings({ message: { message_template: 'Hi {nmae}' } })).toThrow(/message\.message_template: unknown placeholder \{nmae\}/);
    expect(() => parseSettings({ data: { date_format: '%H:%M' } })).toThrow(/data\.date_format: date format "%H:%M" is missing a year/);
  });

  it('accepts Python-style sizes and levels', () => {
    const settings = parseSettings({ logging: { max_log_size: '5MB', log_level: 'WARNING' } });
    expect(settings.logging.max_log_size).toBe(5 * 1024 * 1024);
    expect(settings.logging.log_level).toBe('warn');
  });

  it('ignores a secret found in the file and says so', () => {
    const file = path.join(tmpDir(), 'settings.yaml');
    fs.writeFileSync(file, 'twilio:\n  auth_token: "abc"\n');
    const { warnings } = loadSettings(file);
    expect(warnings.join()).toMatch(/twilio\.auth_token .* is ignored/);
  });

  it('reports invalid YAML with the file name', () => {
    const file = path.join(tmpDir(), 'settings.yaml');
    fs.writeFileSync(file, 'calling: [unclosed\n');
    expect(() => loadSettings(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid YAML`));
  });

  it('saves changed keys keeping comments and unknown keys, and refuses secrets', () => {
    const file = path.join(tmpDir(), 'settings.yaml');
    fs.writeFileSync(file, '# clinic settings\ncalling:\n  max_retries: 1 # keep low\ncustom:\n  keep: me\n');
    const next = saveSettings(file, { calling: { calls_per_second: 2 } });
    expect(next.calling.calls_per_second).toBe(2);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# clinic settings');
    expect(text).toContain('# keep low');
    expect(text).toContain('keep: me');
    expect(() => saveSettings(file, { twilio: { auth_token: 'x' } } as never)).toThrow(/never written to settings\.yaml/);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('auth_token');
  });

  it('resolves --config, then ./config/settings.yaml, then the data dir', () => {
    const cwd = tmpDir();
    const dataDir = path.join(cwd, 'data');
    expect(resolveSettingsFile({ dataDir, cwd })).toBe(path.join(dataDir, 'settings.yaml'));
    fs.mkdirSync(path.join(cwd, 'config'));
    fs.writeFileSync(path.join(cwd, 'config', 'settings.yaml'), '{}');
    expect(resolveSettingsFile({ dataDir, cwd })).toBe(path.join(cwd, 'config', 'settings.yaml'));
    expect(resolveSettingsFile({ dataDir, cwd, config: 'other.yaml' })).toBe(path.join(cwd, 'other.yaml'));
  });
});
