import { createWriteStream } from 'node:fs';
import { type Env, EnvVar, envBool, envString, oneOf, pick, processEnv } from '../config/env.js';
import { applyConnectionOptions, type ConnectionOptions } from '../config/resource.js';
import { warnOnce } from '../internal/diagnostics.js';
import { registerFlushable } from '../lifecycle/shutdown.js';
import { LogLevel, type LogLevelName, LogLevelNames } from './levels.js';
import { logState } from './state.js';
import { flushStdout } from './stdout-buffer.js';

export interface LoggingOptions extends ConnectionOptions {
  /** Lowest level written. @default VIGIL_LOG_LEVEL, else 'info' */
  readonly level?: LogLevelName;
  /** JSON lines (true) or human-readable lines (false). @default VIGIL_LOG_JSON, else true */
  readonly json?: boolean;
  /** Write to stdout. @default VIGIL_LOG_CONSOLE, else true */
  readonly console?: boolean;
  /** Also append to this file. @default VIGIL_LOG_FILE, else none */
  readonly file?: string;
  /** Ship logs to Vigil's `/v1/ingest` in batches. @default VIGIL_LOG_SHIP, else false */
  readonly ship?: boolean;
}

export interface ResolvedLoggingSettings {
  readonly level: LogLevelName;
  readonly json: boolean;
  readonly console: boolean;
  readonly file: string | undefined;
  readonly ship: boolean;
}

export function resolveLoggingSettings(options: LoggingOptions, env: Env): ResolvedLoggingSettings {
  return {
    level: pick(
      oneOf('level', options.level, LogLevelNames),
      oneOf(EnvVar.logLevel, envString(env, EnvVar.logLevel)?.toLowerCase(), LogLevelNames),
      'info',
    ),
    json: pick(options.json, envBool(env, EnvVar.logJson), true),
    console: pick(options.console, envBool(env, EnvVar.logConsole), true),
    file: options.file ?? envString(env, EnvVar.logFile),
    ship: pick(options.ship, envBool(env, EnvVar.logShip), false),
  };
}

let openFile: string | undefined;

/**
 * Configures logging. Can be called again; the latest call wins. Never throws.
 * @example
 * configureLogging({ level: 'info', json: true, console: true, file: 'service.log', serviceName: 'checkout' });
 */
export function configureLogging(options: LoggingOptions = {}, env: Env = processEnv()): ResolvedLoggingSettings {
  applyConnectionOptions(options, env);
  const settings = resolveLoggingSettings(options, env);
  logState.level = LogLevel[settings.level];
  logState.json = settings.json;
  logState.console = settings.console;
  logState.ship = settings.ship;
  if (settings.file !== openFile) {
    logState.file?.end();
    logState.file = undefined;
    openFile = settings.file;
    if (settings.file) {
      try {
        const stream = createWriteStream(settings.file, { flags: 'a' });
        stream.on('error', (error) => {
          warnOnce(`log-file:${settings.file}`, `log file ${settings.file}: ${error.message}; file output disabled`);
          if (logState.file === stream) logState.file = undefined;
        });
        logState.file = stream;
      } catch (error) {
        warnOnce(`log-file:${settings.file}`, `log file ${settings.file}: ${String(error)}`);
      }
    }
  }
  return settings;
}

function drainFile(timeoutMs: number): Promise<void> {
  flushStdout();
  const file = logState.file;
  if (!file || file.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    // An empty write's callback runs once everything written before it is flushed.
    file.write('', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

registerFlushable({
  name: 'logs',
  stage: 30,
  flush: drainFile,
  async shutdown(timeoutMs) {
    await drainFile(timeoutMs);
  },
});
