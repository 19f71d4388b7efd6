import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: `npm start` as a real process, real HTTP, Chromium for the dashboard.
export default defineConfig({
  test: {
    globalSetup: ['test/support/build-dashboard.ts'],
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
