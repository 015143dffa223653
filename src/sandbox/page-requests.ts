import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { SANDBOX_LOOPBACK } from '../config.js';

// biome-ignore lint/suspicious/noExplicitAny: the page's requests are JSON checked field by field
export type Json = any;

/** The most a page request may carry; the page's own requests are a few kilobytes. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Sent with everything the page server answers: the page runs its own scripts and styles and nothing else,
 * cannot be framed, and nothing it serves is sniffed into another type.
 */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
} as const;

/** A request the page server does not take: answered with `status` and the reason, changing nothing. */
export class RefusedRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = ['0.0.0.0', '::'];

/**
 * Refuses what did not come from the page itself. The Host must name this computer (or the address the page
 * was told to listen on) with the page's port, so a web site whose name is made to point here (DNS
 * rebinding) is refused; and an Origin, which browsers send with every POST, must be the page's own, so
 * another site cannot post a form or a fetch here.
 */
export function checkSameOrigin(req: IncomingMessage, listening: { host: string; port: number }): void {
  const hostHeader = String(req.headers.host ?? '').toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d+))?$/.exec(hostHeader);
  const name = match?.[1] ?? '';
  const port = Number(match?.[2] ?? 80);
  if (!match || port !== listening.port || !hostAllowed(name, listening.host))
    throw new RefusedRequest(403, 'The sandbox answers only its own page, at localhost.');
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${hostHeader}`)
    throw new RefusedRequest(403, 'The sandbox answers only its own page.');
}

function hostAllowed(name: string, listeningHost: string): boolean {
  if (LOOPBACK_NAMES.includes(name)) return true;
  const host = listeningHost.toLowerCase();
  if (host === SANDBOX_LOOPBACK) return false;
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  if (bare === host) return true;
  // Listening everywhere: any of this computer's addresses, but never a name, which a site could point here.
  return WILDCARDS.includes(host) && isIP(bare) !== 0;
}

/** A POST's JSON body: only `application/json` (which no plain form can send), and at most BODY_LIMIT. */
export async function readJson(req: IncomingMessage): Promise<Json> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/json') throw new RefusedRequest(415, 'The sandbox takes JSON only.');
  if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT) throw tooLarge();
  const raw = (await readBody(req)).toString('utf8');
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new RefusedRequest(400, 'The request was not JSON.');
  }
}

function tooLarge(): RefusedRequest {
  return new RefusedRequest(413, `The sandbox takes requests of up to ${BODY_LIMIT / 1024 / 1024} MB.`);
}

/** Reads the body, stopping at the limit; what comes after is let through unread until the answer closes. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
