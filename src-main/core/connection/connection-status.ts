import type { ConnectionStatus } from '../api/contract';
import type { CallbackMode } from '../domain';

// Where Twilio's status callbacks go, decided in one place (the same rule for every new call):
// calling.status_callback_url when set > the tunnel's URL + /status > (practice) the callback server's own
// loopback URL + /status > nothing, and then calls are polled.

export type TunnelState = NonNullable<ConnectionStatus['tunnel']>['state'];
export type TunnelErrorView = NonNullable<ConnectionStatus['tunnel']>['error'];

export interface TunnelSnapshot {
  state: TunnelState;
  /** The tunnel's public base URL while online. */
  url: string | null;
  error: TunnelErrorView;
}

export interface CallbackRoute {
  mode: CallbackMode;
  /** Public base URL (origin, maybe a path prefix) the TwiML and keypad endpoints hang off. */
  publicBaseUrl: string | null;
  statusCallbackUrl: string | null;
}

export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The base URL an own status URL shares with the other public endpoints: https://host/status → https://host. */
export function baseOfStatusUrl(statusCallbackUrl: string): string {
  const url = new URL(statusCallbackUrl);
  const pathname = url.pathname.replace(/\/status\/?$/, '').replace(/\/+$/, '');
  return `${url.origin}${pathname}`;
}

export function chooseCallbackRoute(input: {
  ownStatusUrl: string | null;
  tunnel: TunnelSnapshot | null;
  practice: boolean;
  localBaseUrl: string | null;
}): CallbackRoute {
  if (input.ownStatusUrl) {
    return { mode: 'own-url', publicBaseUrl: baseOfStatusUrl(input.ownStatusUrl), statusCallbackUrl: input.ownStatusUrl };
  }
  if (input.tunnel?.state === 'online' && input.tunnel.url) {
    const base = stripTrailingSlash(input.tunnel.url);
    return { mode: 'tunnel', publicBaseUrl: base, statusCallbackUrl: `${base}/status` };
  }
  if (input.practice && input.localBaseUrl) {
    const base = stripTrailingSlash(input.localBaseUrl);
    return { mode: 'simulator', publicBaseUrl: base, statusCallbackUrl: `${base}/status` };
  }
  return { mode: 'polling', publicBaseUrl: null, statusCallbackUrl: null };
}

export function describeConnection(input: {
  route: CallbackRoute;
  practice: boolean;
  tunnel: TunnelSnapshot | null;
  lastCallbackAt: string | null;
  rejectedSignatures: number;
  rejectionReason: string | null;
  /** Low disk space where the data folder is (listener-guard.ts), said before it makes writes fail. */
  diskWarning?: string | null;
}): ConnectionStatus {
  const { route, tunnel } = input;
  return {
    mode: route.mode,
    simulated: input.practice,
    publicUrl: route.publicBaseUrl,
    statusCallbackUrl: route.statusCallbackUrl,
    tunnel: tunnel ? { state: tunnel.state, error: tunnel.error } : null,
    lastCallbackAt: input.lastCallbackAt,
    rejectedSignatures: input.rejectedSignatures,
    rejectionReason: input.rejectionReason,
    summary: input.diskWarning ? `${summaryLine(route, input.practice, tunnel)}. ${input.diskWarning}` : summaryLine(route, input.practice, tunnel),
  };
}

function summaryLine(route: CallbackRoute, practice: boolean, tunnel: TunnelSnapshot | null): string {
  const prefix = practice ? 'SIMULATED — ' : '';
  switch (route.mode) {
    case 'own-url':
      return `${prefix}Live: callbacks to your own server (${route.statusCallbackUrl})`;
    case 'tunnel':
      return `${prefix}Live: callbacks through the ngrok tunnel (${route.publicBaseUrl})`;
    case 'simulator':
      return tunnel && tunnel.state !== 'off'
        ? `${prefix}Practice: callbacks from the simulator on this computer (tunnel ${tunnel.state}${tunnel.error ? `: ${tunnel.error.title}` : ''})`
        : `${prefix}Practice: callbacks from the simulator on this computer`;
    case 'polling': {
      if (tunnel && (tunnel.state === 'failed' || tunnel.state === 'reconnecting' || tunnel.state === 'connecting')) {
        const why = tunnel.error ? `${tunnel.error.title}. ${tunnel.error.fix}` : `the tunnel is ${tunnel.state}`;
        return `${prefix}Polling: the tunnel is not online (${why}); call statuses are fetched from Twilio instead`;
      }
      return `${prefix}Polling: no public URL, call statuses are fetched from Twilio`;
    }
  }
}
