import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.cache/**', '.portal/**'],
    globalSetup: ['./core/testing/global-setup.ts'],
    // Timeouts catch hangs, not slowness: on two cores shared with a JVM (Neo4j, Kafka) and Chromium, a test that
    // takes 10 s alone can take 40 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only contend for them, and each PGlite costs memory.
    maxWorkers: 2,
  },
})
