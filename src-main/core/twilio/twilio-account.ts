import { ApiFailure } from '../api/invoke-operation';
import type { EngineContext } from '../engine-context';
import type { PracticeMode } from '../practice/practice-mode';
import { PRACTICE_PHONE_NUMBERS } from '../practice/simulator/twilio-simulator';
import { createTwilioClient, type CallsApi, type TwilioClient } from './twilio-client';

// Which Twilio account calls go through and with which credentials: the real account (environment first, then
// settings.yaml for the non-secret values, then the secret store) or, in practice mode, the simulator's.

export type CredentialName = 'TWILIO_ACCOUNT_SID' | 'TWILIO_PHONE_NUMBER' | 'TWILIO_AUTH_TOKEN' | 'NGROK_AUTHTOKEN';

export class TwilioAccount {
  private client: TwilioClient | null = null;
  /** The real account's token, read once until reset(): the listener asks for it on every request it checks. */
  private token: { value: string | null } | null = null;

  /** Every Twilio REST call goes through here, so switching practice mode or credentials needs no rewiring. */
  readonly calls: CallsApi = {
    create: (params) => this.currentClient().calls.create(params),
    fetch: (sid) => this.currentClient().calls.fetch(sid),
    list: (filter) => this.currentClient().calls.list(filter),
  };

  constructor(
    private readonly ctx: EngineContext,
    private readonly practice: Pick<PracticeMode, 'active' | 'simulator'>,
  ) {}

  credential(name: CredentialName): string | null {
    const fromEnv = this.ctx.env[name]?.trim();
    if (fromEnv) return fromEnv;
    const { twilio } = this.ctx.getSettings();
    if (name === 'TWILIO_ACCOUNT_SID' && twilio.account_sid) return twilio.account_sid;
    if (name === 'TWILIO_PHONE_NUMBER' && twilio.from_number) return twilio.from_number;
    return this.ctx.secrets.get(name);
  }

  fromNumber(): string | null {
    if (this.practice.active) return this.ctx.getSettings().twilio.from_number ?? PRACTICE_PHONE_NUMBERS[0]!;
    return this.credential('TWILIO_PHONE_NUMBER');
  }

  /** The token Twilio (or the simulator) signs callbacks with. */
  authToken(): string | null {
    if (this.practice.active) return this.practice.simulator?.authToken ?? null;
    this.token ??= { value: this.credential('TWILIO_AUTH_TOKEN') };
    return this.token.value;
  }

  /** Why calls cannot be placed right now, or null when they can. */
  callingUnavailableReason(): string | null {
    if (this.practice.active) return this.practice.simulator ? null : 'practice mode is on but the simulator is not running (start the engine first)';
    if (!this.credential('TWILIO_ACCOUNT_SID') || !this.credential('TWILIO_AUTH_TOKEN')) {
      // A token saved but unreadable here (keyring gone, profile moved) is named as such, never sent to Twilio.
      const unreadable = this.credential('TWILIO_AUTH_TOKEN') ? null : this.ctx.secrets.readProblem?.('TWILIO_AUTH_TOKEN');
      if (unreadable) return unreadable;
      return 'Twilio is not set up: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or finish the setup wizard), or use practice mode (--simulate)';
    }
    if (!this.fromNumber()) return 'no caller number: set twilio.from_number in settings.yaml or TWILIO_PHONE_NUMBER';
    return null;
  }

  /** Credentials or practice mode changed: the next request builds a new client. */
  reset(): void {
    this.client = null;
    this.token = null;
  }

  private currentClient(): TwilioClient {
    if (this.client) return this.client;
    const reason = this.callingUnavailableReason();
    if (reason) throw new ApiFailure('unavailable', reason);
    const sim = this.practice.active ? this.practice.simulator! : null;
    this.client = sim
      ? createTwilioClient({ accountSid: sim.accountSid, authToken: sim.authToken, apiBaseUrl: sim.baseUrl })
      : createTwilioClient({
          accountSid: this.credential('TWILIO_ACCOUNT_SID')!,
          authToken: this.credential('TWILIO_AUTH_TOKEN')!,
          apiBaseUrl: this.ctx.getSettings().twilio.api_base_url,
        });
    return this.client;
  }
}
