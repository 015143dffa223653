import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { Routes } from '../../../src/listeners/routes.js';
import type { TestApp } from '../../harness/app.js';
import { startCoalition } from '../../harness/coalition.js';
import { type Actor, CASES, ROLES, type Role, type World } from './cases.js';
import { hasEffect, observe } from './observe.js';
import { actorsOf, buildWorld } from './world.js';

// Who may do what, tried exhaustively: every command, button, menu, shortcut and form the app registers, by
// each of eight kinds of person, through the real app over signed HTTP. Where a role may, the effect is
// there; where it may not, nothing changes (no row, no message, no view) and the person is told.

// Every listener the app registers, read as it registers them, so a new one cannot go untried.
const registrations = (['command', 'action', 'view', 'shortcut', 'event'] as const).map((kind) => ({
  kind,
  spy: vi.spyOn(Routes.prototype, kind),
}));

/** Events Slack sends about channels, accounts and the installation: no person acts through them. */
const NOT_A_PERSONS_ACTION = new Set([
  'member_joined_channel',
  'member_left_channel',
  'channel_archive',
  'group_archive',
  'channel_deleted',
  'group_deleted',
  'channel_left',
  'group_left',
  'channel_unarchive',
  'group_unarchive',
  'channel_rename',
  'group_rename',
  'user_change',
  'app_uninstalled',
  'tokens_revoked',
]);

let t: TestApp;
let world: World;
let actors: Map<Role, Actor>;

beforeAll(async () => {
  t = await startCoalition();
  world = await buildWorld(t);
  actors = actorsOf(t);
}, 120_000);
afterAll(() => t.stop());

let tried = 0;

describe('the authorization matrix', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const problems: string[] = [];
      for (const role of ROLES) {
        const actor = actors.get(role) as Actor;
        const prepared = c.prepare ? await c.prepare(t, world) : undefined;
        await t.settled();
        const seen = await observe(t, actor.user, () => c.run(actor, world, prepared));
        tried++;
        const may = c.allowed.includes(role);
        const saw = c.sees !== undefined && seen.answers.some((a) => a.includes(c.sees as string));
        const effect = hasEffect(seen);
        const what = `${role}: tables ${seen.tables.join(',') || '-'}, views ${seen.views.length}, sends ${seen.sends.map((s) => s.method).join(',') || '-'}; told ${seen.answers.join(' / ').slice(0, 160) || 'nothing'}`;
        if (may && c.sees !== undefined && !saw) problems.push(`${role} may, but did not see it. ${what}`);
        if (may && c.sees === undefined && !effect)
          problems.push(`${role} may, but nothing happened. ${what}`);
        if (!may && (effect || saw)) problems.push(`${role} may not, but it happened. ${what}`);
        // Nobody waits on an event: a refusal there is silent.
        const waiting = !c.covers.startsWith('event:');
        if (!may && waiting && seen.answers.length === 0)
          problems.push(`${role} was refused without a word. ${what}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('tries every interaction the app registers, by every role', () => {
    const covered = new Set(CASES.map((c) => c.covers));
    const untried: string[] = [];
    for (const { kind, spy } of registrations) {
      for (const [first] of spy.mock.calls) {
        const key = `${kind}:${String(first)}`;
        if (kind === 'event' && NOT_A_PERSONS_ACTION.has(String(first))) continue;
        if (!covered.has(key)) untried.push(key);
      }
    }
    // A command's sub-commands, as the manifest offers them to Slack users (`help | setup | group …`); a
    // hint without alternatives is free text (`[title]`).
    const manifest = parse(readFileSync(path.resolve(import.meta.dirname, '../../../manifest.yml'), 'utf8'));
    for (const { command, usage_hint } of manifest.features.slash_commands as {
      command: string;
      usage_hint: string;
    }[]) {
      if (!usage_hint.includes('|')) continue;
      const words = usage_hint
        .replace(/^\[|\]$/g, '')
        .split('|')
        .map((part) => part.trim().split(/\s+/)[0] ?? '')
        .filter((word) => /^[a-z]+$/.test(word));
      for (const word of words) {
        if (!CASES.some((c) => c.name.startsWith(`${command} ${word}`))) untried.push(`${command} ${word}`);
      }
    }
    expect(untried).toEqual([]);
    expect(tried).toBe(CASES.length * ROLES.length);
    console.info(
      `authorization matrix: ${CASES.length} interactions × ${ROLES.length} roles = ${tried} cases`,
    );
  });
});
