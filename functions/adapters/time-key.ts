/**
 * The one sort-key time encoding of every table: epoch milliseconds, zero-padded to 13 digits, so string
 * order is time order (13 digits last until the year 2286; Vigil refuses times past 2100).
 */
export const timeKey = (ms: number): string => String(Math.max(0, Math.floor(ms))).padStart(13, '0');
