import type { Position, ProposalOutcome } from '../db/schema.js';

/**
 * The formal consensus rule, as a pure function. Shares are exact fractions, never floats: a quorum of ⅔
 * of 9 voters is 6, and 0.6666… × 9 must not round to 5.999… and let 5 votes through.
 */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export const DEFAULT_QUORUM: Ratio = { num: 2, den: 3 };
export const DEFAULT_STAND_ASIDE_LIMIT: Ratio = { num: 1, den: 3 };

/** 'n/d' as stored in settings; undefined for anything else. */
export function parseRatio(text: string | null | undefined): Ratio | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match) return undefined;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return den > 0 && num <= den ? { num, den } : undefined;
}

export interface Tally {
  readonly support: number;
  readonly standAside: number;
  readonly block: number;
}

export function tallyOf(positions: readonly Position[]): Tally {
  const count = (p: Position) => positions.filter((x) => x === p).length;
  return { support: count('support'), standAside: count('stand_aside'), block: count('block') };
}

export interface ConsensusRules {
  /** Eligible voters: the Core when the proposal opened. */
  readonly eligible: number;
  readonly quorum: Ratio;
  readonly standAsideLimit: Ratio;
}

export interface Decision {
  readonly outcome: ProposalOutcome;
  readonly cast: number;
  readonly required: number;
}

/** In order: any Block blocks; too few votes is no quorum; too many stand-asides is no consensus. */
export function decide(tally: Tally, rules: ConsensusRules): Decision {
  const cast = tally.support + tally.standAside + tally.block;
  const required = requiredVotes(rules.eligible, rules.quorum);
  const outcome: ProposalOutcome =
    tally.block > 0
      ? 'blocked'
      : cast < required
        ? 'no_quorum'
        : // More than limit × cast, compared in whole numbers: standAside / cast > num / den.
          tally.standAside * rules.standAsideLimit.den > cast * rules.standAsideLimit.num
          ? 'no_consensus'
          : 'consensus';
  return { outcome, cast, required };
}

/** ⌈eligible × num / den⌉ in integer arithmetic, at least one. */
export function requiredVotes(eligible: number, quorum: Ratio): number {
  const product = eligible * quorum.num;
  return Math.max(1, Math.floor((product + quorum.den - 1) / quorum.den));
}
