import type { AppState, HandlerSlice } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { APP_VERSION } from '../app-version';
import type { EngineContext } from '../engine-context';
import { getMeta, setMeta } from '../store/app-meta';
import type { TwilioAccount } from '../twilio/twilio-account';
import { checkTwilioAccount, createTwilioClient, describeTwilioError } from '../twilio/twilio-client';
import { updateSettings } from './settings-editor';

// The setup wizard's account steps and the app's state line. Practice mode's steps live in practice/, the
// callback route's in connection/, the test call in batches/.

export function appState(ctx: EngineContext, practice: () => boolean, account: Pick<TwilioAccount, 'fromNumber'>): AppState {
  const settings = ctx.getSettings();
  return {
    version: APP_VERSION,
    setupComplete: getMeta(ctx.db, 'setup_complete') === '1',
    practiceMode: practice(),
    dataDir: ctx.dataDir,
    settingsFile: ctx.settingsFile,
    timezone: settings.scheduling.timezone,
    fromNumber: account.fromNumber(),
    secretStorage: ctx.secrets.description,
    // A saved token this computer can no longer read (keyring gone, profile moved): staff must enter it again.
    secretProblem: practice() ? null : (ctx.secrets.readProblem?.('TWILIO_AUTH_TOKEN') ?? null),
  };
}

export function setupHandlers(
  ctx: EngineContext,
  state: () => AppState,
  account: Pick<TwilioAccount, 'reset'>,
): HandlerSlice<'app/get-state' | 'setup/check-twilio' | 'setup/save-twilio' | 'setup/complete'> {
  return {
    'app/get-state': () => state(),

    'setup/check-twilio': async ({ accountSid, authToken }) => {
      const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: ctx.getSettings().twilio.api_base_url });
      try {
        return await checkTwilioAccount(client);
      } catch (error) {
        const info = describeTwilioError(error);
        const message =
          info.status === 401 ? 'Twilio did not accept this Account SID and Auth Token. Copy both again from the Twilio Console.' : info.message;
        throw new ApiFailure('twilio', message);
      }
    },

    'setup/save-twilio': ({ accountSid, authToken, fromNumber }) => {
      // The token and SID go to the secret store (OS keychain in the app); settings.yaml gets only what may be shared.
      ctx.secrets.set('TWILIO_AUTH_TOKEN', authToken);
      ctx.secrets.set('TWILIO_ACCOUNT_SID', accountSid);
      updateSettings(ctx, { twilio: { account_sid: accountSid, from_number: fromNumber } });
      account.reset();
      return state();
    },

    'setup/complete': () => {
      setMeta(ctx.db, 'setup_complete', '1');
      return state();
    },
  };
}
