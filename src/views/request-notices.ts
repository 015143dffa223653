/** Said to a person whose request Concert has nothing to do with (an old button, a form it no longer has). */
export const UNHANDLED_NOTICE =
  'Concert doesn’t know what to do with that any more, so nothing was changed. It may be from an old message or form: try again from a fresh one, or type `/concert help`.';

/** Said to a person whose request Concert could not finish within Slack’s three seconds (its database is slow or down). */
export const LATE_NOTICE =
  'Concert couldn’t finish that in time, so it may not have been done. Please check, and try again in a minute.';
