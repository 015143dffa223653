import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_POST } from '../src/db/proposals.js';
import { MESSAGES, type MessageName } from '../src/messages/index.js';
import { CHECKIN_KINDS } from '../src/services/checkin-rounds.js';
import { queueMessage } from '../src/services/outgoing.js';
import { createTestDatabase, type TestDatabase } from './harness/database.js';

// Every kind of message Concert sends is declared once, in src/messages/; these read the code as it is
// written, so a kind queued, looked up or rewritten anywhere cannot go undeclared.

const ROOT = path.resolve(import.meta.dirname, '..');
const DECLARED = new Set<string>(Object.keys(MESSAGES));
/** Rewritten in place by a refresh (sender.update), never queued. */
const REWRITES_ONLY = new Set(['step_outcome', 'checkin_settled']);

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: path.join(dir, f), text: readFileSync(path.join(ROOT, dir, f), 'utf8') }));
}

/** The kinds a `kind:` written in a queued message stands for: a literal, or a constant the code exports. */
function kindsOf(expression: string, file: string): string[] {
  const literal = /^'(\w+)'$/.exec(expression);
  if (literal?.[1]) return [literal[1]];
  const checkin = /^CHECKIN_KINDS\.(\w+)$/.exec(expression);
  if (checkin?.[1] && checkin[1] in CHECKIN_KINDS)
    return [CHECKIN_KINDS[checkin[1] as keyof typeof CHECKIN_KINDS]];
  if (expression === 'PROPOSAL_POST') return [PROPOSAL_POST];
  // The owner's nudges, as the nudge schedule names them.
  if (expression === 'nudge.kind') {
    const schedule = readFileSync(path.join(ROOT, 'src/services/nudge-schedule.ts'), 'utf8');
    const union = /export type NudgeKind = ([^;]+);/.exec(schedule)?.[1] ?? '';
    return [...union.matchAll(/'(\w+)'/g)].map((m) => m[1] as string).filter((k) => k !== 'escalation');
  }
  throw new Error(
    `${file}: cannot read the kind \`${expression}\`; name it by a literal or a known constant`,
  );
}

/** Every message queued in src/: each `{ teamId, kind, data, to }` handed to the registry. */
function queuedKinds(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const { file, text } of sources('src')) {
    // The registry's door declares the shape `{ kind, data }` itself.
    if (file === path.join('src', 'services', 'outgoing.ts')) continue;
    for (const match of text.matchAll(/\bkind:\s*([^,\n}]+),\s*data:/g)) {
      for (const kind of kindsOf((match[1] as string).trim(), file))
        found.set(kind, [...(found.get(kind) ?? []), file]);
    }
  }
  return found;
}

/** Every kind the code and the tests look rows up by, or render by name. */
function namedKinds(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const patterns = [
    /renderMessage\(\s*'(\w+)'/g,
    /\.where\(\s*'(?:\w+\.)?kind',\s*'=',\s*'(\w+)'\)/g,
    /(?:findSent|isQueued)\(\s*\w+,\s*[\w.]+,\s*'(\w+)'/g,
  ];
  for (const { file, text } of [...sources('src'), ...sources('test'), ...sources('bench')]) {
    // Only where the outbox is read: other tables have their own kinds (a step's events, a proposal's).
    if (!/outbox|findSent|isQueued|renderMessage/.test(text)) continue;
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) {
        const kind = match[1] as string;
        // A test of the sender may queue rows of its own kind by hand, and look them up: not Concert's.
        const byHand =
          text.includes(`kind: '${kind}'`) || new RegExp(`messageRow\\(\\s*\\w+,\\s*'${kind}'`).test(text);
        if (file.startsWith('test') && byHand) continue;
        found.set(kind, [...(found.get(kind) ?? []), file]);
      }
  }
  return found;
}

describe('message kinds', () => {
  it('declares every kind the code queues, and queues every kind it declares', () => {
    const queued = queuedKinds();
    const undeclared = [...queued].filter(([kind]) => !DECLARED.has(kind));
    expect(undeclared).toEqual([]);
    const neverQueued = [...DECLARED].filter((k) => !queued.has(k) && !REWRITES_ONLY.has(k));
    expect(neverQueued).toEqual([]);
    // The reading itself finds what it should: every checked-in kind, among them the constants'.
    expect(queued.has(CHECKIN_KINDS.PROMPT) && queued.has(PROPOSAL_POST) && queued.has('nudge_due')).toBe(
      true,
    );
  });

  it('declares every kind the code and tests look up or render by name', () => {
    const named = namedKinds();
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter(([kind]) => !DECLARED.has(kind))).toEqual([]);
  });

  it('lets nothing but the registry write to the outbox', () => {
    const writers = sources('src')
      .filter(({ text }) =>
        /import\s*\{[^}]*\b(?:enqueue|messageRow)\b[^}]*\}\s*from\s*'[./]*db\/outbox\.js'/.test(text),
      )
      .map(({ file }) => file);
    expect(writers).toEqual([path.join('src', 'services', 'outgoing.ts')]);
  });

  it('declares for each kind its key, its view, and what a permanent failure means and who hears of it', () => {
    for (const [name, kind] of Object.entries(MESSAGES)) {
      expect(typeof kind.key, name).toBe('function');
      expect(typeof kind.render, name).toBe('function');
      expect(kind.failure.means.length, name).toBeGreaterThan(10);
      expect(['nobody', 'backbone'], name).toContain(kind.failure.told);
    }
  });

  it('keeps services and views apart: no service imports a view to say what to send', () => {
    const imports = sources('src/services').flatMap(({ file, text }) =>
      [...text.matchAll(/from '\.\.\/views\/([\w-]+)\.js'/g)].map((m) => `${file} → views/${m[1]}`),
    );
    // The one left: the words of a decision's effect (stored in effect_error) are escaped with views/text's
    // mrkdwn helpers; no message is built there.
    expect(imports).toEqual([`${path.join('src', 'services', 'proposal-closing.ts')} → views/text`]);
  });
});

describe('queuing a kind the registry does not declare', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('is refused, and queues nothing', async () => {
    const now = new Date('2026-03-02T15:00:00Z');
    const undeclared = {
      teamId: 'T0001',
      kind: 'nudge_sideways' as MessageName,
      data: {} as never,
      to: 'U0001',
    };
    await expect(queueMessage(t.db, undeclared, now)).rejects.toThrow(
      'message kind "nudge_sideways" is not declared in src/messages/',
    );
    const rows = await t.db.selectFrom('outbox').selectAll().execute();
    expect(rows).toEqual([]);
    // A declared kind with its data goes in, once.
    const notice = {
      teamId: 'T0001',
      kind: 'channel_back' as const,
      data: { channelId: 'C0001', role: { kind: 'core' as const }, since: now },
      to: 'C0BACK',
    };
    expect(await queueMessage(t.db, notice, now)).toMatchObject({
      kind: 'channel_back',
      channel_id: 'C0BACK',
    });
    expect(await queueMessage(t.db, notice, now)).toBeUndefined();
    expect(await t.db.selectFrom('outbox').select('dedupe_key').execute()).toEqual([
      { dedupe_key: `C0001:${now.toISOString()}` },
    ]);
  });
});
