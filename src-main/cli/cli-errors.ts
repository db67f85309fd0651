import { CommanderError } from 'commander';
import { ApiFailure } from '../core/api/invoke-operation';
import { ImportFileError } from '../core/appointments/read-appointments';
import { ReplayRefusedError } from '../core/callbacks/replay';
import { SettingsError } from '../core/settings/load-settings';
import { DatabaseTooNewError } from '../core/store/database';

// Exit codes are part of the CLI's contract: 0 success, 2 usage or configuration errors (the command line
// or settings.yaml must change), 1 runtime failures (a file, Twilio, the network). Every failure prints one
// line, `reminder-desk: <reason>`, on stderr.

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** A problem with how the command was invoked or configured. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A runtime failure whose message is already written for the person at the terminal. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

export function describeCliError(error: unknown): { code: number; message: string } {
  if (error instanceof CommanderError) return { code: EXIT_USAGE, message: oneLine(error.message.replace(/^error:\s*/i, '')) };
  if (error instanceof UsageError) return { code: EXIT_USAGE, message: oneLine(error.message) };
  if (error instanceof SettingsError) {
    // Name the key and the value it expects: "calling.calls_per_second: Too big: expected number to be <=100 (in /x/settings.yaml)".
    const detail = error.issues.length > 0 ? error.issues.join('; ') : error.message;
    return { code: EXIT_USAGE, message: oneLine(error.file && error.issues.length > 0 ? `invalid settings: ${detail} (in ${error.file})` : detail) };
  }
  if (error instanceof ApiFailure) return { code: error.kind === 'validation' ? EXIT_USAGE : EXIT_RUNTIME, message: oneLine(error.message) };
  if (error instanceof ImportFileError || error instanceof ReplayRefusedError || error instanceof CliFailure || error instanceof DatabaseTooNewError) {
    return { code: EXIT_RUNTIME, message: oneLine(error.message) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: EXIT_RUNTIME, message: oneLine(message) };
}
