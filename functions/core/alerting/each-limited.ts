/** The alerting code's name for the one concurrency limiter (`../map-limit.ts`, p-limit). */
export { mapLimit as eachLimited } from '../map-limit.js';
