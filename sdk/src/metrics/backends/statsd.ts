import { createSocket, type Socket } from 'node:dgram';
import { countDrop, DropReason, recordExportFailure, warnOnce } from '../../internal/diagnostics.js';
import type { MetricPoint } from '../collect.js';
import type { MetricsBackend } from './backend.js';

const MAX_DATAGRAM = 1432;

function clean(text: string): string {
  return text.replace(/[|,#\n:@]/g, '_');
}

/** DogStatsD lines: `name:value|c|#k:v`, gauges `|g`, histogram values `|h` (or `|ms` for unit ms). */
export function toStatsdLines(points: readonly MetricPoint[]): string[] {
  const lines: string[] = [];
  for (const p of points) {
    const tags = Object.entries(p.tags).map(([k, v]) => `${clean(k)}:${v.replace(/[|,#\n]/g, '_')}`);
    const suffix = tags.length ? `|#${tags.join(',')}` : '';
    const name = clean(p.name);
    if (p.type === 'counter') lines.push(`${name}:${p.value}|c${suffix}`);
    else if (p.type === 'gauge') lines.push(`${name}:${p.value}|g${suffix}`);
    else {
      const type = p.unit === 'ms' ? 'ms' : 'h';
      for (const v of p.values ?? []) lines.push(`${name}:${v}|${type}${suffix}`);
    }
  }
  return lines;
}

/** Joins lines into datagrams no larger than a safe UDP payload. */
export function packDatagrams(lines: readonly string[], max = MAX_DATAGRAM): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > max) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

/** UDP to a StatsD / DogStatsD agent. Send errors are counted, never thrown. */
export function statsdBackend(host: string, port: number): MetricsBackend {
  let socket: Socket | undefined;
  let inFlight = 0;
  let idle: Array<() => void> = [];
  const getSocket = (): Socket => {
    if (socket) return socket;
    socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', (error) => {
      recordExportFailure(`statsd: ${error.message}`);
      warnOnce('statsd-error', `statsd ${host}:${port}: ${error.message}`);
    });
    socket.unref();
    return socket;
  };
  const settle = (): void => {
    if (--inFlight === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  };
  return {
    name: 'statsd',
    push(points) {
      const lines = toStatsdLines(points);
      for (const datagram of packDatagrams(lines)) {
        inFlight++;
        getSocket().send(datagram, port, host, (error) => {
          if (error) {
            countDrop('metric', DropReason.rejected, datagram.split('\n').length);
            recordExportFailure(`statsd: ${error.message}`);
          }
          settle();
        });
      }
    },
    flush: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    async close() {
      if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      socket?.close();
      socket = undefined;
    },
  };
}
