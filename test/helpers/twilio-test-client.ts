import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

// The official twilio client, pointed at a loopback server (the practice simulator) by rewriting the scheme,
// host and port of every request URI — including the absolute next_page_url the client builds for paging.

export class LoopbackRequestClient extends RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string) {
    super();
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const target = new URL(opts.uri);
    target.protocol = this.base.protocol;
    target.host = this.base.host;
    return super.request({ ...opts, uri: target.toString() });
  }
}

export function createTestTwilioClient(baseUrl: string, accountSid: string, authToken: string): twilio.Twilio {
  return twilio(accountSid, authToken, { httpClient: new LoopbackRequestClient(baseUrl) });
}
