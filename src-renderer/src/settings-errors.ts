// Settings are checked twice: by the API's argument schema (keys like `callsPerSecond`) and by the settings file's
// schema (keys like `calling.calls_per_second`). Both answer "key: message" in developer words; staff should read
// the label they see on screen and a plain sentence instead.

const FIELD_LABELS: Record<string, string> = {
  messageTemplate: 'Message',
  'message.message_template': 'Message',
  callsPerSecond: 'Calls per second',
  'calling.calls_per_second': 'Calls per second',
  maxRetries: 'Retries of patients not reached',
  'calling.max_retries': 'Retries of patients not reached',
  retryDelaySeconds: 'Wait before a retry (seconds)',
  'calling.retry_delay_seconds': 'Wait before a retry (seconds)',
  callTimeoutSeconds: 'Ring for at most (seconds)',
  'calling.call_timeout_seconds': 'Ring for at most (seconds)',
  detectVoicemail: 'Detect voicemail',
  'calling.detect_voicemail': 'Detect voicemail',
  voicemailAction: 'When a machine answers',
  'calling.voicemail_action': 'When a machine answers',
  callingDays: 'Calling days',
  'scheduling.calling_days': 'Calling days',
  callingHours: 'Calling hours',
  'scheduling.calling_hours': 'Calling hours',
  'callingHours.start': 'Not before',
  'scheduling.calling_hours.start': 'Not before',
  'callingHours.end': 'Not after',
  'scheduling.calling_hours.end': 'Not after',
  timezone: 'Clinic time zone',
  'scheduling.timezone': 'Clinic time zone',
  defaultRegion: 'Country for local numbers',
  'phone.default_region': 'Country for local numbers',
};

/** Each rule gives what follows the field's label ("must be 100 or less"). */
const PLAIN_MESSAGES: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^Too big: expected number to be <=(\S+)$/, (m) => `must be ${m[1]} or less`],
  [/^Too big: expected number to be <(\S+)$/, (m) => `must be less than ${m[1]}`],
  [/^Too small: expected number to be >=(\S+)$/, (m) => `must be ${m[1]} or more`],
  [/^Too small: expected number to be >(\S+)$/, (m) => `must be more than ${m[1]}`],
  [/^Invalid input: expected int, received number$/, () => 'must be a whole number'],
  [/^Invalid input: expected (number|string|boolean), received \w+$/, () => 'must be filled in'],
  [/^Too small: expected string to have >=1 characters?$/, () => 'must not be empty'],
  [/^Too (?:big|small): expected string to have exactly (\d+) characters$/, (m) => `must be exactly ${m[1]} letters`],
  [/^Too big: expected string to have <=(\d+) characters$/, (m) => `must be at most ${m[1]} characters long`],
  [/^start must be before end$/, () => 'must start before they end: “Not before” has to be earlier than “Not after”'],
  [/^an IANA time zone such as "([^"]+)"$/, (m) => `must be a time zone name such as ${m[1]}`],
  // The settings file's own messages name what is expected ("a two-letter country code such as US").
  [/^(an? .+)$/, (m) => `must be ${m[1]}`],
];

function plainMessage(message: string): string | null {
  for (const [pattern, say] of PLAIN_MESSAGES) {
    const match = message.match(pattern);
    if (match) return say(match);
  }
  return null;
}

/** "callsPerSecond: Too big: expected number to be <=100" → "“Calls per second” must be 100 or less." */
export function describeSettingsError(message: string): string {
  // Issues are joined with "; " and each starts with its key; a message may itself contain "; ".
  const parts = message.split(/;\s+(?=[A-Za-z_][\w.]*:\s)/);
  return parts
    .map((part) => {
      const match = part.match(/^([A-Za-z_][\w.]*):\s+(.*)$/s);
      if (!match) return part;
      const [, key = '', rest = ''] = match;
      const label = FIELD_LABELS[key];
      if (!label) return part;
      const plain = plainMessage(rest.trim());
      // A message with no plain form (e.g. the message's unknown placeholder) is already written for staff.
      // Labels are quoted as on screen, so "Ring for at most" reads as a name, not as part of the sentence.
      const sentence = plain ? `“${label}” ${plain}` : `“${label}”: ${rest.trim()}`;
      return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
    })
    .join(' ');
}
