import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../src/sandbox/clock.js';
import { SandboxScheduler } from '../../src/sandbox/scheduler.js';
import type { Job } from '../../src/scheduler/jobs.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.destroy());

describe('the sandbox scheduler', () => {
  it('never goes back over slots it has run when a jump’s target has already passed', async () => {
    const ran: string[] = [];
    const everyMinute: Job = {
      name: 'tick',
      cron: '* * * * *',
      run: async (at) => {
        ran.push(at.toISOString().slice(11, 16));
      },
    };
    const clock = new SandboxClock(new Date('2026-11-23T15:00:00Z'));
    const scheduler = new SandboxScheduler(t.db, [everyMinute], clock, pino({ level: 'silent' }));
    await scheduler.advance(10);
    expect(ran).toEqual([
      '15:01',
      '15:02',
      '15:03',
      '15:04',
      '15:05',
      '15:06',
      '15:07',
      '15:08',
      '15:09',
      '15:10',
    ]);

    // An overdue deadline: the jump goes nowhere, and the slots already run stay run.
    await scheduler.advanceTo(new Date('2026-11-23T15:03:00Z'), 'tick');
    // With the run records gone, only the scheduler itself can keep a slot from running twice.
    await t.db.deleteFrom('scheduler_runs').execute();
    ran.length = 0;
    await scheduler.advance(1);
    expect(ran).toEqual(['15:11']);
    await scheduler.stop();
  });
});
