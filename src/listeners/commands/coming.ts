import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';

/**
 * `/checkin` and `/propose` are declared in the manifest with the rest, so Slack offers them; until their
 * flows exist they answer truthfully instead of timing out.
 */
export function notYetCommand(what: string, meanwhile: string) {
  return async ({ ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack({
      response_type: 'ephemeral',
      text: `${what} aren’t available in this version of Concert yet. ${meanwhile}`,
    });
  };
}
