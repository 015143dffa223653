import { createHash } from 'node:crypto';
import type { Once } from '../db/interaction-effects.js';

interface ViewLike {
  id: string;
  hash?: string | undefined;
}

interface ActionBody {
  user: { id: string };
  container?: { type?: string; message_ts?: string; channel_id?: string; view_id?: string } | undefined;
  channel?: { id?: string } | undefined;
  message?: { ts?: string; text?: string; blocks?: unknown } | undefined;
  view?: ViewLike | undefined;
}

interface ActionLike {
  action_id: string;
  block_id: string;
  value?: string | undefined;
  selected_option?: { value?: string } | undefined;
}

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/**
 * One submission of a form: the view's id and hash. Slack keeps both while the form is open and changes
 * the hash whenever Concert updates the view, so the same form as shown, submitted twice (a double click,
 * a retry, an answer too slow), is one submission; a form refused with field errors takes nothing, so the
 * corrected one goes through.
 */
export function viewOnce(teamId: string, view: ViewLike): Once {
  return { teamId, key: `view:${view.id}:${view.hash ?? ''}` };
}

/**
 * One click of a button or menu, by one person, on a surface as it was shown: the message (channel, ts,
 * and its text and blocks as Slack delivered them) or the view (id and hash), and the action (block,
 * action ID and value). Two clicks on the same rendering are the same click; once Concert updates the
 * message or view, a click on the new one is a new click.
 */
export function actionOnce(teamId: string, body: ActionBody, action: ActionLike): Once {
  const container = body.container ?? {};
  const surface =
    container.type === 'view' || (!container.message_ts && body.view)
      ? ['view', body.view?.id ?? container.view_id, body.view?.hash]
      : [
          'message',
          container.channel_id ?? body.channel?.id,
          container.message_ts ?? body.message?.ts,
          body.message?.text,
          body.message?.blocks,
        ];
  const chosen = action.selected_option?.value ?? action.value;
  return {
    teamId,
    key: `action:${body.user.id}:${digest([surface, action.block_id, action.action_id, chosen])}`,
  };
}
