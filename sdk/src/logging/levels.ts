export const LogLevel = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
} as const;
export type LogLevelName = keyof typeof LogLevel;
export const LogLevelNames = Object.keys(LogLevel) as LogLevelName[];
