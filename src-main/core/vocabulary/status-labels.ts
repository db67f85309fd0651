import { isVoicemail, type CallStatusWord } from './status-filter';

// One staff word per call status, shared by the board, the batch counts, the timeline and the CLI, so a status reads
// the same everywhere. Twilio's own words stay in exports and the inspector; staff see these.

export type ChipTone = 'idle' | 'live' | 'good' | 'warn' | 'bad';

/** The word for a status on its own (timeline events, batch counts). `rejected`: Twilio refused to place the call. */
export const STATUS_LABELS: Readonly<Record<CallStatusWord | 'rejected', string>> = {
  pending: 'Waiting',
  dialing: 'Dialing',
  skipped: 'Skipped',
  queued: 'Queued',
  initiated: 'Calling',
  ringing: 'Ringing',
  'in-progress': 'On the line',
  completed: 'Completed',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  // Twilio's word for a call stopped before it was answered; "Cancelled" alone reads like the patient's answer.
  canceled: 'Call cancelled',
  rejected: 'Not placed',
};

export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/** What the chip of a call needs to know. */
export interface LabelledCall {
  status: CallStatusWord;
  isFinal: boolean;
  callSid: string | null;
  answered: boolean;
  answeredBy: string | null;
}

/** The status chip of a call: the status word, refined by what is known (voicemail, answered, never placed). */
export function callStatusLabel(call: LabelledCall | null): { label: string; tone: ChipTone } {
  if (!call) return { label: 'Not called', tone: 'idle' };
  switch (call.status) {
    case 'pending':
      return call.isFinal ? { label: STATUS_LABELS.rejected, tone: 'bad' } : { label: STATUS_LABELS.pending, tone: 'idle' };
    case 'dialing':
      return call.isFinal ? { label: STATUS_LABELS.rejected, tone: 'bad' } : { label: STATUS_LABELS.dialing, tone: 'live' };
    case 'skipped':
      return { label: STATUS_LABELS.skipped, tone: 'idle' };
    case 'queued':
    case 'initiated':
    case 'ringing':
      return { label: STATUS_LABELS[call.status], tone: 'live' };
    case 'in-progress':
      return isVoicemail(call.answeredBy) ? { label: 'Voicemail', tone: 'live' } : { label: STATUS_LABELS['in-progress'], tone: 'live' };
    case 'completed':
      if (isVoicemail(call.answeredBy)) return { label: 'Voicemail', tone: 'warn' };
      return call.answered ? { label: 'Answered', tone: 'good' } : { label: STATUS_LABELS.completed, tone: 'good' };
    case 'busy':
    case 'no-answer':
      return { label: STATUS_LABELS[call.status], tone: 'warn' };
    case 'failed':
      // No CallSid: Twilio refused to place the call at all (e.g. an invalid number), which staff fix differently.
      return call.callSid ? { label: STATUS_LABELS.failed, tone: 'bad' } : { label: STATUS_LABELS.rejected, tone: 'bad' };
    case 'canceled':
      return { label: STATUS_LABELS.canceled, tone: 'idle' };
  }
}

/** The reminder's outcome in one phrase: did the patient get the message? */
export function reminderStateLabel(call: (LabelledCall & { status: string }) | null): string {
  if (!call) return 'Not sent';
  if (call.status === 'skipped') return 'Skipped';
  if (!call.isFinal) return call.status === 'pending' ? 'Waiting in batch' : 'Calling now';
  if (call.answered && isVoicemail(call.answeredBy)) return 'Left on voicemail';
  if (call.answered) return 'Delivered';
  return 'Not reached';
}

export function confirmationLabel(confirmation: string | null): string {
  if (confirmation === 'confirmed') return 'Confirmed';
  if (confirmation === 'cancelled') return 'Cancelled';
  if (confirmation === 'opted_out') return 'Asked not to be called (pressed 9)';
  return '—';
}
