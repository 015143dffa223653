/** The app's one source of the current time; tests and the sandbox substitute their own. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
