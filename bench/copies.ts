import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { TEAM_ID } from './coalition.js';

/**
 * Grows the seeded coalition to `copies` times its size inside the database, with one
 * `insert … select … from generate_series` per table: copy k of every work group, member, round, check-in,
 * action step, event and outbox row, with ids offset by k times the table's largest, Slack ids (members,
 * group channels, DMs) suffixed `x{k}`, and every dedupe key naming the copy's own round, check-in or step.
 * The backbone, the Core channel and the proposals stay one. Copy k's history is the same as the first's,
 * so every tick and every figure does `copies` times the work.
 */
export async function multiplyCoalition(db: Db, copies: number): Promise<void> {
  if (copies <= 1) return;
  const max = async (table: string) => {
    const { rows } = await sql<{
      m: number;
    }>`select coalesce(max(id), 0)::int as m from ${sql.table(table)}`.execute(db);
    return rows[0]?.m ?? 0;
  };
  const groups = await max('work_groups');
  const rounds = await max('checkin_rounds');
  const checkins = await max('checkins');
  const steps = await max('action_steps');
  const events = await max('action_step_events');
  const outbox = await max('outbox');
  const slack = (column: string) =>
    `case when ${column} ~ '^(CGROUP|U[0-9]|DU[0-9])' then ${column} || 'x' || k else ${column} end`;
  const keyPart = (n: number, offset: number) => `split_part(dedupe_key, ':', ${n})::int + k * ${offset}`;
  const rest = `substring(dedupe_key from position(':' in dedupe_key))`;
  const plan: [string, Record<string, string>, string?][] = [
    ['work_groups', { id: `id + k * ${groups}`, name: `name || ' ' || k`, channel_id: slack('channel_id') }],
    ['people', { user_id: slack('user_id') }, `user_id ~ '^U[0-9]'`],
    [
      'channel_members',
      { user_id: slack('user_id'), channel_id: slack('channel_id') },
      `user_id ~ '^U[0-9]'`,
    ],
    ['away_notices', { user_id: slack('user_id') }],
    ['checkin_rounds', { id: `id + k * ${rounds}`, work_group_id: `work_group_id + k * ${groups}` }],
    [
      'checkins',
      {
        id: `id + k * ${checkins}`,
        round_id: `round_id + k * ${rounds}`,
        work_group_id: `work_group_id + k * ${groups}`,
        user_id: slack('user_id'),
      },
    ],
    [
      'action_steps',
      {
        id: `id + k * ${steps}`,
        owner_id: slack('owner_id'),
        created_by: slack('created_by'),
        work_group_id: `work_group_id + k * ${groups}`,
        source_ref: `case when source_ref like 'checkin:%' then 'checkin:' || (split_part(source_ref, ':', 2)::int + k * ${checkins}) else source_ref end`,
      },
    ],
    [
      'action_step_events',
      {
        id: `id + k * ${events}`,
        action_step_id: `action_step_id + k * ${steps}`,
        actor_id: slack('actor_id'),
        work_group_id: `work_group_id + k * ${groups}`,
      },
    ],
    [
      'outbox',
      {
        id: `id + k * ${outbox}`,
        action_step_id: `action_step_id + k * ${steps}`,
        channel_id: slack('channel_id'),
        message_channel: slack('message_channel'),
        dedupe_key: `case
          when kind = 'checkin_summary' then (${keyPart(1, rounds)})::text
          when kind in ('checkin_prompt', 'checkin_reminder', 'checkin_closed')
            then (${keyPart(1, rounds)}) || ':' || split_part(dedupe_key, ':', 2) || 'x' || k
              || coalesce(nullif(':' || split_part(dedupe_key, ':', 3), ':'), '')
          when kind = 'checkin_report' then (${keyPart(1, checkins)})::text
          when kind = 'checkin_support' then (${keyPart(1, checkins)}) || ${rest}
          when action_step_id is not null then (${keyPart(1, steps)}) || ${rest}
          else dedupe_key end`,
      },
      `kind <> 'proposal' and channel_id <> 'CCORE'`,
    ],
  ];
  for (const [table, replace, where] of plan) {
    const { rows } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
    const columns = rows.map((r) => r.column_name);
    const list = columns.map((c) => `"${c}"`).join(', ');
    const values = columns.map((c) => replace[c] ?? `"${c}"`).join(', ');
    const filter = [`team_id = '${TEAM_ID}'`, where].filter(Boolean).join(' and ');
    await sql
      .raw(
        `insert into ${table} (${list}) overriding system value
         select ${values} from ${table}, generate_series(1, ${copies - 1}) as k where ${filter}`,
      )
      .execute(db);
    if (replace.id)
      await sql
        .raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`)
        .execute(db);
  }
}
