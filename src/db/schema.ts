import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Instants: written as Date (or now() by default), read back as Date. */
type Instant = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredInstant = ColumnType<Date, Date | string, Date | string>;

export interface WorkspacesTable {
  team_id: string;
  core_channel_id: string | null;
  backbone_channel_id: string | null;
  default_tz: Generated<string>;
  workday_start_minute: Generated<number>;
  workday_end_minute: Generated<number>;
  /** ISO weekdays, Monday = 1. */
  working_days: Generated<number[]>;
  set_up_by: string | null;
  set_up_at: Date | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface PeopleTable {
  team_id: string;
  user_id: string;
  name: string;
  tz: string | null;
  is_bot: boolean;
  is_admin: boolean;
  is_owner: boolean;
  deleted: boolean;
  refreshed_at: RequiredInstant;
}

export type WorkGroupStatus = 'active' | 'ended';
export type TzMode = 'group' | 'member';

export interface WorkGroupsTable {
  id: Generated<number>;
  team_id: string;
  name: string;
  channel_id: string;
  status: Generated<WorkGroupStatus>;
  checkin_weekday: number;
  checkin_minute: number;
  tz_mode: TzMode;
  tz: string;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
  ended_at: Date | null;
}

export interface ChannelMembersTable {
  team_id: string;
  channel_id: string;
  user_id: string;
  joined_at: Instant;
}

export interface SlackDeliveriesTable {
  team_id: string;
  delivery_key: string;
  received_at: RequiredInstant;
}

export interface SchedulerRunsTable {
  team_id: Generated<string>;
  slot_key: string;
  instance_id: string;
  started_at: RequiredInstant;
  finished_at: Date | null;
}

export interface Database {
  workspaces: WorkspacesTable;
  people: PeopleTable;
  work_groups: WorkGroupsTable;
  channel_members: ChannelMembersTable;
  slack_deliveries: SlackDeliveriesTable;
  scheduler_runs: SchedulerRunsTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type NewWorkspace = Insertable<WorkspacesTable>;
export type WorkspaceUpdate = Updateable<WorkspacesTable>;
export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type WorkGroup = Selectable<WorkGroupsTable>;
export type NewWorkGroup = Insertable<WorkGroupsTable>;
export type WorkGroupUpdate = Updateable<WorkGroupsTable>;
