import { expect } from 'vitest';
import type { TwilioSimulator } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { assertConformsToCreateCall, assertConformsToFetchCall, assertConformsToListCalls } from '../../helpers/twilio-openapi';

/** Every request the app sent (creates, fetches, lists) conforms to Twilio's OpenAPI description. */
export function expectRequestsConformToTwilioApi(simulator: TwilioSimulator): void {
  expect(simulator.requests.length).toBeGreaterThan(0);
  for (const request of simulator.requests) {
    if (request.method === 'POST') assertConformsToCreateCall(request.form, request.path);
    else if (/\/Calls\/[^/]+\.json$/.test(request.path)) assertConformsToFetchCall(request.path, request.method, request.query);
    else assertConformsToListCalls(request.path, request.method, request.query);
  }
}
