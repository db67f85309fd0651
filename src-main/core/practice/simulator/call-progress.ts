import type { CallResourceStatus, SimulatedCall, StatusCallbackEventName } from './call-record';
import { FINAL_RESOURCE_STATUSES } from './call-record';
import { gatherParams, statusCallbackParams, voiceWebhookParams } from './callback-params';
import { keysPressed } from './outcomes';
import { talkSeconds } from './progress-plan';
import { SeededRandom } from './seeded-random';
import type { SignedRequestResult } from './signed-request';
import type { DeliverySwitches } from './status-callback-queue';
import { StatusCallbackQueue } from './status-callback-queue';
import type { TwimlScript } from './twiml-script';
import { parseTwiml, reachableGather, spokenText } from './twiml-script';

// Plays each call's planned steps on timers (scaled by timeScale), moving the Call resource along and making
// the webhook requests Twilio would make: status callbacks, the TwiML fetch on answer, the <Gather> key press.

const DELIVERY_STREAM = 0x5bd1e995;

export type DeliveryKind = 'status-callback' | 'twiml' | 'gather';

export interface WebhookRequest {
  kind: DeliveryKind;
  call: SimulatedCall;
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  sequenceNumber: number | null;
  duplicate: boolean;
}

export interface CallProgressHost {
  readonly timeScale: number;
  readonly seed: number;
  readonly switches: DeliverySwitches;
  /** Makes (and records) one signed webhook request; null when it failed (already recorded). */
  deliver(request: WebhookRequest): Promise<SignedRequestResult | null>;
  recordDropped(request: WebhookRequest): void;
  /** The call's state changed (persist, notify). */
  changed(call: SimulatedCall): void;
  /** The call is final and its last callback attempt was made. */
  finished(call: SimulatedCall): void;
}

interface LiveCall {
  call: SimulatedCall;
  timer: NodeJS.Timeout | null;
  queue: StatusCallbackQueue;
  twiml: Promise<void> | null;
}

export class CallProgressPlayer {
  private readonly live = new Map<string, LiveCall>();
  private stopped = false;

  constructor(private readonly host: CallProgressHost) {}

  /** Starts (or, after a restart, resumes) a call's progress at its next step. */
  play(call: SimulatedCall): void {
    if (this.stopped || call.finished) return;
    // A stream apart from the one that planned the timings, so delivery chaos is not correlated with them.
    // After a restart it is re-derived, so shuffle/drop decisions differ from the interrupted run.
    const random = SeededRandom.forCall((this.host.seed ^ DELIVERY_STREAM) + call.nextSequenceNumber * 7919, call.index);
    const queue = new StatusCallbackQueue(
      random,
      this.host.switches,
      (callback) => this.sendStatusCallback(call, callback.params, callback.sequenceNumber, callback.duplicate),
      (callback) => this.host.recordDropped(this.statusRequest(call, callback.params, callback.sequenceNumber, false)),
    );
    const live: LiveCall = { call, timer: null, queue, twiml: null };
    this.live.set(call.sid, live);
    if (FINAL_RESOURCE_STATUSES.has(call.status)) {
      // Restarted after the hang-up but before the final callback went out: send it now.
      this.emit(live, 'completed', true);
      void this.finish(live);
      return;
    }
    this.scheduleNext(live);
  }

  /** Cancels every timer; in-flight requests are aborted by the host's signal. */
  stop(): void {
    this.stopped = true;
    for (const live of this.live.values()) if (live.timer) clearTimeout(live.timer);
    this.live.clear();
  }

  private scheduleNext(live: LiveCall): void {
    const step = live.call.steps[live.call.nextStep];
    if (!step || this.stopped) return;
    live.timer = setTimeout(() => {
      live.timer = null;
      live.call.nextStep += 1;
      this.runStep(live, step.kind);
      if (step.kind !== 'end') this.scheduleNext(live);
    }, step.delayMs * this.host.timeScale);
  }

  private runStep(live: LiveCall, kind: SimulatedCall['steps'][number]['kind']): void {
    const { call } = live;
    const now = Date.now();
    call.dateUpdated = now;
    switch (kind) {
      case 'initiated':
        call.startTime = now;
        this.host.changed(call);
        this.emit(live, 'initiated', false);
        return;
      case 'ringing':
        call.status = 'ringing';
        this.host.changed(call);
        this.emit(live, 'ringing', false);
        return;
      case 'answered':
        call.status = 'in-progress';
        if (call.request.machineDetection) call.answeredBy = call.planned.answeredBy;
        this.host.changed(call);
        this.emit(live, 'answered', false);
        live.twiml = this.fetchTwiml(call);
        return;
      case 'gather':
        void this.pressKey(live);
        return;
      case 'end':
        this.hangUp(call, call.planned.finalStatus, now);
        this.emit(live, 'completed', true);
        void this.finish(live);
        return;
    }
  }

  private hangUp(call: SimulatedCall, status: CallResourceStatus, now: number): void {
    call.status = status;
    call.endTime = now;
    call.durationSeconds = talkSeconds(call.steps);
    call.sipResponseCode = call.planned.sipResponseCode;
    if (call.startTime === null) call.startTime = now;
    this.host.changed(call);
  }

  private emit(live: LiveCall, event: StatusCallbackEventName, isFinal: boolean): void {
    const { call } = live;
    if (!call.request.statusCallback || !call.request.statusCallbackEvents.includes(event)) return;
    const sequenceNumber = call.nextSequenceNumber;
    call.nextSequenceNumber += 1;
    this.host.changed(call);
    live.queue.emit({ sequenceNumber, params: statusCallbackParams(call, event, sequenceNumber, Date.now()) }, isFinal);
  }

  private async finish(live: LiveCall): Promise<void> {
    await live.queue.settled();
    if (this.stopped) return;
    live.call.finished = true;
    this.live.delete(live.call.sid);
    this.host.changed(live.call);
    this.host.finished(live.call);
  }

  private statusRequest(call: SimulatedCall, params: Record<string, string>, sequenceNumber: number, duplicate: boolean): WebhookRequest {
    return {
      kind: 'status-callback',
      call,
      url: call.request.statusCallback ?? '',
      method: call.request.statusCallbackMethod,
      params,
      sequenceNumber,
      duplicate,
    };
  }

  private async sendStatusCallback(call: SimulatedCall, params: Record<string, string>, sequenceNumber: number, duplicate: boolean): Promise<void> {
    if (this.stopped) return;
    await this.host.deliver(this.statusRequest(call, params, sequenceNumber, duplicate));
  }

  /** On answer Twilio asks the app what to do: from `Url` (signed request) or the inline `Twiml`. */
  private async fetchTwiml(call: SimulatedCall): Promise<void> {
    let script: TwimlScript;
    let baseUrl: string | null = null;
    try {
      if (call.request.url) {
        baseUrl = call.request.url;
        const result = await this.host.deliver({
          kind: 'twiml',
          call,
          url: call.request.url,
          method: call.request.method,
          params: voiceWebhookParams(call, 'in-progress'),
          sequenceNumber: null,
          duplicate: false,
        });
        // Twilio would say "an application error has occurred" here; the call still ends as planned.
        if (!result || result.status < 200 || result.status >= 300) return;
        script = parseTwiml(result.body);
      } else if (call.request.twiml) {
        script = parseTwiml(call.request.twiml);
      } else {
        return;
      }
    } catch {
      return;
    }
    this.follow(call, script, baseUrl);
  }

  /** Notes what the callee hears of a document and where its <Gather> (if any) posts the next key. */
  private follow(call: SimulatedCall, script: TwimlScript, baseUrl: string | null): void {
    (call.heard ??= []).push(...spokenText(script)); // a state file written before `heard` existed has none
    call.gather = null;
    const gather = reachableGather(script);
    // No action means Twilio posts the digits back to the current document's URL.
    const action = gather ? (gather.action ?? baseUrl) : null;
    if (gather && action) {
      try {
        call.gather = { actionUrl: new URL(action, baseUrl ?? undefined).toString(), method: gather.method, onEmpty: gather.actionOnEmptyResult };
      } catch {
        // A relative action in inline TwiML has nothing to resolve against: Twilio can't post it either.
      }
    }
    this.host.changed(call);
  }

  /**
   * Plays the person's keys at successive <Gather>s: each reply's TwiML is read like Twilio would (what is said,
   * whether it asks again). A missing key ('') is only posted when the Gather asks for it (actionOnEmptyResult).
   */
  private async pressKey(live: LiveCall): Promise<void> {
    const { call } = live;
    const keys = keysPressed(call.outcome);
    if (keys === null) return;
    await live.twiml;
    if (this.stopped || call.digitsSent !== null) return;
    for (const key of keys) {
      const gather = call.gather;
      if (this.stopped || !gather || (key === '' && !gather.onEmpty)) return;
      call.digitsSent = (call.digitsSent ?? '') + key;
      this.host.changed(call);
      const result = await this.host.deliver({
        kind: 'gather',
        call,
        url: gather.actionUrl,
        method: gather.method,
        params: gatherParams(call, key),
        sequenceNumber: null,
        duplicate: false,
      });
      if (!result || result.status < 200 || result.status >= 300) return;
      try {
        this.follow(call, parseTwiml(result.body), gather.actionUrl);
      } catch {
        return;
      }
    }
  }
}
