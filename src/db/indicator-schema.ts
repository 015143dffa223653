import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type RequiredInstant = ColumnType<Date, Date | string, Date | string>;

export type IndicatorFrequency = 'weekly' | 'monthly';
export type IndicatorStatus = 'active' | 'retired';
export type IndicatorChangeKind = 'defined' | 'changed' | 'retired';

/** One of the coalition's shared indicators: what is tracked, in which unit, and how often. */
export interface IndicatorsTable {
  id: Generated<number>;
  team_id: string;
  /** "Households served". */
  name: string;
  /** "households": what one of the value is. */
  unit: string;
  up_is_better: boolean;
  /** False for a count: a value below 0 is refused. */
  negative_allowed: Generated<boolean>;
  target: number | null;
  /** The day the target is to be reached (YYYY-MM-DD). */
  target_date: string | null;
  frequency: IndicatorFrequency;
  status: Generated<IndicatorStatus>;
  created_by: string;
  created_at: RequiredInstant;
  updated_at: RequiredInstant;
  retired_at: Date | null;
}

/** Which work groups report an indicator. */
export interface IndicatorGroupsTable {
  team_id: string;
  indicator_id: number;
  work_group_id: number;
}

/** Every change to an indicator, with its fields as they stood after it. */
export interface IndicatorChangesTable {
  id: Generated<number>;
  indicator_id: number;
  team_id: string;
  kind: IndicatorChangeKind;
  actor_id: string;
  at: RequiredInstant;
  fields: ColumnType<Record<string, unknown>, string, string>;
}

/** A group's value of an indicator for one period (the Monday of its week, or the first of its month). */
export interface IndicatorValuesTable {
  id: Generated<number>;
  team_id: string;
  indicator_id: number;
  work_group_id: number;
  period_start: string;
  value: number;
  reported_by: string;
  reported_at: RequiredInstant;
  checkin_id: number | null;
}

/** Each value given for a group and period, a corrected one included. */
export interface IndicatorValueEventsTable {
  id: Generated<number>;
  value_id: number;
  team_id: string;
  value: number;
  reported_by: string;
  reported_at: RequiredInstant;
  checkin_id: number | null;
}

/** A chart's PNG, stored once by its content's hash, and the Slack file it was uploaded as. */
export interface ChartFilesTable {
  team_id: string;
  key: string;
  filename: string;
  title: string;
  png: Uint8Array;
  file_id: string | null;
  upload_lease_until: Date | null;
  uploaded_at: Date | null;
  created_at: RequiredInstant;
}

export interface IndicatorTables {
  chart_files: ChartFilesTable;
  indicators: IndicatorsTable;
  indicator_groups: IndicatorGroupsTable;
  indicator_changes: IndicatorChangesTable;
  indicator_values: IndicatorValuesTable;
  indicator_value_events: IndicatorValueEventsTable;
}

export type Indicator = Selectable<IndicatorsTable>;
export type NewIndicator = Insertable<IndicatorsTable>;
export type IndicatorValue = Selectable<IndicatorValuesTable>;
export type IndicatorChange = Selectable<IndicatorChangesTable>;
export type ChartFile = Selectable<ChartFilesTable>;
