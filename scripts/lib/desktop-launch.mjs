// Decisions behind `npm start`, kept free of side effects so they are tested without spawning anything.
// scripts/start-desktop.mjs performs them.
import path from 'node:path';

/**
 * Is Electron's runtime (the downloaded binary) present? Mirrors node_modules/electron/index.js, which throws
 * "Electron failed to install correctly" when path.txt is missing.
 * @param {{ electronDir: string, env: NodeJS.ProcessEnv, exists: (file: string) => boolean, readFile: (file: string) => string }} io
 * @returns {{ ready: true, executable: string } | { ready: false, reason: string }}
 */
export function electronRuntimeStatus({ electronDir, env, exists, readFile }) {
  if (!exists(path.join(electronDir, 'package.json'))) return { ready: false, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = path.join(electronDir, 'path.txt');
  if (!exists(pathFile)) return { ready: false, reason: 'the Electron binary has not been downloaded yet' };
  const relative = readFile(pathFile).trim();
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : path.join(electronDir, 'dist', relative);
  if (!exists(executable)) return { ready: false, reason: `the Electron binary ${executable} is missing` };
  return { ready: true, executable };
}

/**
 * What to do next. `npm start` runs this in a loop: download the runtime once if it is missing; if it is still
 * missing, fall back to the browser preview (same UI, same core, in the system browser).
 * @param {{ runtime: ReturnType<typeof electronRuntimeStatus>, installAttempted: boolean, installError?: string | null, forceWeb?: boolean }} state
 * @returns {{ action: 'launch-electron', executable: string } | { action: 'install-runtime' } | { action: 'browser-preview', reason: string }}
 */
export function planDesktopStart({ runtime, installAttempted, installError = null, forceWeb = false }) {
  if (forceWeb) return { action: 'browser-preview', reason: 'asked for with --web' };
  if (runtime.ready) return { action: 'launch-electron', executable: runtime.executable };
  if (!installAttempted) return { action: 'install-runtime' };
  return { action: 'browser-preview', reason: installError ?? runtime.reason };
}

/**
 * The line of the installer's error output worth showing staff, e.g. "getaddrinfo ENOTFOUND github.com"
 * out of a RequestError stack trace.
 * @param {string} stderr
 * @returns {string | null}
 */
export function installFailureReason(stderr) {
  const first = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('at '));
  if (!first) return null;
  return first.replace(/^[A-Za-z]*Error:\s*/, '').slice(0, 200);
}

/** The message printed before falling back, so nobody wonders why a browser tab opened instead of a window. */
export function browserPreviewNotice(reason) {
  return (
    `The Electron runtime could not be downloaded (${reason}).\n` +
    'Starting the browser preview instead: the same Reminder Desk, served to your browser on 127.0.0.1 only.\n' +
    'To get the desktop window later, connect to the internet and run `npm start` again ' +
    '(or `node node_modules/electron/install.js`).\n'
  );
}

/**
 * Identifies the better-sqlite3 build in .electron-native/: rebuilt whenever Electron, better-sqlite3 or the
 * machine's platform/arch changes.
 * @param {{ electronVersion: string, sqliteVersion: string, platform: string, arch: string }} parts
 */
export function nativeBuildStamp({ electronVersion, sqliteVersion, platform, arch }) {
  return JSON.stringify({ electron: electronVersion, betterSqlite3: sqliteVersion, platform, arch });
}

/** @param {{ bindingExists: boolean, stampOnDisk: string | null, expectedStamp: string }} state */
export function needsNativeRebuild({ bindingExists, stampOnDisk, expectedStamp }) {
  return !bindingExists || stampOnDisk?.trim() !== expectedStamp;
}

/**
 * Arguments for fetching a prebuilt better-sqlite3 for Electron (no compiler needed), then for compiling one.
 * @param {{ electronVersion: string, arch: string, platform: string }} target
 */
export function nativeBuildCommands({ electronVersion, arch, platform }) {
  return {
    prebuilt: ['--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--platform=${platform}`, '--tag-prefix=v', '--verbose'],
    compile: ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
  };
}

/**
 * The environment for the native build. npm exports its config to scripts as npm_config_*; a `nodedir` there
 * (this machine's ~/.npmrc has one) makes node-gyp quietly compile against Node's headers instead of Electron's,
 * producing a module Electron refuses to load. Those keys are removed.
 * @param {NodeJS.ProcessEnv} env
 */
export function nativeBuildEnv(env) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|platform|build_from_source)$/i.test(key)) continue;
    out[key] = value;
  }
  return out;
}

/** Electron must not start in "plain Node" mode because a parent shell exported ELECTRON_RUN_AS_NODE. */
export function electronLaunchEnv(env) {
  const out = { ...env };
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}

/**
 * Ubuntu 24.04+ lets AppArmor block unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1).
 * Chromium's sandbox then needs its SUID helper, which npm cannot install root-owned, and Electron aborts with
 * "The SUID sandbox helper binary was found, but is not configured correctly" (electron/electron#42510). Returns
 * what to do, or null when the sandbox can start. Never suggests --no-sandbox: the window must stay sandboxed.
 */
export function linuxSandboxAdvice({ platform, restrictUserns, chromeSandbox }) {
  if (platform !== 'linux' || String(restrictUserns ?? '').trim() !== '1') return null;
  if (chromeSandbox && chromeSandbox.uid === 0 && (chromeSandbox.mode & 0o4755) === 0o4755) return null;
  const helper = chromeSandbox?.path ?? 'node_modules/electron/dist/chrome-sandbox';
  return [
    'This Linux blocks unprivileged user namespaces (AppArmor), so Electron needs its sandbox helper set up once:',
    `  sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}"`,
    '(Installed clinic PCs should use the .deb package, which sets this up itself. `npm start -- --web` opens the browser preview instead.)',
  ].join('\n');
}
