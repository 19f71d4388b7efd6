import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';

/**
 * Storage faults injected into a real DynamoDB client through the AWS SDK's middleware stack, below the
 * SDK's own retry middleware (so the SDK sees them as DynamoDB answers). A rule picks commands by name and
 * says what happens: the request fails before reaching DynamoDB (throttled, 5xx), or it reaches DynamoDB
 * and is applied, and then the answer is lost (a timeout after the write: the hardest case for a retry).
 */
/** `pass` lets the request through after running the rule's `run` (a slow call: the test advances its clock). */
export type Fault = 'throttle' | 'server-error' | 'timeout-before' | 'timeout-after' | 'pass';

export interface FaultRule {
  readonly command: RegExp;
  readonly fault: Fault;
  /** Runs when the rule fires, before the fault. */
  readonly run?: () => void;
  /** Only requests whose (marshalled) input, as JSON, matches. */
  readonly input?: RegExp;
  /** Let this many matching requests through before faulting. @default 0 */
  readonly skip?: number;
  /** Fault this many matching requests, then let everything through. @default Infinity */
  readonly times?: number;
}

export interface FaultInjector {
  /** Replaces the active rules. */
  set(rules: readonly FaultRule[]): void;
  /** Commands seen (name per request, faults included), since the last `reset`. */
  readonly seen: string[];
  readonly injected: { command: string; fault: Fault }[];
  reset(): void;
  configure(client: DynamoDBClient): void;
}

const meta = (status: number) => ({ $metadata: { httpStatusCode: status }, message: 'injected' });

function faultError(fault: Fault): Error {
  switch (fault) {
    case 'throttle':
      return new ProvisionedThroughputExceededException(meta(400));
    case 'server-error':
      return new InternalServerError(meta(500));
    default: {
      const error = new Error('socket timed out (injected)');
      error.name = 'TimeoutError';
      return error;
    }
  }
}

export function faultInjector(): FaultInjector {
  let rules: { rule: FaultRule; matched: number; faulted: number }[] = [];
  const seen: string[] = [];
  const injected: { command: string; fault: Fault }[] = [];
  return {
    seen,
    injected,
    set(next) {
      rules = next.map((rule) => ({ rule, matched: 0, faulted: 0 }));
    },
    reset() {
      rules = [];
      seen.length = 0;
      injected.length = 0;
    },
    configure(client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const command = String(context.commandName);
          seen.push(command);
          const active = rules.find(
            (r) =>
              r.rule.command.test(command) &&
              (!r.rule.input || r.rule.input.test(JSON.stringify((args as { input?: unknown }).input ?? {}))) &&
              r.matched++ >= (r.rule.skip ?? 0) &&
              r.faulted < (r.rule.times ?? Number.POSITIVE_INFINITY),
          );
          if (!active) return next(args);
          active.faulted++;
          injected.push({ command, fault: active.rule.fault });
          active.rule.run?.();
          if (active.rule.fault === 'pass') return next(args);
          if (active.rule.fault === 'timeout-after') {
            await next(args);
            throw faultError('timeout-after');
          }
          throw faultError(active.rule.fault);
        },
        { step: 'deserialize', name: 'injectStorageFaults', priority: 'high' },
      );
    },
  };
}
