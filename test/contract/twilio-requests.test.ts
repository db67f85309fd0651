import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src-main/core/engine';
import type { RecordedRequest } from '../../src-main/core/practice/simulator/twilio-simulator';
import {
  assertConformsToCreateCall,
  assertConformsToFetchCall,
  assertConformsToListCalls,
  assertIsCallListPage,
  assertIsCallResource,
} from '../helpers/twilio-openapi';
import { EngineHarness, expectTrueFinalStatuses, sampleBatch } from '../core/engine/engine-fixtures';

// Every REST request the app sends while running batches must be one Twilio's OpenAPI description accepts
// (CreateCall / FetchCall / ListCall), and every Call the simulator answers must be a Call resource.

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

const CALLS = /^\/2010-04-01\/Accounts\/[^/]+\/Calls\.json$/;
const CALL = /^\/2010-04-01\/Accounts\/[^/]+\/Calls\/[^/]+\.json$/;

function checkRequests(requests: readonly RecordedRequest[]): { creates: number; fetches: number } {
  let creates = 0;
  let fetches = 0;
  for (const request of requests) {
    if (request.method === 'POST' && CALLS.test(request.path)) {
      creates += 1;
      assertConformsToCreateCall(request.form, request.path);
      if (request.status === 201) assertIsCallResource(request.responseBody);
    } else if (request.method === 'GET' && CALL.test(request.path)) {
      fetches += 1;
      assertConformsToFetchCall(request.path, request.method, request.query);
      if (request.status === 200) assertIsCallResource(request.responseBody);
    } else if (request.method === 'GET' && CALLS.test(request.path)) {
      assertConformsToListCalls(request.path, request.method, request.query);
      if (request.status === 200) assertIsCallListPage(request.responseBody);
    } else {
      throw new Error(`The app sent a request the contract test does not know: ${request.method} ${request.path}`);
    }
  }
  return { creates, fetches };
}

async function runSample(engine: Engine): Promise<void> {
  const batchId = await sampleBatch(engine);
  expect((await engine.batches.run(batchId, { waitSeconds: 60 })).state).toBe('completed');
  expectTrueFinalStatuses(engine, batchId);
}

describe('requests to Twilio conform to its OpenAPI description', () => {
  it('callbacks mode: CreateCall with StatusCallback and the four events, Call resources back', async () => {
    const engine = await harness.practice();
    await runSample(engine);
    const requests = engine.practiceMode.simulator!.requests;
    const { creates } = checkRequests(requests);
    expect(creates).toBe(8);
    const create = requests.find((r) => r.method === 'POST' && CALLS.test(r.path))!;
    expect(create.form.StatusCallbackEvent).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    expect(create.form.StatusCallback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/status$/);
    expect(create.form.Url).toMatch(/\/twiml\?attempt=\d+$/);
  });

  it('polling mode: CreateCall with inline TwiML and FetchCall until final', async () => {
    const { engine, simulator } = await harness.polling();
    await runSample(engine);
    const { creates, fetches } = checkRequests(simulator.requests);
    expect(creates).toBe(8);
    expect(fetches).toBeGreaterThanOrEqual(7);
    const create = simulator.requests.find((r) => r.method === 'POST' && CALLS.test(r.path))!;
    expect(create.form.Twiml).toContain('<Say>');
    expect(create.form.StatusCallback).toBeUndefined();
  });
});
