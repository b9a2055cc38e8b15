/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/transform.js" },
  globalSetup: "<rootDir>/test/global-setup.js",
  testTimeout: 60000,
};
