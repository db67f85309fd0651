import twilio from 'twilio';

// How Twilio calls the app's webhooks: form-encoded, signed with X-Twilio-Signature over the exact URL plus the
// POST parameters (for GET, the parameters go into the query and the signature covers that full URL).

export interface SignedRequestResult {
  status: number;
  body: string;
}

/** Twilio gives a webhook 15 s to answer. */
const WEBHOOK_TIMEOUT_MS = 15_000;

export async function sendSignedRequest(options: {
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  authToken: string;
  signal: AbortSignal;
}): Promise<SignedRequestResult> {
  const { method, params, authToken } = options;
  let requestUrl = options.url;
  let signedParams: Record<string, string> = params;
  let body: string | undefined;
  if (method === 'GET') {
    const target = new URL(options.url);
    for (const [key, value] of Object.entries(params)) target.searchParams.append(key, value);
    requestUrl = target.toString();
    signedParams = {};
  } else {
    body = new URLSearchParams(params).toString();
  }
  const signature = twilio.getExpectedTwilioSignature(authToken, requestUrl, signedParams);
  const response = await fetch(requestUrl, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
      'X-Twilio-Signature': signature,
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.any([options.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
  });
  return { status: response.status, body: await response.text() };
}
