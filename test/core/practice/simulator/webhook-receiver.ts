import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

// A tiny stand-in for the app's public callback listener: it checks every request's X-Twilio-Signature with
// twilio.validateRequest against the exact URL it was registered under, records it, and answers /twiml with a
// reminder's TwiML (Say + Gather "press 1 or 2").

export interface ReceivedWebhook {
  path: string;
  url: string;
  method: string;
  params: Record<string, string>;
  signatureValid: boolean;
}

export interface WebhookReceiverOptions {
  authToken: string;
  /** The TwiML /twiml answers with; defaults to a reminder with a relative Gather action. */
  twiml?: string;
  /** Paths answered with this HTTP status instead of 204 / TwiML. */
  failingPaths?: Record<string, number>;
}

export function reminderTwiml(action = '/gather'): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('Hello, this is a reminder of your appointment tomorrow at 9:30 AM.');
  const gather = response.gather({ action, method: 'POST', numDigits: 1, timeout: 5 });
  gather.say('Press 1 to confirm, press 2 to cancel.');
  response.say('We did not receive your answer. Goodbye.');
  response.hangup();
  return response.toString();
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server: http.Server | null = null;
  private base = '';

  constructor(private readonly options: WebhookReceiverOptions) {}

  get baseUrl(): string {
    return this.base;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  /** Status callbacks of one call, in arrival order. */
  statusCallbacks(callSid: string, path = '/status'): Record<string, string>[] {
    return this.on(path)
      .filter((request) => request.params.CallSid === callSid)
      .map((request) => request.params);
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = this.url(req.url ?? '/');
    const path = new URL(url).pathname;
    const params = Object.fromEntries(new URLSearchParams(req.method === 'GET' ? new URL(url).search : body));
    const signature = req.headers['x-twilio-signature'];
    const signatureValid =
      typeof signature === 'string' && twilio.validateRequest(this.options.authToken, signature, url, req.method === 'GET' ? {} : params);
    this.received.push({ path, url, method: req.method ?? '', params, signatureValid });
    const failing = this.options.failingPaths?.[path];
    if (failing) {
      res.writeHead(failing).end('nope');
    } else if (path === '/twiml') {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(this.options.twiml ?? reminderTwiml());
    } else if (path === '/gather') {
      const response = new twilio.twiml.VoiceResponse();
      response.say('Thank you.');
      response.hangup();
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(response.toString());
    } else {
      res.writeHead(204).end();
    }
  }
}
