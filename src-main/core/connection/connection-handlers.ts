import type { HandlerSlice } from '../api/contract';
import type { EngineContext } from '../engine-context';
import { updateSettings } from '../settings/settings-editor';
import type { ConnectionService } from './connection-service';

export function connectionHandlers(
  ctx: EngineContext,
  connection: Pick<ConnectionService, 'status' | 'selfTest' | 'startTunnel'>,
): HandlerSlice<'connection/status' | 'connection/self-test' | 'setup/configure-callbacks'> {
  return {
    'connection/status': () => connection.status(),

    'connection/self-test': () => connection.selfTest({}),

    'setup/configure-callbacks': async (args) => {
      if (args.mode === 'tunnel') {
        if (args.ngrokAuthtoken) ctx.secrets.set('NGROK_AUTHTOKEN', args.ngrokAuthtoken);
        updateSettings(ctx, { tunnel: { provider: 'ngrok', domain: args.domain ?? null }, calling: { status_callback_url: null } });
      } else if (args.mode === 'own-url') {
        updateSettings(ctx, { calling: { status_callback_url: args.statusCallbackUrl } });
      } else {
        updateSettings(ctx, { tunnel: { provider: 'none' }, calling: { status_callback_url: null } });
      }
      await connection.startTunnel();
      const status = connection.status();
      ctx.events.emit('connection-changed', status);
      return status;
    },
  };
}
