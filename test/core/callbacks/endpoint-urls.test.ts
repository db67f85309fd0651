import { describe, expect, it } from 'vitest';
import { attemptIdFromQuery, gatherActionUrlFor } from '../../../src-main/core/callbacks/endpoint-urls';

describe('gatherActionUrlFor', () => {
  it('is the TwiML URL’s origin (and base path) + /gather?attempt=ID, without query or fragment', () => {
    expect(gatherActionUrlFor('https://abc.ngrok-free.app/twiml?attempt=7', 7)).toBe('https://abc.ngrok-free.app/gather?attempt=7');
    expect(gatherActionUrlFor('https://clinic.example/reminders/twiml?attempt=7#rc=3', 7)).toBe('https://clinic.example/reminders/gather?attempt=7');
    expect(gatherActionUrlFor('http://127.0.0.1:8080/voice?attempt=7', 7)).toBe('http://127.0.0.1:8080/gather?attempt=7');
  });
});

describe('attemptIdFromQuery', () => {
  it('takes exactly one positive integer', () => {
    expect(attemptIdFromQuery(new URLSearchParams('attempt=12'))).toBe(12);
    for (const query of ['', 'attempt=', 'attempt=0', 'attempt=-1', 'attempt=1.5', 'attempt=1e3', 'attempt=1&attempt=2', 'attempt=99999999999999999']) {
      expect(attemptIdFromQuery(new URLSearchParams(query)), query).toBeNull();
    }
  });
});
