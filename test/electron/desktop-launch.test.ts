import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  browserPreviewNotice,
  electronLaunchEnv,
  electronRuntimeStatus,
  installFailureReason,
  linuxSandboxAdvice,
  nativeBuildCommands,
  nativeBuildEnv,
  nativeBuildStamp,
  needsNativeRebuild,
  planDesktopStart,
} from '../../scripts/lib/desktop-launch.mjs';

const electronDir = path.resolve('/repo/node_modules/electron');
const files = (entries: Record<string, string>) => ({
  exists: (file: string) => Object.hasOwn(entries, file),
  readFile: (file: string) => entries[file] ?? '',
});

describe('electronRuntimeStatus', () => {
  const pkg = path.join(electronDir, 'package.json');
  const pathTxt = path.join(electronDir, 'path.txt');
  const binary = path.join(electronDir, 'dist', 'electron');

  it('is ready when path.txt names a binary that exists', () => {
    expect(electronRuntimeStatus({ electronDir, env: {}, ...files({ [pkg]: '{}', [pathTxt]: 'electron\n', [binary]: '' }) })).toEqual({ ready: true, executable: binary });
  });

  it('is missing when the download never happened (allowScripts skipped it, or there was no internet)', () => {
    expect(electronRuntimeStatus({ electronDir, env: {}, ...files({ [pkg]: '{}' }) })).toEqual({ ready: false, reason: expect.stringMatching(/not been downloaded/) });
  });

  it('is missing when path.txt points to a binary that is gone', () => {
    expect(electronRuntimeStatus({ electronDir, env: {}, ...files({ [pkg]: '{}', [pathTxt]: 'electron' }) })).toMatchObject({ ready: false, reason: expect.stringMatching(/is missing/) });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const custom = path.resolve('/opt/electron');
    const status = electronRuntimeStatus({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: custom }, ...files({ [pkg]: '{}', [pathTxt]: 'electron', [path.join(custom, 'electron')]: '' }) });
    expect(status).toEqual({ ready: true, executable: path.join(custom, 'electron') });
  });
});

describe('planDesktopStart', () => {
  const ready = { ready: true as const, executable: '/e/electron' };
  const missing = { ready: false as const, reason: 'the Electron binary has not been downloaded yet' };

  it('launches Electron when the runtime is there', () => {
    expect(planDesktopStart({ runtime: ready, installAttempted: false })).toEqual({ action: 'launch-electron', executable: '/e/electron' });
  });

  it('tries the download once, then falls back to the browser preview with the reason', () => {
    expect(planDesktopStart({ runtime: missing, installAttempted: false })).toEqual({ action: 'install-runtime' });
    expect(planDesktopStart({ runtime: missing, installAttempted: true, installError: 'getaddrinfo ENOTFOUND github.com' })).toEqual({
      action: 'browser-preview',
      reason: 'getaddrinfo ENOTFOUND github.com',
    });
    expect(planDesktopStart({ runtime: missing, installAttempted: true })).toEqual({ action: 'browser-preview', reason: missing.reason });
  });

  it('uses the runtime once the download worked', () => {
    expect(planDesktopStart({ runtime: ready, installAttempted: true })).toMatchObject({ action: 'launch-electron' });
  });

  it('goes straight to the browser preview with --web', () => {
    expect(planDesktopStart({ runtime: ready, installAttempted: false, forceWeb: true })).toMatchObject({ action: 'browser-preview' });
  });

  it('explains the fallback in words staff can act on', () => {
    const notice = browserPreviewNotice('getaddrinfo ENOTFOUND github.com');
    expect(notice).toContain('The Electron runtime could not be downloaded (getaddrinfo ENOTFOUND github.com).');
    expect(notice).toContain('Starting the browser preview instead');
  });
});

describe('installFailureReason', () => {
  it('pulls the cause out of the installer stack trace', () => {
    const stderr = 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (/x/got/index.js:970:111)\n    at emit (node:events:1:1)\n';
    expect(installFailureReason(stderr)).toBe('getaddrinfo ENOTFOUND github.com');
    expect(installFailureReason('')).toBeNull();
  });
});

describe('the better-sqlite3 build for Electron', () => {
  const stamp = nativeBuildStamp({ electronVersion: '41.7.1', sqliteVersion: '12.11.1', platform: 'linux', arch: 'x64' });

  it('is rebuilt when missing or made for another Electron, better-sqlite3 or machine', () => {
    expect(needsNativeRebuild({ bindingExists: false, stampOnDisk: stamp, expectedStamp: stamp })).toBe(true);
    expect(needsNativeRebuild({ bindingExists: true, stampOnDisk: null, expectedStamp: stamp })).toBe(true);
    expect(needsNativeRebuild({ bindingExists: true, stampOnDisk: nativeBuildStamp({ electronVersion: '41.7.0', sqliteVersion: '12.11.1', platform: 'linux', arch: 'x64' }), expectedStamp: stamp })).toBe(true);
    expect(needsNativeRebuild({ bindingExists: true, stampOnDisk: `${stamp}\n`, expectedStamp: stamp })).toBe(false);
  });

  it("targets Electron's headers and ABI, never Node's", () => {
    const commands = nativeBuildCommands({ electronVersion: '41.7.1', arch: 'arm64', platform: 'darwin' });
    expect(commands.prebuilt).toEqual(expect.arrayContaining(['--runtime=electron', '--target=41.7.1', '--arch=arm64', '--platform=darwin']));
    expect(commands.compile).toEqual(expect.arrayContaining(['rebuild', '--target=41.7.1', '--arch=arm64', '--dist-url=https://electronjs.org/headers']));
  });

  it("drops npm's nodedir/target/runtime settings, which would make node-gyp build for Node silently", () => {
    const env = nativeBuildEnv({ PATH: '/usr/bin', npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0', npm_config_runtime: 'node', npm_config_cache: '/c' });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_cache: '/c' });
  });

  it('never launches Electron as plain Node', () => {
    expect(electronLaunchEnv({ ELECTRON_RUN_AS_NODE: '1', HOME: '/h' })).toEqual({ HOME: '/h' });
  });
});

describe('linuxSandboxAdvice (Ubuntu 24.04+: AppArmor blocks unprivileged user namespaces)', () => {
  const helper = { path: '/repo/node_modules/electron/dist/chrome-sandbox', uid: 1000, mode: 0o100755 };

  it('says how to set up the SUID helper when user namespaces are restricted and the helper is not root-owned SUID', () => {
    const advice = linuxSandboxAdvice({ platform: 'linux', restrictUserns: '1\n', chromeSandbox: helper });
    expect(advice).toContain(`sudo chown root:root "${helper.path}" && sudo chmod 4755 "${helper.path}"`);
    expect(advice).toContain('.deb');
    expect(advice).not.toContain('--no-sandbox');
  });

  it('is silent where the sandbox can start: namespaces allowed, the helper set up, or not Linux', () => {
    expect(linuxSandboxAdvice({ platform: 'linux', restrictUserns: '0\n', chromeSandbox: helper })).toBeNull();
    expect(linuxSandboxAdvice({ platform: 'linux', restrictUserns: null, chromeSandbox: helper })).toBeNull();
    expect(linuxSandboxAdvice({ platform: 'linux', restrictUserns: '1', chromeSandbox: { ...helper, uid: 0, mode: 0o104755 } })).toBeNull();
    expect(linuxSandboxAdvice({ platform: 'win32', restrictUserns: '1', chromeSandbox: null })).toBeNull();
  });
});
