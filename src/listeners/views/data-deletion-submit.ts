import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { deleteAllData } from '../../services/data-deletion.js';
import {
  type DataDeletionMetadata,
  dataDeletedText,
  dataDeletionFailedText,
  dataDeletionStartedModal,
} from '../../views/data-deletion.js';
import { DATA_DELETION } from '../../views/ids.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { tellUser } from '../reply.js';
import { stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The typed name checked; once it matches, the form says it is deleting and the outcome comes by DM. */
export function dataDeletionSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    // From a form Concert did not make the name is unknown, and nothing typed can match it.
    const workspaceName = viewMetadata<DataDeletionMetadata>(view.private_metadata).workspaceName ?? '';
    const fieldError = (error: string) =>
      ack({ response_action: 'errors', errors: { [DATA_DELETION.NAME.block]: error } });
    let acked = false;
    let outcome: Awaited<ReturnType<typeof deleteAllData>>;
    try {
      outcome = await deleteAllData(
        deps.db,
        {
          teamId,
          userId,
          typedName: stateReader(view.state.values).text(DATA_DELETION.NAME),
          workspaceName,
          confirmed: async () => {
            acked = true;
            await ack({ response_action: 'update', view: dataDeletionStartedModal(workspaceName) });
          },
          once: viewOnce(teamId, view),
        },
        deps.clock(),
      );
    } catch (error) {
      deps.log.error({ err: error, teamId }, 'deleting a workspace’s data failed');
      // Before the form closed it says so itself; after, the person hears in their DM. Nothing was deleted.
      if (!acked) await fieldError(dataDeletionFailedText(workspaceName));
      else await tellUser({ client, userId }, dataDeletionFailedText(workspaceName));
      return;
    }
    if ('reason' in outcome) {
      // The same form again: it closes (if still open), and the first one's DM stands.
      if (!acked) await ack();
      return;
    }
    if (outcome.status === 'refused') {
      await fieldError(refusalText(outcome.permission, 'delete the workspace’s data'));
      return;
    }
    if (outcome.status === 'not-confirmed') {
      await fieldError(outcome.error);
      return;
    }
    deps.log.info(
      { teamId, userId, deleted: outcome.deleted },
      'a backbone member deleted the workspace’s data',
    );
    await tellUser({ client, userId }, dataDeletedText(workspaceName, outcome.deleted));
  };
}
