/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without type-checking; `npm test` runs tsc --noEmit once for the whole tree.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  globalSetup: "<rootDir>/test/global-setup.js",
  testTimeout: 60000,
};
