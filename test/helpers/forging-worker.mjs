// Runs forging clients in their own thread (their own event loop, like attackers on another machine), so the
// listener under test is measured, not the test's own clients. Loopback only; stops when told to.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, connections, bodies, headers, path } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const buffers = bodies.map((body) => Buffer.from(body));
const statuses = {};
let stop = false;

function post(body) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function forge(n) {
  while (!stop) {
    const status = await post(buffers[n % buffers.length]);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (statuses[status] === 1) parentPort.postMessage({ type: 'started' });
  }
}

parentPort.on('message', (message) => {
  if (message === 'stop') stop = true;
});
await Promise.all(Array.from({ length: connections }, (_, n) => forge(n)));
agent.destroy();
parentPort.postMessage({ type: 'done', statuses });
