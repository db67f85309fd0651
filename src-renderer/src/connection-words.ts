import type { ConnectionStatus } from '../../src-main/core/api/contract';

// The header's status pill in a few staff words, short enough for a 1024-px window. The core's full summary
// (which names tunnels and callbacks) stays in the pill's tooltip and on the Connection screen.

export function connectionPillLabel(status: ConnectionStatus | null): { label: string; tone: 'ok' | 'warn' | 'bad' | 'idle' } {
  if (!status) return { label: 'Checking connection…', tone: 'idle' };
  if (status.mode === 'simulator') return { label: 'Practice mode', tone: 'idle' }; // the banner above says no phone rings
  if (status.mode === 'polling') return { label: 'Ready: updates checked with Twilio', tone: 'ok' };
  if (status.mode === 'tunnel') {
    switch (status.tunnel?.state) {
      case 'online':
        return { label: 'Ready: live call updates', tone: 'ok' };
      case 'connecting':
      case 'reconnecting':
        return { label: 'Reconnecting…', tone: 'warn' };
      case 'failed':
        return { label: 'Connection problem: see Connection', tone: 'bad' };
      default:
        return { label: 'Not connected', tone: 'warn' };
    }
  }
  return status.publicUrl ? { label: 'Ready: live call updates', tone: 'ok' } : { label: 'Not connected', tone: 'warn' };
}
