import { slackSignature } from '../../src/sandbox/emulator/app-requests.js';
import { SIGNING_SECRET } from '../harness/app.js';

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export interface Timed {
  status: number;
  /** From sending the request to the end of the answer, in milliseconds. */
  ms: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON
  json: any;
}

/**
 * Posts `body` to the app as Slack would, correctly signed now, and times the answer alone (the driver's
 * `send` also waits for the work after the answer). No answer at all (the app gone, or 15 s of silence) is
 * status 0.
 */
export async function postSigned(appUrl: string, body: string, contentType: string): Promise<Timed> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  try {
    const response = await fetch(`${appUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
      },
      body,
      // An answer that never comes (the request crashed its handler) counts as none.
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, ms: performance.now() - started, text, json };
  } catch {
    return { status: 0, ms: performance.now() - started, text: '', json: undefined };
  }
}

/** An interaction payload as Slack sends it: a form with one `payload` field of JSON. */
export const interaction = (payload: unknown) =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
