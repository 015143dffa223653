import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeSlack } from './fake-slack.js';

/**
 * What happens to one call on its way to Slack and back: it goes through; Slack does it but its answer is
 * lost (a gateway's 503, as after a reset); or it never reaches Slack (a 429 with Retry-After, or a 5xx).
 */
export type Fate =
  | 'forward'
  | 'lose-answer'
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 | 504 };

export type Rule = (method: string, args: string) => Fate;

export interface LossySlack {
  /** The Web API base URL to give the app in place of the fake's. */
  url: string;
  rule: Rule;
  /** How many calls met each fate, by method: `chat.postMessage lose-answer` and so on. */
  counts: Map<string, number>;
  stop(): Promise<void>;
}

function fateName(fate: Fate): string {
  return typeof fate === 'string' ? fate : String(fate.status);
}

/**
 * A loopback proxy in front of the fake Slack, for faults as networks and Slack really produce them. Point
 * an app at it with `behind(fake, proxy)`.
 */
export async function lossySlack(fake: FakeSlack): Promise<LossySlack> {
  const target = fake.url;
  const lossy: LossySlack = {
    url: '',
    rule: () => 'forward',
    counts: new Map(),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = (req.url ?? '').replace(/^\/api\//, '');
    const fate = lossy.rule(method, body.toString('utf8'));
    const key = `${method} ${fateName(fate)}`;
    lossy.counts.set(key, (lossy.counts.get(key) ?? 0) + 1);
    if (typeof fate === 'object') {
      if (fate.status === 429) res.setHeader('retry-after', String(fate.retryAfter));
      res.writeHead(fate.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: fate.status === 429 ? 'ratelimited' : 'upstream' }));
      return;
    }
    const answer = await fetch(target + method, {
      method: req.method ?? 'POST',
      headers: {
        'content-type': String(req.headers['content-type'] ?? ''),
        authorization: String(req.headers.authorization ?? ''),
      },
      body: req.method === 'GET' ? undefined : body,
    });
    const text = await answer.text();
    if (fate === 'lose-answer') {
      // Slack did the work; the app hears a gateway error instead of the answer.
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('upstream trouble');
      return;
    }
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  lossy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return lossy;
}

/** Makes an app started with `fake` talk to Slack through `proxy` instead (before the app starts). */
export function behind(fake: FakeSlack, proxy: LossySlack): void {
  Object.defineProperty(fake, 'url', { value: proxy.url, configurable: true });
}

/** A small seeded random number generator (mulberry32), so a storm is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every message the fake holds with Concert's outbox key in its metadata, counted by key. */
export function postsByOutboxKey(fake: FakeSlack, conversations: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const conversation of conversations)
    for (const message of fake.messages(conversation)) {
      const key = message.metadata?.event_payload?.key;
      if (message.metadata?.event_type !== 'concert_outbox' || typeof key !== 'string') continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return counts;
}
