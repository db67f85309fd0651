import crypto from 'node:crypto';
import type { SimulatedCall } from './call-record';
import { rfc2822, toCallResource } from './call-record';
import { basicAuthMatches } from '../../http/basic-auth';
import { single, type FormFields } from '../../http/form';
import { listPage, readPageRequest } from './list-pages';
import { TwilioApiError, authenticationError, badRequestError, methodNotAllowedError, notFoundError } from './twilio-errors';

// The Twilio REST paths the app uses, answered with Twilio's JSON shapes and errors.

export interface RestBackend {
  readonly accountSid: string;
  readonly authToken: string;
  readonly phoneNumbers: readonly string[];
  readonly accountCreatedAt: number;
  /** Validates and creates a call; throws TwilioApiError as Twilio would answer. */
  createCall(form: FormFields): SimulatedCall;
  getCall(sid: string): SimulatedCall | undefined;
  /** Newest first, as Twilio lists calls. */
  listCalls(): SimulatedCall[];
}

export interface RestRequest {
  method: string;
  path: string;
  query: FormFields;
  form: FormFields;
  authorization: string | undefined;
}

export interface RestResponse {
  status: number;
  body: unknown;
}

const API = '/2010-04-01';
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export function handleRestRequest(backend: RestBackend, request: RestRequest): RestResponse {
  try {
    return route(backend, request);
  } catch (error) {
    if (error instanceof TwilioApiError) return { status: error.status, body: error.toBody() };
    throw error;
  }
}

/** HTTP Basic with the account SID and auth token, compared in constant time. */
function isAuthorized(backend: RestBackend, authorization: string | undefined): boolean {
  return basicAuthMatches(authorization, backend.accountSid, backend.authToken);
}

function route(backend: RestBackend, request: RestRequest): RestResponse {
  const { method, path } = request;
  if (!path.startsWith(`${API}/Accounts/`)) throw notFoundError(path);
  if (!isAuthorized(backend, request.authorization)) throw authenticationError();
  const account = `${API}/Accounts/${backend.accountSid}`;
  // Credentials of one account never reach another account's resources.
  if (path !== `${account}.json` && !path.startsWith(`${account}/`)) throw authenticationError();

  if (path === `${account}.json`) {
    if (method !== 'GET') throw methodNotAllowedError(method);
    return { status: 200, body: accountResource(backend) };
  }
  if (path === `${account}/Calls.json`) {
    if (method === 'POST') return { status: 201, body: toCallResource(backend.createCall(request.form)) };
    if (method === 'GET') return { status: 200, body: listCallsPage(backend, path, request.query) };
    throw methodNotAllowedError(method);
  }
  const callPath = new RegExp(`^${account}/Calls/([^/]+)\\.json$`).exec(path);
  if (callPath) {
    if (method !== 'GET') throw methodNotAllowedError(method);
    const sid = callPath[1] as string;
    const call = CALL_SID.test(sid) ? backend.getCall(sid) : undefined;
    if (!call) throw notFoundError(path);
    return { status: 200, body: toCallResource(call) };
  }
  if (path === `${account}/IncomingPhoneNumbers.json`) {
    if (method !== 'GET') throw methodNotAllowedError(method);
    return { status: 200, body: listPhoneNumbersPage(backend, path, request.query) };
  }
  throw notFoundError(path);
}

function accountResource(backend: RestBackend): Record<string, unknown> {
  const base = `${API}/Accounts/${backend.accountSid}`;
  return {
    auth_token: backend.authToken,
    date_created: rfc2822(backend.accountCreatedAt),
    date_updated: rfc2822(backend.accountCreatedAt),
    friendly_name: 'Reminder Desk practice account',
    owner_account_sid: backend.accountSid,
    sid: backend.accountSid,
    status: 'active',
    subresource_uris: {
      calls: `${base}/Calls.json`,
      incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
    },
    type: 'Full',
    uri: `${base}.json`,
  };
}

type TimeFilter = { field: 'startTime' | 'endTime'; test: (epochMs: number) => boolean };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function timeFilter(query: FormFields, param: 'StartTime' | 'EndTime', field: TimeFilter['field']): TimeFilter[] {
  const filters: TimeFilter[] = [];
  const read = (key: string): { at: number; dateOnly: boolean } | null => {
    const value = single(query, key);
    if (value === undefined || value === '') return null;
    const at = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at)) throw badRequestError(20001, `${key} is not a valid date: '${value}'`);
    return { at, dateOnly: DATE_ONLY.test(value) };
  };
  const on = read(param);
  if (on) {
    const start = on.dateOnly ? on.at : on.at - (on.at % DAY_MS);
    filters.push({ field, test: (t) => t >= start && t < start + DAY_MS });
  }
  // Twilio's `StartTime>` and `StartTime<` are inclusive ("on or after", "on or before").
  const after = read(`${param}>`);
  if (after) filters.push({ field, test: (t) => t >= after.at });
  const before = read(`${param}<`);
  if (before) filters.push({ field, test: (t) => t <= (before.dateOnly ? before.at + DAY_MS - 1 : before.at) });
  return filters;
}

function listCallsPage(backend: RestBackend, path: string, query: FormFields): Record<string, unknown> {
  const paging = readPageRequest(query);
  const to = single(query, 'To');
  const from = single(query, 'From');
  const status = single(query, 'Status');
  const parentCallSid = single(query, 'ParentCallSid');
  const times = [...timeFilter(query, 'StartTime', 'startTime'), ...timeFilter(query, 'EndTime', 'endTime')];
  const calls = backend.listCalls().filter((call) => {
    if (to && call.to !== to) return false;
    if (from && call.from !== from) return false;
    if (status && call.status !== status) return false;
    if (parentCallSid) return false; // every simulated call is a parent (outbound-api) leg
    return times.every(({ field, test }) => {
      // A call still queued has no start time yet; its creation time stands in, so a call the app created
      // just before a crash is found by a "started after I dialled" query.
      const at = field === 'startTime' ? (call.startTime ?? call.dateCreated) : call.endTime;
      return at !== null && test(at);
    });
  });
  const filters: Array<[string, string]> = [];
  for (const key of ['To', 'From', 'Status', 'ParentCallSid', 'StartTime', 'StartTime>', 'StartTime<', 'EndTime', 'EndTime>', 'EndTime<']) {
    const value = single(query, key);
    if (value !== undefined && value !== '') filters.push([key, value]);
  }
  return listPage('calls', path, calls.map(toCallResource), filters, paging);
}

export function phoneNumberSid(e164: string): string {
  return `PN${crypto.createHash('sha256').update(e164).digest('hex').slice(0, 32)}`;
}

function listPhoneNumbersPage(backend: RestBackend, path: string, query: FormFields): Record<string, unknown> {
  const paging = readPageRequest(query);
  const wanted = single(query, 'PhoneNumber');
  const numbers = backend.phoneNumbers.filter((number) => !wanted || number.includes(wanted.replace(/[^\d+]/g, '')));
  const created = rfc2822(backend.accountCreatedAt);
  const resources = numbers.map((number) => {
    const sid = phoneNumberSid(number);
    return {
      account_sid: backend.accountSid,
      address_sid: null,
      address_requirements: 'none',
      api_version: '2010-04-01',
      beta: false,
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      date_created: created,
      date_updated: created,
      friendly_name: `Practice ${number}`,
      identity_sid: null,
      phone_number: number,
      origin: 'twilio',
      sid,
      sms_application_sid: '',
      sms_fallback_method: 'POST',
      sms_fallback_url: '',
      sms_method: 'POST',
      sms_url: '',
      status_callback: '',
      status_callback_method: 'POST',
      trunk_sid: null,
      uri: `${API}/Accounts/${backend.accountSid}/IncomingPhoneNumbers/${sid}.json`,
      voice_receive_mode: 'voice',
      voice_application_sid: null,
      voice_caller_id_lookup: false,
      voice_fallback_method: 'POST',
      voice_fallback_url: null,
      voice_method: 'POST',
      voice_url: null,
      emergency_status: 'Inactive',
      emergency_address_sid: null,
      emergency_address_status: 'unregistered',
      bundle_sid: null,
      status: 'in-use',
      subresource_uris: { assigned_add_ons: `${API}/Accounts/${backend.accountSid}/IncomingPhoneNumbers/${sid}/AssignedAddOns.json` },
    };
  });
  const filters: Array<[string, string]> = wanted ? [['PhoneNumber', wanted]] : [];
  return listPage('incoming_phone_numbers', path, resources, filters, paging);
}
