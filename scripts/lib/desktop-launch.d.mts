export type RuntimeStatus = { ready: true; executable: string } | { ready: false; reason: string };
export type DesktopPlan = { action: 'launch-electron'; executable: string } | { action: 'install-runtime' } | { action: 'browser-preview'; reason: string };

export function electronRuntimeStatus(io: {
  electronDir: string;
  env: NodeJS.ProcessEnv;
  exists: (file: string) => boolean;
  readFile: (file: string) => string;
}): RuntimeStatus;
export function planDesktopStart(state: { runtime: RuntimeStatus; installAttempted: boolean; installError?: string | null; forceWeb?: boolean }): DesktopPlan;
export function installFailureReason(stderr: string): string | null;
export function browserPreviewNotice(reason: string): string;
export function nativeBuildStamp(parts: { electronVersion: string; sqliteVersion: string; platform: string; arch: string }): string;
export function needsNativeRebuild(state: { bindingExists: boolean; stampOnDisk: string | null; expectedStamp: string }): boolean;
export function nativeBuildCommands(target: { electronVersion: string; arch: string; platform: string }): { prebuilt: string[]; compile: string[] };
export function nativeBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function electronLaunchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function linuxSandboxAdvice(state: {
  platform: string;
  /** The text of /proc/sys/kernel/apparmor_restrict_unprivileged_userns, or null when the file is missing. */
  restrictUserns: string | null;
  chromeSandbox: { path: string; uid: number; mode: number } | null;
}): string | null;
