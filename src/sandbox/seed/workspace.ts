import type { FakeChannel, FakeSlack, FakeUser } from '../emulator/fake-slack.js';

/** The sandbox coalition's people: ten, across six time zones, with the roles their channels give them. */
export const PEOPLE = {
  amara: 'UAMARA', // backbone coordinator, workspace owner
  diego: 'UDIEGO', // backbone and Core
  priya: 'UPRIYA', // Core, Food Access representative
  sam: 'USAM', // Food Access
  lena: 'ULENA', // Food Access, in Berlin
  tomas: 'UTOMAS', // Core, Housing representative
  kofi: 'UKOFI', // Housing, in London
  rosa: 'UROSA', // Housing
  grace: 'UGRACE', // Core, Youth Jobs representative
  jamal: 'UJAMAL', // Youth Jobs
} as const;

export const CHANNELS = {
  general: 'CGENERAL',
  backbone: 'CBACKBONE',
  core: 'CCORE',
  food: 'CFOOD',
  housing: 'CHOUSING',
  youth: 'CYOUTH',
} as const;

const p = PEOPLE;

export const SANDBOX_USERS: readonly FakeUser[] = [
  { id: p.amara, name: 'amara', realName: 'Amara Okafor', tz: 'America/New_York', isOwner: true },
  { id: p.diego, name: 'diego', realName: 'Diego Ramírez', tz: 'America/Chicago', isAdmin: true },
  { id: p.priya, name: 'priya', realName: 'Priya Shah', tz: 'America/Los_Angeles' },
  { id: p.sam, name: 'sam', realName: 'Sam Lee', tz: 'America/Los_Angeles' },
  { id: p.lena, name: 'lena', realName: 'Lena Fischer', tz: 'Europe/Berlin' },
  { id: p.tomas, name: 'tomas', realName: 'Tomás Silva', tz: 'America/Chicago' },
  { id: p.kofi, name: 'kofi', realName: 'Kofi Mensah', tz: 'Europe/London' },
  { id: p.rosa, name: 'rosa', realName: 'Rosa Díaz', tz: 'America/Denver' },
  { id: p.grace, name: 'grace', realName: 'Grace Kim', tz: 'America/New_York' },
  { id: p.jamal, name: 'jamal', realName: 'Jamal Wright', tz: 'America/New_York' },
];

export const SANDBOX_CHANNELS: readonly FakeChannel[] = [
  { id: CHANNELS.general, name: 'general', members: Object.values(p) },
  { id: CHANNELS.backbone, name: 'backbone', isPrivate: true, members: [p.amara, p.diego] },
  { id: CHANNELS.core, name: 'core', members: [p.diego, p.priya, p.tomas, p.grace] },
  { id: CHANNELS.food, name: 'food-access', members: [p.priya, p.sam, p.lena] },
  { id: CHANNELS.housing, name: 'housing', members: [p.tomas, p.kofi, p.rosa] },
  { id: CHANNELS.youth, name: 'youth-jobs', members: [p.grace, p.jamal, p.amara] },
];

/** A person's own time zone, as Slack's profile gives it. */
export function tzOf(userId: string): string {
  return SANDBOX_USERS.find((u) => u.id === userId)?.tz ?? 'America/New_York';
}

/** Puts the people and channels into the emulated workspace, with the app invited where it works. */
export function seedSlackWorkspace(fake: FakeSlack): void {
  for (const user of SANDBOX_USERS) fake.addUser(user);
  fake.addUser({ id: fake.botUserId, name: 'concert', realName: 'Concert', isBot: true });
  for (const channel of SANDBOX_CHANNELS) {
    const invited = channel.id !== CHANNELS.general;
    fake.addChannel({
      ...channel,
      members: invited ? [...channel.members, fake.botUserId] : [...channel.members],
      botIsMember: invited,
    });
  }
}
