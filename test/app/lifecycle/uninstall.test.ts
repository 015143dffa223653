import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { commitStep, PEOPLE, startCoalition } from '../../harness/coalition.js';
import { latestProposal, propose } from '../../harness/proposals.js';
import { fireSlot } from '../../harness/scheduler.js';

// Uninstalled, or its token revoked: every send stops at once and nothing is retried.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-23T15:00:00Z');
  await commitStep(t, PEOPLE.fay, 'Print the flyers', '2026-11-25');
  await commitStep(t, PEOPLE.finn, 'Call the county', '2026-11-25');
});
afterAll(() => t.stop());

const queued = () =>
  t.db
    .selectFrom('outbox')
    .select(['status', 'last_error'])
    .where('status', 'in', ['pending', 'sending'])
    .execute();
const workspace = () =>
  t.db.selectFrom('workspaces').select(['uninstalled_at', 'uninstall_reason']).executeTakeFirstOrThrow();

describe('a token Slack no longer takes', () => {
  it('stops the workspace’s sends in the same run, and cancels what was queued', async () => {
    // Two nudges are due at once; Slack answers the first with token_revoked.
    t.fake.failNext('chat.postMessage', { error: 'token_revoked' });
    const before = t.fake.callsTo('chat.postMessage').length;
    await fireSlot(t, 'nudges', new Date('2026-11-24T14:00:00Z'));
    expect(t.fake.callsTo('chat.postMessage').length - before).toBe(1);
    expect(await workspace()).toEqual({
      uninstalled_at: new Date('2026-11-24T14:00:00Z'),
      uninstall_reason: 'token_revoked',
    });
    expect(await queued()).toEqual([]);
    const rows = await t.db
      .selectFrom('outbox')
      .select(['kind', 'status', 'last_error'])
      .where('kind', '=', 'nudge_before')
      .execute();
    expect(rows.map((r) => `${r.status} ${r.last_error}`).sort()).toEqual([
      'cancelled token_revoked',
      'failed token_revoked',
    ]);
  });

  it('runs no job for the workspace until it works again', async () => {
    const before = t.fake.calls.length;
    for (const job of ['nudges', 'checkins', 'digest', 'reconcile-memberships'])
      await fireSlot(t, job, new Date('2026-11-30T15:00:00Z'));
    expect(t.fake.calls.slice(before)).toEqual([]);
    expect(await queued()).toEqual([]);
  });
});

describe('app_uninstalled and tokens_revoked events', () => {
  it('mark the workspace and cancel what is queued; a token revoked for users only changes nothing', async () => {
    await t.db.updateTable('workspaces').set({ uninstalled_at: null, uninstall_reason: null }).execute();
    await commitStep(t, PEOPLE.fay, 'Book the hall', '2026-12-09');
    await t.slack.event({ type: 'tokens_revoked', tokens: { oauth: [PEOPLE.fay] } });
    await t.settled();
    expect((await workspace()).uninstalled_at).toBeNull();

    await t.slack.event({ type: 'app_uninstalled' });
    await t.settled();
    expect(await workspace()).toMatchObject({ uninstall_reason: 'app_uninstalled' });
    const before = t.fake.calls.length;
    await fireSlot(t, 'nudges', new Date('2026-12-08T15:00:00Z'));
    expect(t.fake.calls.slice(before)).toEqual([]);

    await t.db.updateTable('workspaces').set({ uninstalled_at: null, uninstall_reason: null }).execute();
    await t.slack.event({ type: 'tokens_revoked', tokens: { bot: ['UBOT'] } });
    await t.settled();
    expect(await workspace()).toMatchObject({ uninstall_reason: 'tokens_revoked' });
  });
});

describe('a proposal of an uninstalled workspace', () => {
  it('is neither closed nor reminded about until Concert works there again', async () => {
    await t.db.updateTable('workspaces').set({ uninstalled_at: null, uninstall_reason: null }).execute();
    t.clock.set('2026-12-10T15:00:00Z');
    expect((await propose(t, PEOPLE.carl, 'Shared intake form')).body).toBe('');
    await t.settled();
    await t.slack.event({ type: 'app_uninstalled' });
    await t.settled();
    const before = t.fake.calls.length;
    // Past its reminder and its deadline (a week by default).
    await fireSlot(t, 'proposals', new Date('2026-12-20T15:00:00Z'));
    expect(t.fake.calls.slice(before)).toEqual([]);
    const proposal = await latestProposal(t);
    expect([proposal.status, proposal.reminded_at]).toEqual(['open', null]);

    await t.db.updateTable('workspaces').set({ uninstalled_at: null, uninstall_reason: null }).execute();
    await fireSlot(t, 'proposals', new Date('2026-12-20T15:01:00Z'));
    expect((await latestProposal(t)).status).not.toBe('open');
  });
});
