import { describe, expect, it } from 'vitest';
import { describeTunnelError, ngrokErrorPage, redactTunnelMessage } from '../../../src-main/core/connection/tunnel-errors';

// The SDK's error shape (index.js populateErrorCode): an Error with code 'GenericFailure', the message ending in
// "error_code: ERR_NGROK_…", and `errorCode` copied from it — except for listenAndForward(), which is not wrapped:
// there only the message carries the code.
function sdkError(message: string, errorCode?: string): Error {
  return Object.assign(new Error(message), { code: 'GenericFailure' }, errorCode ? { errorCode } : {});
}

const TOKEN = '2abcdefghijklmnopqrstuvwxyz1_0123456789ABCDEFGHIJKL';

describe('describeTunnelError', () => {
  it.each([
    ['ERR_NGROK_313', /paid plan/, false],
    ['ERR_NGROK_319', /not reserved/, false],
    ['ERR_NGROK_334', /already online/, true],
    ['ERR_NGROK_725', /monthly limit/, false],
    ['ERR_NGROK_727', /monthly limit/, false],
  ])('maps %s', (code, title, retryable) => {
    expect(describeTunnelError(sdkError(`failed to start tunnel: something error_code: ${code}`, code))).toMatchObject({ code, title: expect.stringMatching(title), retryable });
  });

  it('finds the code in the message of an endpoint error the SDK left without errorCode', () => {
    const error = sdkError('failed to start tunnel: This domain is reserved for another account. error_code: ERR_NGROK_320');
    expect(describeTunnelError(error)).toMatchObject({ code: 'ERR_NGROK_320', title: expect.stringMatching(/another account/), retryable: false });
  });

  it('does not call an unknown ngrok refusal "no network", and links ngrok’s page for it', () => {
    const view = describeTunnelError(sdkError('failed to connect session: Something new happened. error_code: ERR_NGROK_9999', 'ERR_NGROK_9999'));
    expect(view.title).toBe('ngrok refused the tunnel (ERR_NGROK_9999): failed to connect session: Something new happened.');
    expect(view.fix).toContain('https://ngrok.com/docs/errors/err_ngrok_9999/');
    expect(view.retryable).toBe(true);
  });

  it('never quotes the authtoken ngrok echoes back', () => {
    const view = describeTunnelError(sdkError(`failed to connect session: Bad credential.\nYour authtoken: ${TOKEN}\nerror_code: ERR_NGROK_9998`, 'ERR_NGROK_9998'));
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(redactTunnelMessage(`token ${TOKEN} here`)).toBe('token [hidden] here');
    expect(redactTunnelMessage('The authtoken you specified is invalid')).toBe('The authtoken you specified is invalid');
  });

  it('quotes an unknown failure without a code, and accepts strings and plain objects', () => {
    expect(describeTunnelError('heartbeat timeout')).toMatchObject({ code: null, title: 'The tunnel failed: heartbeat timeout', retryable: true });
    expect(describeTunnelError({ message: 'odd', errorCode: 'ERR_NGROK_108' })).toMatchObject({ code: 'ERR_NGROK_108' });
    expect(ngrokErrorPage('ERR_NGROK_8012')).toBe('https://ngrok.com/docs/errors/err_ngrok_8012/');
  });
});
