import { followChannels } from '../../services/membership.js';
import { saveSetup } from '../../services/setup.js';
import { saveWorkGroup } from '../../services/work-groups.js';
import { setupDoneMessage } from '../../views/setup-done.js';
import { workGroupSavedMessage } from '../../views/work-group-list.js';
import { dayAt, type SeedContext, type SeedEvent } from './context.js';
import { CHANNELS, PEOPLE } from './workspace.js';

/** The work groups, with when each checks in: Tuesday, Wednesday and Thursday, in different zones. */
export const WORK_GROUPS = [
  {
    name: 'Food Access',
    channelId: CHANNELS.food,
    weekday: 2,
    time: '10:00',
    tzMode: 'member',
    tz: 'America/Los_Angeles',
    reminderHours: 24,
    closeHours: 48,
  },
  {
    name: 'Housing',
    channelId: CHANNELS.housing,
    weekday: 3,
    time: '09:30',
    tzMode: 'group',
    tz: 'America/Chicago',
    reminderHours: 24,
    closeHours: 48,
  },
  {
    name: 'Youth Jobs',
    channelId: CHANNELS.youth,
    weekday: 4,
    time: '14:00',
    tzMode: 'group',
    tz: 'America/New_York',
    reminderHours: 24,
    closeHours: 48,
  },
] as const;

function unwrap<T>(
  result: { ok: true; value: T } | { ok: false; errors?: object; reason?: string },
  what: string,
): T {
  if (!result.ok)
    throw new Error(`the sandbox seed could not ${what}: ${JSON.stringify(result.errors ?? result.reason)}`);
  return result.value;
}

/**
 * Four weeks ago the coordinator set Concert up and the backbone added the three work groups, through the
 * same services the setup and work group forms use; the backbone channel shows the messages it posted.
 */
export function seedCoalition(context: SeedContext): SeedEvent[] {
  const setUpAt = dayAt(context, -28);
  return [{ at: setUpAt, run: () => setUp(context, setUpAt) }];
}

async function setUp(context: SeedContext, setUpAt: Date): Promise<void> {
  const { db, fake, directory, teamId } = context;
  const workspace = unwrap(
    await saveSetup(
      db,
      directory,
      teamId,
      PEOPLE.amara,
      {
        coreChannelId: CHANNELS.core,
        backboneChannelId: CHANNELS.backbone,
        defaultTz: 'America/New_York',
        workdayStart: '09:00',
        workdayEnd: '17:00',
        workingDays: [1, 2, 3, 4, 5],
      },
      setUpAt,
    ),
    'set Concert up',
  );
  const synced = await followChannels(db, directory, teamId, [CHANNELS.core, CHANNELS.backbone], setUpAt);
  const done = setupDoneMessage(workspace, PEOPLE.amara, synced);
  fake.postAs(fake.botUserId, CHANNELS.backbone, done.text, { at: setUpAt, blocks: done.blocks });

  for (const [i, group] of WORK_GROUPS.entries()) {
    const at = new Date(setUpAt.getTime() + (i + 1) * 10 * 60_000);
    const saved = unwrap(
      await saveWorkGroup(db, directory, teamId, PEOPLE.amara, { id: null, ...group }, at),
      `add ${group.name}`,
    );
    const [members] = await followChannels(db, directory, teamId, [group.channelId], at);
    const message = workGroupSavedMessage(saved.group, PEOPLE.amara, true, members?.members);
    fake.postAs(fake.botUserId, CHANNELS.backbone, message.text, { at, blocks: message.blocks });
  }
}
