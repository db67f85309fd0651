#!/usr/bin/env node
// `npm start`: the desktop app when Electron's runtime is (or can be made) available, otherwise the browser
// preview. Usage: npm start [-- --practice] [-- --web]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
} from './lib/desktop-launch.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const nativeDir = path.join(root, '.electron-native');
const args = process.argv.slice(2);
const forceWeb = args.includes('--web');
const passThrough = args.filter((arg) => arg !== '--web');

const say = (line) => process.stdout.write(`${line}\n`);

/** Runs a command to completion with its output shown; returns its exit status. */
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) return { status: 1, error: result.error };
  return { status: result.status ?? 1, error: null };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function runNpm(npmArgs) {
  // Under `npm start`, npm tells us where its own CLI is; spawning it through node works on every OS.
  if (process.env.npm_execpath) return run(process.execPath, [process.env.npm_execpath, ...npmArgs]);
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', npmArgs, { shell: process.platform === 'win32' });
}

/**
 * better-sqlite3 in node_modules is built for Node (the CLI and the tests use it). Electron needs a build for
 * its own ABI: made once in a temporary copy (never in node_modules) and kept in .electron-native/.
 */
function ensureElectronSqlite(electronVersion) {
  const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3');
  const binding = path.join(nativeDir, 'better_sqlite3.node');
  const stampFile = path.join(nativeDir, 'build-info.json');
  const target = { electronVersion, arch: process.arch, platform: process.platform };
  const expectedStamp = nativeBuildStamp({ ...target, sqliteVersion: readJson(path.join(sqliteDir, 'package.json')).version });
  const stampOnDisk = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : null;
  if (!needsNativeRebuild({ bindingExists: fs.existsSync(binding), stampOnDisk, expectedStamp })) return;

  say(`Preparing the database module for Electron ${electronVersion} (one time)…`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-sqlite-'));
  try {
    const copy = path.join(work, 'better-sqlite3');
    // The Node build in build/ is left behind so a stale binary can never be mistaken for the new one.
    fs.cpSync(sqliteDir, copy, { recursive: true, filter: (source) => path.relative(sqliteDir, source).split(path.sep)[0] !== 'build' });
    const commands = nativeBuildCommands(target);
    const env = nativeBuildEnv(process.env);
    const prebuilt = run(process.execPath, [path.join(root, 'node_modules', 'prebuild-install', 'bin.js'), ...commands.prebuilt], { cwd: copy, env });
    const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (prebuilt.status !== 0 || !fs.existsSync(built)) {
      say('No prebuilt module was available; compiling it (needs Python and a C++ compiler, about a minute)…');
      const compiled = run(process.execPath, [path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), ...commands.compile], { cwd: copy, env });
      if (compiled.status !== 0 || !fs.existsSync(built)) {
        throw new Error(
          'Could not build better-sqlite3 for Electron. Install the build tools (Windows: "Desktop development with C++" ' +
            'from Visual Studio Build Tools; macOS: xcode-select --install; Linux: python3, make, g++), then run npm start again. ' +
            'Meanwhile `npm run preview:web` runs the same app in your browser.',
        );
      }
    }
    fs.mkdirSync(nativeDir, { recursive: true });
    fs.copyFileSync(built, binding);
    fs.writeFileSync(stampFile, expectedStamp);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** On Linux with AppArmor's user-namespace restriction, says how to set up Chromium's sandbox helper first. */
function warnAboutLinuxSandbox(executable) {
  const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);
  const helper = path.join(path.dirname(executable), 'chrome-sandbox');
  const stat = fs.existsSync(helper) ? fs.statSync(helper) : null;
  const advice = linuxSandboxAdvice({
    platform: process.platform,
    restrictUserns: read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    chromeSandbox: stat ? { path: helper, uid: stat.uid, mode: stat.mode } : null,
  });
  if (advice) say(`\n${advice}\n`);
}

function launchElectron(executable) {
  warnAboutLinuxSandbox(executable);
  const electronVersion = readJson(path.join(electronDir, 'package.json')).version;
  ensureElectronSqlite(electronVersion);
  say('Building the app…');
  const build = run(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  if (build.status !== 0) {
    process.stderr.write('The app could not be built (see the messages above).\n');
    process.exit(build.status);
  }
  // `electron .` reads package.json "main" (out/main/index.js) and makes the repository the app path,
  // where the main process finds .electron-native/.
  const child = spawn(executable, ['.', ...passThrough], { cwd: root, stdio: 'inherit', env: electronLaunchEnv(process.env) });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  let installAttempted = false;
  let installError = null;
  for (;;) {
    const runtime = electronRuntimeStatus({
      electronDir,
      env: process.env,
      exists: fs.existsSync,
      readFile: (file) => fs.readFileSync(file, 'utf8'),
    });
    const plan = planDesktopStart({ runtime, installAttempted, installError, forceWeb });
    if (plan.action === 'install-runtime') {
      say(`Downloading the Electron runtime (one time; ${runtime.reason})…`);
      const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
        cwd: root,
        stdio: ['ignore', 'inherit', 'pipe'],
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
      });
      installAttempted = true;
      if (install.status !== 0 || install.error) {
        installError = installFailureReason(install.stderr ?? '') ?? install.error?.message ?? `the installer exited with status ${install.status}`;
      }
      continue;
    }
    if (plan.action === 'browser-preview') {
      if (!forceWeb) process.stdout.write(`\n${browserPreviewNotice(plan.reason)}\n`);
      const preview = runNpm(['run', 'preview:web', ...(passThrough.length > 0 ? ['--', ...passThrough] : [])]);
      process.exit(preview.status);
    }
    launchElectron(plan.executable);
    return;
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`Reminder Desk could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
