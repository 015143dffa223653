import type { ModalView } from '@slack/types';
import type { DeletedRows } from '../db/workspace-data.js';
import { section } from './blocks.js';
import { DATA_DELETION } from './ids.js';
import { textInput } from './inputs.js';
import { escapeMrkdwn, plain } from './text.js';

/** What the form carries to its submission: the name the person was asked to type. */
export interface DataDeletionMetadata {
  workspaceName: string;
}

/**
 * `/concert delete-data`: what is deleted and what is not, then the workspace's name to type (the confirmation
 * GitHub and Slack ask for before anything that cannot be undone).
 */
export function dataDeletionModal(workspaceName: string): ModalView {
  const name = escapeMrkdwn(workspaceName);
  const metadata: DataDeletionMetadata = { workspaceName };
  return {
    type: 'modal',
    callback_id: DATA_DELETION.CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain('Delete all data', 24),
    submit: plain('Delete everything', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        `This deletes everything Concert keeps for *${name}*: action steps and their history, check-ins, proposals, votes and decisions, work groups, the people Concert knows, its settings and the messages it has yet to send. *It cannot be undone.*`,
      ),
      section(
        'To keep the records, run `/concert export` first: the CSV files come to your DM. Messages Concert already posted stay in Slack, and Concert stays installed until someone removes it from the workspace’s apps.',
      ),
      textInput(
        DATA_DELETION.NAME,
        `Type the workspace’s name, ${workspaceName}, to confirm`,
        undefined,
        200,
      ),
    ],
  };
}

/** The form once confirmed, while the deletion runs; the outcome follows in the person's DM. */
export function dataDeletionStartedModal(workspaceName: string): ModalView {
  return {
    type: 'modal',
    title: plain('Delete all data', 24),
    close: plain('Close', 24),
    blocks: [
      section(
        `Deleting all of Concert’s data for *${escapeMrkdwn(workspaceName)}*. Concert will tell you in your DM when it is done.`,
      ),
    ],
  };
}

const COUNTED: ReadonlyArray<readonly [keyof DeletedRows, string, string]> = [
  ['action_steps', 'action step', 'action steps'],
  ['checkins', 'check-in', 'check-ins'],
  ['proposals', 'proposal', 'proposals'],
  ['work_groups', 'work group', 'work groups'],
  ['people', 'person', 'people'],
];

/** The DM that says the deletion is done, with what it deleted in the coalition's words. */
export function dataDeletedText(workspaceName: string, deleted: DeletedRows): string {
  const counts = COUNTED.flatMap(([table, one, many]) => {
    const n = deleted[table] ?? 0;
    return n > 0 ? [`${n.toLocaleString('en-US')} ${n === 1 ? one : many}`] : [];
  });
  const what = counts.length > 0 ? ` (${counts.join(', ')}, and everything that went with them)` : '';
  return `All of Concert’s data for *${escapeMrkdwn(workspaceName)}* is deleted${what}. Concert is still installed: run \`/concert setup\` to start again, or remove the app from the workspace’s apps.`;
}

/** The DM when the deletion failed: nothing or everything is deleted (one transaction), so it can be run again. */
export function dataDeletionFailedText(workspaceName: string): string {
  return `Deleting Concert’s data for *${escapeMrkdwn(workspaceName)}* failed, and nothing was deleted. Run \`/concert delete-data\` again; if it keeps failing, tell whoever runs Concert’s server.`;
}
