// Twilio's REST error body, exactly as the official client parses it into a RestException
// ({ status, code, message, moreInfo }).

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  toBody(): TwilioErrorBody {
    return { code: this.code, message: this.message, more_info: `https://www.twilio.com/docs/errors/${this.code}`, status: this.status };
  }
}

export const authenticationError = (): TwilioApiError => new TwilioApiError(401, 20003, 'Authenticate');
export const notFoundError = (path: string): TwilioApiError =>
  new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
export const tooManyRequestsError = (): TwilioApiError => new TwilioApiError(429, 20429, 'Too Many Requests');
export const methodNotAllowedError = (method: string): TwilioApiError =>
  new TwilioApiError(405, 20004, `Method not allowed: ${method}`);
export const badRequestError = (code: number, message: string): TwilioApiError => new TwilioApiError(400, code, message);
