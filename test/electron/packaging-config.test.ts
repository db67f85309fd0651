import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { SAMPLE_APPOINTMENTS_FILE } from '../../src-main/electron/desktop-app';

// electron-builder cannot run here (it downloads Electron), so the packaging config is checked against
// electron-builder's own schema, with the same validator `electron-builder` runs first.

const REPO = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (config: unknown, logger: unknown) => Promise<void> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  linux: { target: { target: string }[]; executableName: string; maintainer: string };
  deb: { depends: string[] };
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
}
const config = YAML.parse(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { author?: { name?: string; email?: string }; scripts: Record<string, string> };

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema (and the schema does catch a wrong key)", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, sandboxHelper: true } }, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/);
  });

  it('builds a deb beside the AppImage, with the keyring library safeStorage needs', () => {
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(pkg.scripts['dist:linux']).toMatch(/--linux AppImage deb$/);
    expect(config.deb.depends).toContain('libsecret-1-0');
    // The AppArmor profile and the /usr/bin link are named after it.
    expect(config.linux.executableName).toBe('reminder-desk');
  });

  it('names an author with an email: the deb maintainer and the Windows publisher of an unsigned build', () => {
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('ships the sample appointments where the desktop app looks for them', () => {
    const sample = config.extraResources.find((resource) => resource.to === SAMPLE_APPOINTMENTS_FILE);
    expect(sample?.from).toBe('resources/sample-appointments.csv');
    expect(fs.existsSync(path.join(REPO, sample!.from))).toBe(true);
  });
});
