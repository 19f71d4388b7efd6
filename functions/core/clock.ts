/** The clock is a parameter of the domain, so tests can pin time. Epoch milliseconds. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
