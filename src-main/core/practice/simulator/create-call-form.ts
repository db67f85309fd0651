import type { CallRequest, StatusCallbackEventName } from './call-record';
import { outcomeForNumber } from './outcomes';
import { badRequestError } from './twilio-errors';

// Reads a Calls create form body the way Twilio does and refuses what Twilio would refuse, with Twilio's codes.

import { multiple, single, type FormFields } from '../../http/form';

export type { FormFields } from '../../http/form';

export interface CreateCallInput {
  to: string;
  from: string;
  request: CallRequest;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const STATUS_CALLBACK_EVENTS: readonly StatusCallbackEventName[] = ['initiated', 'ringing', 'answered', 'completed'];
const MACHINE_DETECTION = ['Enable', 'DetectMessageEnd'];
const MAX_TWIML_LENGTH = 4000;
const DEFAULT_TIMEOUT_SECONDS = 60;
const MAX_TIMEOUT_SECONDS = 600;

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function httpMethod(form: FormFields, key: string): 'GET' | 'POST' {
  const value = single(form, key);
  if (value === undefined || value === '') return 'POST';
  const upper = value.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw badRequestError(20001, `${key} must be GET or POST`);
  return upper;
}

function timeoutSeconds(form: FormFields): number {
  const value = single(form, 'Timeout');
  if (value === undefined || value === '') return DEFAULT_TIMEOUT_SECONDS;
  if (!/^-?\d+$/.test(value)) throw badRequestError(20001, `Timeout must be an integer, got '${value}'`);
  const seconds = Number.parseInt(value, 10);
  // Twilio silently caps Timeout at 600 s and treats non-positive values as the default.
  if (seconds <= 0) return DEFAULT_TIMEOUT_SECONDS;
  return Math.min(seconds, MAX_TIMEOUT_SECONDS);
}

export function parseCreateCallForm(form: FormFields, ownedNumbers: readonly string[]): CreateCallInput {
  const to = single(form, 'To')?.trim();
  if (!to) throw badRequestError(21201, "No 'To' number is specified");
  const from = single(form, 'From')?.trim();
  if (!from) throw badRequestError(21213, "No 'From' number is specified");
  if (!E164.test(to) || outcomeForNumber(to) === 'rejected-invalid-to') {
    throw badRequestError(21211, `Invalid 'To' Phone Number: ${to}`);
  }
  if (!E164.test(from)) throw badRequestError(21212, `Invalid 'From' Phone Number: ${from}`);
  if (!ownedNumbers.includes(from)) {
    throw badRequestError(21210, `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`);
  }

  const url = single(form, 'Url');
  const twiml = single(form, 'Twiml');
  const applicationSid = single(form, 'ApplicationSid');
  if (!url && !twiml && !applicationSid) throw badRequestError(21205, "Either a 'Url', 'Twiml' or 'ApplicationSid' parameter is required");
  if (url && !isWebUrl(url)) throw badRequestError(21205, `Url is not a valid URL: ${url}`);
  if (!url && !twiml && applicationSid) throw badRequestError(21218, `Invalid ApplicationSid: ${applicationSid} (the simulator has no TwiML Apps)`);
  if (twiml && twiml.length > MAX_TWIML_LENGTH) throw badRequestError(20001, `Twiml must be at most ${MAX_TWIML_LENGTH} characters`);

  const statusCallback = single(form, 'StatusCallback') || null;
  if (statusCallback && !isWebUrl(statusCallback)) throw badRequestError(21609, `Invalid StatusCallback url: ${statusCallback}`);
  const requested = multiple(form, 'StatusCallbackEvent').flatMap((value) => value.split(/[\s,]+/).filter(Boolean));
  for (const event of requested) {
    if (!(STATUS_CALLBACK_EVENTS as readonly string[]).includes(event)) {
      throw badRequestError(20001, `StatusCallbackEvent '${event}' is not one of ${STATUS_CALLBACK_EVENTS.join(', ')}`);
    }
  }
  // With no events listed Twilio sends only `completed`.
  const statusCallbackEvents = requested.length > 0 ? [...new Set(requested as StatusCallbackEventName[])] : (['completed'] as StatusCallbackEventName[]);

  const machineDetection = single(form, 'MachineDetection') || null;
  if (machineDetection && !MACHINE_DETECTION.includes(machineDetection)) {
    throw badRequestError(20001, `MachineDetection must be one of ${MACHINE_DETECTION.join(', ')}`);
  }

  return {
    to,
    from,
    request: {
      // Twilio runs the inline Twiml when both are given.
      url: twiml ? null : (url ?? null),
      method: httpMethod(form, 'Method'),
      twiml: twiml ?? null,
      statusCallback,
      statusCallbackMethod: httpMethod(form, 'StatusCallbackMethod'),
      statusCallbackEvents,
      timeoutSeconds: timeoutSeconds(form),
      machineDetection,
    },
  };
}
