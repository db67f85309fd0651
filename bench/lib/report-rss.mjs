// Preloaded with `node --import` into a measured command: prints its peak resident set size when it exits.
import fs from 'node:fs';

process.on('exit', () => {
  fs.writeSync(2, `\n__maxrss_kb=${process.resourceUsage().maxRSS}\n`);
});
