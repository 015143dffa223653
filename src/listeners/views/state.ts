import type { ViewStateValue } from '@slack/bolt';

type Values = Record<string, Record<string, ViewStateValue>>;
type Ids = { readonly block: string; readonly action: string };

/** Readers for a submitted modal's state, one per kind of input element. */
export function stateReader(values: Values) {
  const at = (ids: Ids): ViewStateValue | undefined => values[ids.block]?.[ids.action];
  return {
    text: (ids: Ids) => at(ids)?.value ?? null,
    conversation: (ids: Ids) => at(ids)?.selected_conversation ?? at(ids)?.selected_channel ?? null,
    option: (ids: Ids) => at(ids)?.selected_option?.value ?? null,
    options: (ids: Ids) => (at(ids)?.selected_options ?? []).map((o) => o.value),
    time: (ids: Ids) => at(ids)?.selected_time ?? null,
    date: (ids: Ids) => at(ids)?.selected_date ?? null,
    user: (ids: Ids) => at(ids)?.selected_user ?? null,
  };
}

/**
 * What a form carries in its `private_metadata` (JSON, as its view wrote it); empty when there is none or it
 * is not JSON (a form Concert did not make), so each field reads as missing.
 */
export function viewMetadata<T>(raw: string | undefined): Partial<T> {
  try {
    return JSON.parse(raw || '{}') as Partial<T>;
  } catch {
    return {};
  }
}

/** Maps a service's field errors onto the modal's input blocks, the shape response_action 'errors' wants. */
export function blockErrors<Field extends string>(
  errors: Partial<Record<Field, string>>,
  blocks: Record<Field, Ids>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [Field, string | undefined][]) {
    if (message) result[blocks[field].block] = message;
  }
  return result;
}
