import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { type IndicatorField, saveIndicator } from '../../services/indicators.js';
import { mayActAsBackbone } from '../../services/roles.js';
import { INDICATOR } from '../../views/ids.js';
import { indicatorSavedText } from '../../views/indicators.js';
import { refusalText } from '../../views/refusals.js';
import { INDICATORS_WHAT } from '../commands/indicators.js';
import type { ListenerDeps } from '../deps.js';
import { teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { tellUser } from '../reply.js';
import { blockErrors, stateReader } from './state.js';

const FIELD_BLOCKS: Record<IndicatorField, { block: string; action: string }> = {
  name: INDICATOR.NAME,
  unit: INDICATOR.UNIT,
  direction: INDICATOR.DIRECTION,
  target: INDICATOR.TARGET,
  targetDate: INDICATOR.TARGET_DATE,
  frequency: INDICATOR.FREQUENCY,
  groups: INDICATOR.GROUPS,
  status: INDICATOR.STATUS,
};

function idOf(privateMetadata: string | undefined): number | null {
  try {
    const id = (JSON.parse(privateMetadata || '{}') as { id?: unknown }).id;
    return typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** The indicator form: defined, changed or retired by a backbone member, every change kept. */
export function indicatorSubmitted(deps: ListenerDeps) {
  return async ({
    ack,
    view,
    body,
    client,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const permission = await mayActAsBackbone(deps.db, teamId, userId);
    if (!permission.allowed) {
      await ack({
        response_action: 'errors',
        errors: { [INDICATOR.NAME.block]: refusalText(permission, INDICATORS_WHAT) },
      });
      return;
    }
    const read = stateReader(view.state.values);
    const id = idOf(view.private_metadata);
    const saved = await saveIndicator(
      deps.db,
      teamId,
      userId,
      {
        id,
        name: read.text(INDICATOR.NAME),
        unit: read.text(INDICATOR.UNIT),
        direction: read.option(INDICATOR.DIRECTION),
        negativeAllowed: read.options(INDICATOR.NEGATIVE).includes('yes'),
        target: read.text(INDICATOR.TARGET),
        targetDate: read.date(INDICATOR.TARGET_DATE),
        frequency: read.option(INDICATOR.FREQUENCY),
        groupIds: read.options(INDICATOR.GROUPS),
        // A new indicator's form has no status: it is reported.
        status: id === null ? 'active' : read.option(INDICATOR.STATUS),
      },
      deps.clock(),
      viewOnce(teamId, view),
    );
    if (!saved.ok) {
      await ack(
        saved.reason === 'repeat'
          ? undefined
          : { response_action: 'errors', errors: blockErrors(saved.errors, FIELD_BLOCKS) },
      );
      return;
    }
    await ack();
    const { indicator, created, retired } = saved.value;
    await tellUser({ client, userId }, indicatorSavedText(indicator, created, retired));
  };
}
