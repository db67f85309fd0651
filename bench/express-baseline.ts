// The receiver Twilio's docs lead a developer to write: Express 5, `twilio.webhook()` for the signature, one
// better-sqlite3 INSERT per request (WAL, synchronous = FULL: the same durability as Reminder Desk), and the
// 2xx only after that INSERT committed. It is the fair baseline for ingest: same signature check, same
// durability, none of our extra work (inspector, ordering rules, derived call state).
//
//   tsx bench/express-baseline.ts <sqlite file> <auth token> <public status URL>
// prints `listening on http://127.0.0.1:<port>` once ready.

import Database from 'better-sqlite3';
import express from 'express';
import twilio from 'twilio';

const [file, authToken, publicUrl] = process.argv.slice(2);
if (!file || !authToken || !publicUrl) {
  console.error('usage: express-baseline.ts <sqlite file> <auth token> <public status URL>');
  process.exit(2);
}

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS status_events (
  id INTEGER PRIMARY KEY,
  call_sid TEXT NOT NULL,
  sequence_number INTEGER,
  call_status TEXT NOT NULL,
  params TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (call_sid, sequence_number)
)`);
const insert = db.prepare(
  'INSERT OR IGNORE INTO status_events (call_sid, sequence_number, call_status, params, received_at) VALUES (?, ?, ?, ?, ?)',
);

const app = express();
app.disable('x-powered-by');
app.use(express.urlencoded({ extended: false, limit: '64kb' }));
app.post('/status', twilio.webhook(authToken, { url: publicUrl }), (req, res) => {
  const body = req.body as Record<string, string>;
  const sequence = body.SequenceNumber === undefined ? null : Number(body.SequenceNumber);
  insert.run(body.CallSid ?? '', sequence, body.CallStatus ?? '', JSON.stringify(body), new Date().toISOString());
  res.status(204).end();
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => db.close()));
