import { defineConfig } from 'vitest/config';

// `npm test`: unit, integration (embedded dynalite), infra (CDK + cdk-nag) and the SDK's own tests.
export default defineConfig({
  test: {
    globalSetup: ['test/support/build-dashboard.ts'],
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/infra/**/*.test.ts',
      'sdk/test/**/*.test.ts',
    ],
    // Generous: CI runs on a loaded 2-core machine (a whole-app CDK synth took over 20 s there). Tests assert
    // correctness only; speed is measured by `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
  },
});
