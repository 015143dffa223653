import type { StepFigures } from '../../src/services/follow-through.js';

/**
 * The step figures a period should show, in the order the digest reads them: due, done on time, done late,
 * overdue, renegotiated, dropped; follow-through is done on time over due (null when nothing was due).
 */
export function stepFigures(
  due: number,
  doneOnTime: number,
  doneLate: number,
  overdue: number,
  renegotiated = 0,
  dropped = 0,
): StepFigures {
  return {
    due,
    doneOnTime,
    doneLate,
    overdue,
    renegotiated,
    dropped,
    followThrough: due === 0 ? null : doneOnTime / due,
  };
}
