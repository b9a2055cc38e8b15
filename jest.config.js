// The unit suite (`npm test`): fast checks of the framework against the fixture organizations under
// test/fixtures/organizations, never the repository's accounts/. Tests that start servers, spawn many
// processes or generate hundreds of teams live in test/integration (jest.integration.config.js,
// `npm run test:integration`).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/integration/"],
  transform: { "^.+\\.ts$": "<rootDir>/test/transform.js" },
  globalSetup: "<rootDir>/test/global-setup.js",
  // Fails a test that touches the repository's accounts/, in its own process or a child's.
  setupFilesAfterEnv: ["<rootDir>/test/jest-setup.js"],
  // jest's default leaves a core to itself (cores - 1: one worker on a 2-core machine); the tests
  // are CPU-bound and the parent process idles while they run.
  maxWorkers: "100%",
  testTimeout: 60000,
};
