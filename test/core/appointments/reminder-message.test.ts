import { describe, expect, it } from 'vitest';
import { renderReminderMessage, validateMessageTemplate } from '../../../src-main/core/appointments/reminder-message';
import { DEFAULT_MESSAGE_TEMPLATE } from '../../../src-main/core/settings/schema';

const appt = { name: 'Maria Delgado', appointmentAt: '2026-11-25T14:30:00-05:00', location: 'Main Street Clinic' };

describe('renderReminderMessage', () => {
  it('fills the predecessor placeholders with spoken date and time at the clinic', () => {
    expect(renderReminderMessage(DEFAULT_MESSAGE_TEMPLATE, appt, 'America/New_York')).toBe(
      'Hello Maria. This is a reminder of your appointment on Wednesday, November 25 at 2:30 PM at Main Street Clinic.',
    );
    // Minimum detail by default: first name, day, time, place; {location_text} says nothing without a place.
    expect(renderReminderMessage(DEFAULT_MESSAGE_TEMPLATE, { ...appt, location: null }, 'America/New_York')).toBe(
      'Hello Maria. This is a reminder of your appointment on Wednesday, November 25 at 2:30 PM.',
    );
    expect(renderReminderMessage('{name} {location}', appt, 'America/New_York')).toBe('Maria Delgado Main Street Clinic');
  });

  it("speaks another language's day and time in its own words, and reads a call-back number digit by digit", () => {
    expect(renderReminderMessage('{appointment_date}, {appointment_time}{location_text}', appt, 'America/New_York', { language: 'es' })).toBe(
      'miércoles, 25 de noviembre, 14:30 en Main Street Clinic',
    );
    expect(renderReminderMessage('Call us{callback_number_text}.', appt, 'UTC', { callbackNumber: '+1 (212) 555-0199' })).toBe('Call us at 1, 2 1 2, 5 5 5, 0 1 9 9.');
    expect(renderReminderMessage('Call us{callback_number_text}.', appt, 'UTC', {})).toBe('Call us.');
  });

  it('reads the time in the clinic zone whatever offset the timestamp carries', () => {
    const utc = { ...appt, appointmentAt: '2026-11-25T19:30:00Z' };
    expect(renderReminderMessage('{appointment_date} {appointment_time}', utc, 'America/New_York')).toBe('Wednesday, November 25 2:30 PM');
    expect(renderReminderMessage('{appointment_date} {appointment_time}', utc, 'Europe/London')).toBe('Wednesday, November 25 7:30 PM');
    const midnight = { ...appt, appointmentAt: '2027-01-01T00:05:00-05:00' };
    expect(renderReminderMessage('{appointment_date} {appointment_time}', midnight, 'America/New_York')).toBe('Friday, January 1 12:05 AM');
    const noon = { ...appt, appointmentAt: '2027-01-01T12:00:00-05:00' };
    expect(renderReminderMessage('{appointment_time}', noon, 'America/New_York')).toBe('12:00 PM');
  });

  it('says "our clinic" when there is no location, and keeps {{ }} as literal braces', () => {
    expect(renderReminderMessage('At {location}.', { ...appt, location: null }, 'America/New_York')).toBe('At our clinic.');
    expect(renderReminderMessage('At {location}.', { ...appt, location: '  ' }, 'America/New_York')).toBe('At our clinic.');
    expect(renderReminderMessage('{{name}} is {name}', appt, 'America/New_York')).toBe('{name} is Maria Delgado');
  });

  it('never throws: unknown placeholders, stray braces and bad dates pass through', () => {
    expect(renderReminderMessage('Dr {doctor} sees {name} }', appt, 'America/New_York')).toBe('Dr {doctor} sees Maria Delgado }');
    expect(renderReminderMessage('{ on {appointment_date}', { ...appt, appointmentAt: 'soon' }, 'America/New_York')).toBe('{ on soon');
    expect(renderReminderMessage('{appointment_time}', appt, 'Not/AZone')).toBe('');
  });
});

describe('validateMessageTemplate', () => {
  it('accepts the default template', () => {
    expect(validateMessageTemplate(DEFAULT_MESSAGE_TEMPLATE)).toEqual([]);
    expect(validateMessageTemplate('{{literal}} {name}')).toEqual([]);
  });

  it('lists each problem in plain words', () => {
    expect(validateMessageTemplate('Hi {name}, Dr {doctor} at {appointment_time')).toEqual([
      'a "{" at character 27 is never closed (write {{ for a literal brace)',
      'unknown placeholder {doctor}: use {name}, {first_name}, {appointment_date}, {appointment_time}, {location}, {location_text}, {callback_number}, {callback_number_text}',
    ]);
    expect(validateMessageTemplate('Hi } there')).toEqual(['a "}" at character 4 has no matching "{" (write }} for a literal brace)']);
    expect(validateMessageTemplate('  ')).toEqual(['the message is empty']);
  });
});
