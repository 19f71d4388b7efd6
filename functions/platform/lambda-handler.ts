import type { FunctionEnv } from './config.js';

/**
 * The export Lambda runs: the handler factory applied to `process.env`, built at the first invocation
 * (the cold start) and kept. Building lazily means importing a handler module builds nothing, so local
 * mode and tests can import `createHandler` and call it with an environment of their own.
 */
export function lambdaHandler<A extends unknown[], R>(
  create: (env: FunctionEnv) => (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let built: ((...args: A) => Promise<R>) | undefined;
  return (...args) => {
    built ??= create(process.env);
    return built(...args);
  };
}
