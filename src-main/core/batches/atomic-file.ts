import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file atomically: into a temp file in the same folder, flushed to disk, then renamed over the target.
 * A crash or a full disk leaves the previous export intact, never half a file. Exports hold patient data: a folder
 * we create is the user's only (0700) and the file is readable by the user only (0600).
 */
export async function writeFileAtomically<T>(file: string, write: (out: NodeJS.WritableStream) => Promise<T>): Promise<T> {
  const dir = path.dirname(path.resolve(file));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const result = await write(createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
        throw new Error(`could not replace ${file} (${code}): is it open in Excel? Close it and export again`, { cause: error });
      }
      throw error;
    }
    return result;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
