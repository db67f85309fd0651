// The ngrok SDK's failures, in words a clinic can act on. The SDK rejects with an Error whose `errorCode`
// is ngrok's code (ERR_NGROK_…) when the service answered, or with code 'GenericFailure' and a message
// such as "failed to connect session: failed to establish tcp connection" when it could not be reached.

export interface TunnelErrorView {
  code: string | null;
  title: string;
  fix: string;
  /** false when retrying cannot help (a bad authtoken, a domain that is not yours). */
  retryable: boolean;
}

const DASHBOARD = 'https://dashboard.ngrok.com';

const KNOWN: Record<string, Omit<TunnelErrorView, 'code'>> = {
  ERR_NGROK_4018: {
    title: 'The ngrok authtoken is missing',
    fix: `Copy your authtoken from ${DASHBOARD}/get-started/your-authtoken and enter it in Connection settings (or set NGROK_AUTHTOKEN).`,
    retryable: false,
  },
  ERR_NGROK_105: {
    title: 'The ngrok authtoken is not valid',
    fix: `Check the authtoken: copy it again from ${DASHBOARD}/get-started/your-authtoken (no spaces).`,
    retryable: false,
  },
  ERR_NGROK_107: {
    title: 'The ngrok authtoken was revoked or belongs to a deleted account',
    fix: `Create a new authtoken at ${DASHBOARD}/tunnels/authtokens and enter it in Connection settings.`,
    retryable: false,
  },
  ERR_NGROK_108: {
    title: 'Your ngrok account is already online elsewhere (too many sessions)',
    fix: 'Close ngrok on the other computer or terminal (the free plan allows one session), then try again.',
    retryable: true,
  },
  ERR_NGROK_313: {
    title: 'This ngrok domain needs a paid plan',
    fix: `Use the free static domain shown at ${DASHBOARD}/domains, or clear the domain setting.`,
    retryable: false,
  },
  ERR_NGROK_319: {
    title: 'That ngrok domain is not reserved on your account',
    fix: `Reserve it at ${DASHBOARD}/domains or enter the domain listed there.`,
    retryable: false,
  },
  ERR_NGROK_320: {
    title: 'That ngrok domain belongs to another account',
    fix: `Enter the domain listed for your own account at ${DASHBOARD}/domains.`,
    retryable: false,
  },
  ERR_NGROK_334: {
    title: 'That ngrok domain is already online in another session',
    fix: 'Stop the other ngrok session using this domain, then try again.',
    retryable: true,
  },
};

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

export function describeTunnelError(error: unknown): TunnelErrorView {
  const raw = messageOf(error);
  const fromField = error && typeof error === 'object' && 'errorCode' in error ? String((error as { errorCode: unknown }).errorCode) : null;
  const code = fromField && /^ERR_NGROK_\d+$/.test(fromField) ? fromField : (/ERR_NGROK_\d+/.exec(raw)?.[0] ?? null);
  if (code && KNOWN[code]) return { code, ...KNOWN[code] };
  if (/failed to (connect session|establish tcp connection)|dns error|failed to lookup|network is unreachable|connection refused|timed out/i.test(raw)) {
    return {
      code,
      title: 'Cannot reach ngrok: no internet connection, or a firewall blocks it',
      fix: 'Check the internet connection (ngrok needs outgoing TCP to connect.ngrok-agent.com:443). Calls continue meanwhile; statuses are fetched by polling.',
      retryable: true,
    };
  }
  return {
    code,
    title: `The tunnel failed: ${raw.slice(0, 200)}`,
    fix: code ? `Look up ${code} at https://ngrok.com/docs/errors/${code.toLowerCase().replace(/_/g, '-')}/` : 'Calls continue; statuses are fetched by polling until the tunnel is back.',
    retryable: true,
  };
}
