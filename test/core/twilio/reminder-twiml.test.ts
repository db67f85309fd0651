import { describe, expect, it } from 'vitest';
import { buildGatherReplyTwiml, buildReminderTwiml, MAX_TWIML_CHARS, TwimlTooLongError } from '../../../src-main/core/twilio/reminder-twiml';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';

describe('buildReminderTwiml', () => {
  it('only says the message when there is nowhere to send a key press', () => {
    expect(buildReminderTwiml({ message: 'Hello Ann & Bob <3', gatherActionUrl: null })).toBe(`${XML}<Response><Say>Hello Ann &amp; Bob &lt;3</Say></Response>`);
  });

  it('asks for 1 or 2 with a Gather posting to our endpoint, then a fallback', () => {
    const twiml = buildReminderTwiml({ message: 'Hello Ann.', gatherActionUrl: 'https://abc123.ngrok.io/gather?attempt=7&x=1' });
    expect(twiml).toBe(
      `${XML}<Response><Say>Hello Ann.</Say>` +
        '<Gather numDigits="1" action="https://abc123.ngrok.io/gather?attempt=7&amp;x=1" method="POST" timeout="8"><Say>Press 1 to confirm, or 2 to cancel.</Say></Gather>' +
        '<Say>We did not receive a response. Thank you, goodbye.</Say></Response>',
    );
  });

  it('refuses a message too long for inline TwiML with a clear error instead of cutting it', () => {
    expect(() => buildReminderTwiml({ message: 'x'.repeat(MAX_TWIML_CHARS), gatherActionUrl: null })).toThrow(TwimlTooLongError);
    expect(() => buildReminderTwiml({ message: 'x'.repeat(MAX_TWIML_CHARS), gatherActionUrl: null })).toThrow(/Shorten message\.message_template/);
    expect(buildReminderTwiml({ message: 'x'.repeat(3000), gatherActionUrl: 'https://abc123.ngrok.io/gather' }).length).toBeLessThanOrEqual(MAX_TWIML_CHARS);
  });
});

describe('buildGatherReplyTwiml', () => {
  it('1 confirms, 2 cancels', () => {
    expect(buildGatherReplyTwiml('1')).toEqual({ twiml: `${XML}<Response><Say>Thank you, your appointment is confirmed. Goodbye.</Say></Response>`, confirmation: 'confirmed' });
    const cancelled = buildGatherReplyTwiml('2');
    expect(cancelled.confirmation).toBe('cancelled');
    expect(cancelled.twiml).toContain('Please call the clinic to reschedule.');
  });

  it('any other key records nothing and asks again when it can', () => {
    const again = buildGatherReplyTwiml('9', { gatherActionUrl: 'https://abc123.ngrok.io/gather?attempt=7' });
    expect(again.confirmation).toBeNull();
    expect(again.twiml).toContain('<Say>Sorry, that key is not an option.</Say><Gather numDigits="1"');
    const noUrl = buildGatherReplyTwiml(undefined);
    expect(noUrl).toEqual({ twiml: `${XML}<Response><Say>Sorry, that key is not an option.</Say><Say>We did not receive a response. Thank you, goodbye.</Say></Response>`, confirmation: null });
  });
});
