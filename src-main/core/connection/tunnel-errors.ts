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
    title: 'The ngrok authtoken is missing (or its account is not verified)',
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
    fix: `Close ngrok on the other computer or terminal, or stop that session at ${DASHBOARD}/agents. Reminder Desk keeps retrying and connects as soon as the account is free.`,
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
    fix: 'Stop the other program or computer serving this domain (another Reminder Desk, or an ngrok window). Reminder Desk keeps retrying.',
    retryable: true,
  },
};

const ACCOUNT_LIMIT = {
  title: 'Your ngrok account reached its monthly limit',
  fix: `See ${DASHBOARD}/billing: the limit resets next month, or upgrade the plan. Restart the tunnel afterwards; until then statuses are fetched by polling.`,
  retryable: false,
};
KNOWN.ERR_NGROK_725 = ACCOUNT_LIMIT; // bandwidth
KNOWN.ERR_NGROK_727 = ACCOUNT_LIMIT; // HTTP requests
KNOWN.ERR_NGROK_120 = {
  title: 'This version of the ngrok library is no longer accepted by ngrok',
  fix: 'Update Reminder Desk.',
  retryable: false,
};

// What the SDK says when ngrok's service cannot be reached at all (no network, DNS, a firewall); such errors
// carry no ngrok code. Measured here: "failed to connect session: failed to establish tcp connection".
const NO_NETWORK = /failed to establish tcp connection|dns error|failed to lookup|name resolution|network is unreachable|connection refused|timed out|tls handshake/i;

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * ngrok quotes the authtoken back in some messages (ERR_NGROK_105: "Your authtoken: …"): never show or log it.
 * Also drops the SDK's "error_code: …" suffix, which the view carries as `code`.
 */
export function redactTunnelMessage(message: string): string {
  return message
    .replace(/(authtoken:\s*)\S+/gi, '$1[hidden]')
    .replace(/\b[0-9A-Za-z]{20,}_[0-9A-Za-z]{10,}\b/g, '[hidden]') // the shape of ngrok authtokens
    .replace(/\s*error_code:\s*ERR_NGROK_\d+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** ngrok's page for a code, e.g. https://ngrok.com/docs/errors/err_ngrok_8012/ */
export function ngrokErrorPage(code: string): string {
  return `https://ngrok.com/docs/errors/${code.toLowerCase()}/`;
}

export function describeTunnelError(error: unknown): TunnelErrorView {
  const raw = messageOf(error);
  const fromField = error && typeof error === 'object' && 'errorCode' in error ? String((error as { errorCode: unknown }).errorCode) : null;
  const code = fromField && /^ERR_NGROK_\d+$/.test(fromField) ? fromField : (/ERR_NGROK_\d+/.exec(raw)?.[0] ?? null);
  const known = code ? KNOWN[code] : undefined;
  if (code && known) return { code, ...known };
  if (!code && NO_NETWORK.test(raw)) {
    return {
      code: null,
      title: 'Cannot reach ngrok: no internet connection, or a firewall blocks it',
      fix: 'Check the internet connection (ngrok needs outgoing TCP to connect.ngrok-agent.com:443). Reminder Desk keeps retrying; calls continue meanwhile and their statuses are fetched by polling.',
      retryable: true,
    };
  }
  const said = redactTunnelMessage(raw).slice(0, 200);
  return {
    code,
    title: code ? `ngrok refused the tunnel (${code}): ${said}` : `The tunnel failed: ${said}`,
    fix: code
      ? `See ${ngrokErrorPage(code)} for what ngrok means. Reminder Desk keeps retrying; statuses are fetched by polling meanwhile.`
      : 'Reminder Desk keeps retrying; calls continue and their statuses are fetched by polling until the tunnel is back.',
    retryable: true,
  };
}
