import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchExport } from './export';
import { benchCliStartup } from './cli-startup';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-x-'));
console.log(await benchExport(work));
console.log(await benchCliStartup(5));
fs.rmSync(work, { recursive: true, force: true });
