import type { MetricsBackend } from './backend.js';

/** One JSON line per point on stdout; for development. */
export function consoleBackend(write: (line: string) => void = (l) => process.stdout.write(l)): MetricsBackend {
  return {
    name: 'console',
    push(points) {
      const timestamp = new Date().toISOString();
      for (const point of points) write(`${JSON.stringify({ timestamp, metric: point })}\n`);
    },
  };
}
