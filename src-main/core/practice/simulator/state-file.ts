import fs from 'node:fs';
import path from 'node:path';
import type { SimulatedCall } from './call-record';

// Optional persistence of the simulator's calls, so a practice-mode app restarted mid-batch finds the calls it
// had placed in the Calls list (exactly what it must do against real Twilio). Written atomically: a crash while
// writing leaves the previous complete file.

interface StateFileContent {
  version: 1;
  accountSid: string;
  calls: SimulatedCall[];
}

export class SimulatorStateFileError extends Error {
  override name = 'SimulatorStateFileError';
}

export function loadCalls(file: string, accountSid: string): SimulatedCall[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SimulatorStateFileError(`Cannot read the simulator state file ${file}: ${(error as Error).message}`);
  }
  let content: Partial<StateFileContent>;
  try {
    content = JSON.parse(text) as Partial<StateFileContent>;
  } catch {
    throw new SimulatorStateFileError(`The simulator state file ${file} is not valid JSON; delete it to start with no practice calls.`);
  }
  if (content.version !== 1 || !Array.isArray(content.calls)) {
    throw new SimulatorStateFileError(`The simulator state file ${file} has an unknown format; delete it to start with no practice calls.`);
  }
  // Calls of another practice account are not this account's to list.
  return content.accountSid === accountSid ? content.calls : [];
}

export function saveCalls(file: string, accountSid: string, calls: readonly SimulatedCall[]): void {
  const content: StateFileContent = { version: 1, accountSid, calls: [...calls] };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 });
  fs.renameSync(temporary, file);
}
