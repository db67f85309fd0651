// Child process of the board bench: posts signed status callbacks at a steady rate from its own event loop, so
// the rate asked is the rate sent even while the engine under test (in the bench process) is busy.
// Usage: tsx status-sender.ts <status URL> <auth token> <per second> <seconds> <file of comma-separated CallSids>
// Prints one JSON line: { sent, perSecond, non2xx }.
import fs from 'node:fs';
import http from 'node:http';
import { postSignedStatus } from '../lib/post-signed-status';

const [statusUrl, authToken, perSecondText, secondsText, sidsFile] = process.argv.slice(2) as [string, string, string, string, string];
const sids = fs.readFileSync(sidsFile, 'utf8').split(',');
const perSecond = Number(perSecondText);
const total = perSecond * Number(secondsText);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const target = { statusUrl, authToken };
const post = (sid: string, seq: number): Promise<number> => postSignedStatus(target, agent, sid, seq).catch(() => 0);

const start = performance.now();
const posts: Promise<number>[] = [];
for (let i = 0; i < total; i += 1) {
  const wait = start + (i * 1000) / perSecond - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  // Spread over the whole board, the rows on screen included; each call moves forward once per pass.
  posts.push(post(sids[(i * 7919) % sids.length]!, 1 + Math.floor(i / sids.length)));
}
const sentSeconds = (performance.now() - start) / 1000;
const statuses = await Promise.all(posts);
process.stdout.write(`${JSON.stringify({ sent: total, perSecond: total / sentSeconds, non2xx: statuses.filter((s) => s < 200 || s >= 300).length })}\n`);
agent.destroy();
