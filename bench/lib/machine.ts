import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverage: number[];
  /** write + fdatasync of one byte, per second, in the bench's temp folder (what caps one-commit-per-event). */
  fsyncPerSecond: number;
}

export function describeMachine(dir: string): Machine {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  let n = 0;
  const start = Date.now();
  while (Date.now() - start < 1000) {
    fs.writeSync(fd, 'x');
    fs.fdatasyncSync(fd);
    n += 1;
  }
  fs.closeSync(fd);
  fs.rmSync(file);
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    fsyncPerSecond: Math.round(n / ((Date.now() - start) / 1000)),
  };
}
