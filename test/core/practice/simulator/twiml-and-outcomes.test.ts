import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { OUTCOME_TABLE, outcomeForNumber } from '../../../../src-main/core/practice/simulator/outcomes';
import { TwimlParseError, parseTwiml, reachableGather } from '../../../../src-main/core/practice/simulator/twiml-script';

describe('outcomeForNumber', () => {
  it('reads the last two digits, with anything unlisted answered and confirmed', () => {
    expect(OUTCOME_TABLE.map((row) => row.lastDigits)).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);
    for (const row of OUTCOME_TABLE) expect(outcomeForNumber(`+1555123${row.lastDigits.padStart(4, '0')}`)).toBe(row.outcome);
    expect(outcomeForNumber('+15551230104')).toBe('busy');
    expect(outcomeForNumber('+44 20 7183 8707')).toBe('rejected-invalid-to');
    expect(outcomeForNumber('+15551230142')).toBe('human-confirms');
    expect(outcomeForNumber('+15551230111')).toBe('human-opts-out');
  });
});

describe('parseTwiml', () => {
  it('reads the TwiML twilio.twiml.VoiceResponse writes, entities and all', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.say('Dr. Smith & Partners <clinic> "today"');
    response.gather({ action: '/gather?batch=1&x=2', method: 'GET', numDigits: 1 }).say('Press 1 to confirm');
    response.hangup();
    const script = parseTwiml(response.toString());
    expect(script.verbs).toEqual([
      { verb: 'Say', text: 'Dr. Smith & Partners <clinic> "today"' },
      { verb: 'Gather', action: '/gather?batch=1&x=2', method: 'GET', numDigits: 1, actionOnEmptyResult: false, said: ['Press 1 to confirm'] },
      { verb: 'Hangup' },
    ]);
    expect(reachableGather(script)?.action).toBe('/gather?batch=1&x=2');
  });

  it('rejects documents that are not TwiML', () => {
    expect(() => parseTwiml('<html><body>Bad gateway</body></html>')).toThrow(TwimlParseError);
    expect(() => parseTwiml('<Response><Say>unclosed</Response>')).toThrow(/does not close/);
    expect(() => parseTwiml('{"ok":true}')).toThrow(TwimlParseError);
  });
});
