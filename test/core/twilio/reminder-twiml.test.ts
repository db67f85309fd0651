import { describe, expect, it } from 'vitest';
import { buildGatherReplyTwiml, buildReminderTwiml, buildVoicemailTwiml, MAX_TWIML_CHARS, TwimlTooLongError } from '../../../src-main/core/twilio/reminder-twiml';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';

describe('buildReminderTwiml', () => {
  it('only says the message when there is nowhere to send a key press', () => {
    expect(buildReminderTwiml({ message: 'Hello Ann & Bob <3', gatherActionUrl: null })).toBe(`${XML}<Response><Say>Hello Ann &amp; Bob &lt;3</Say></Response>`);
  });

  it('asks for the keypad with a Gather posting to our endpoint even with no key, then a goodbye', () => {
    const twiml = buildReminderTwiml({ message: 'Hello Ann.', gatherActionUrl: 'https://abc123.ngrok.io/gather?attempt=7&x=1' });
    expect(twiml).toBe(
      `${XML}<Response><Say>Hello Ann.</Say>` +
        '<Gather numDigits="1" action="https://abc123.ngrok.io/gather?attempt=7&amp;x=1" method="POST" timeout="8" actionOnEmptyResult="true">' +
        '<Say>Press 1 to confirm, 2 to cancel, 3 to hear this message again, or 9 to stop receiving reminder calls.</Say></Gather>' +
        '<Say>Thank you, goodbye.</Say></Response>',
    );
  });

  it('speaks in the configured voice and language, with the configured wording for 2', () => {
    const twiml = buildReminderTwiml({
      message: 'Hola Ana.',
      gatherActionUrl: 'https://abc123.ngrok.io/gather?attempt=7',
      say: { voice: 'Polly.Lupe', language: 'es-US' },
      wording: { cancelWord: 'reschedule' },
    });
    expect(twiml).toContain('<Say voice="Polly.Lupe" language="es-US">Hola Ana.</Say>');
    expect(twiml).toContain('2 to reschedule');
  });

  it('refuses a message too long for inline TwiML with a clear error instead of cutting it', () => {
    expect(() => buildReminderTwiml({ message: 'x'.repeat(MAX_TWIML_CHARS), gatherActionUrl: null })).toThrow(TwimlTooLongError);
    expect(() => buildReminderTwiml({ message: 'x'.repeat(MAX_TWIML_CHARS), gatherActionUrl: null })).toThrow(/Shorten message\.message_template/);
    expect(buildReminderTwiml({ message: 'x'.repeat(3000), gatherActionUrl: 'https://abc123.ngrok.io/gather' }).length).toBeLessThanOrEqual(MAX_TWIML_CHARS);
  });
});

describe('buildVoicemailTwiml', () => {
  it('leaves the voicemail message with no keypad prompt, then hangs up', () => {
    const twiml = buildVoicemailTwiml({ message: 'Hello Ann. Please call us back.' });
    expect(twiml).toBe(`${XML}<Response><Say>Hello Ann. Please call us back.</Say><Hangup/></Response>`);
    expect(twiml).not.toContain('Gather');
    expect(buildVoicemailTwiml({ message: null })).toBe(`${XML}<Response><Hangup/></Response>`);
  });
});

describe('buildGatherReplyTwiml', () => {
  const url = 'https://abc123.ngrok.io/gather?attempt=7';

  it('1 confirms, 2 cancels, 9 opts out', () => {
    expect(buildGatherReplyTwiml('1')).toEqual({
      twiml: `${XML}<Response><Say>Thank you, your appointment is confirmed. Goodbye.</Say></Response>`,
      confirmation: 'confirmed',
      reprompted: false,
    });
    const cancelled = buildGatherReplyTwiml('2');
    expect(cancelled.confirmation).toBe('cancelled');
    expect(cancelled.twiml).toContain('Please call the clinic to reschedule.');
    const optedOut = buildGatherReplyTwiml('9', { gatherActionUrl: url });
    expect(optedOut.confirmation).toBe('opted_out');
    expect(optedOut.twiml).toContain('You will not receive more reminder calls.');
  });

  it('3 repeats the message and the prompt, storing nothing', () => {
    const again = buildGatherReplyTwiml('3', { gatherActionUrl: url, message: 'Hello Ann.' });
    expect(again).toMatchObject({ confirmation: null, reprompted: false });
    expect(again.twiml).toMatch(/<Say>Hello Ann\.<\/Say><Gather .*Press 1 to confirm/);
  });

  it('a wrong or missing key is asked once more, then goodbye', () => {
    const wrong = buildGatherReplyTwiml('5', { gatherActionUrl: url });
    expect(wrong).toMatchObject({ confirmation: null, reprompted: true });
    expect(wrong.twiml).toContain('<Say>Sorry, that key is not an option.</Say><Say>Press 1');
    const none = buildGatherReplyTwiml('', { gatherActionUrl: url });
    expect(none.twiml).toContain('<Say>We did not receive a response.</Say><Say>Press 1');
    const second = buildGatherReplyTwiml('', { gatherActionUrl: url, repromptsSoFar: 1 });
    expect(second).toEqual({ twiml: `${XML}<Response><Say>We did not receive a response. Thank you, goodbye.</Say></Response>`, confirmation: null, reprompted: false });
    expect(buildGatherReplyTwiml('7', { gatherActionUrl: url, repromptsSoFar: 1 }).twiml).not.toContain('Gather');
    const noUrl = buildGatherReplyTwiml(undefined);
    expect(noUrl.twiml).toBe(`${XML}<Response><Say>We did not receive a response. Thank you, goodbye.</Say></Response>`);
  });
});
