// The integration suite (`npm run test:integration`, run by .ci/run after `npm test`): tests that
// start servers, spawn many processes, generate hundreds of teams or run the unit suite in a copy
// of the repository. Same transform, setup and accounts/ guard as the unit suite (jest.config.js).
const unit = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ["<rootDir>/test/integration"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 600000,
};
