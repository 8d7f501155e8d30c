/** Jest projects: fast unit suites per package, and e2e suites against real components. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
// generated SDK packages (sdks/nodejs and its build) are no modules of the tests
const modulePathIgnorePatterns = ['<rootDir>/sdks/'];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      modulePathIgnorePatterns,
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/{core,vvp-client,emulator,provider,sdk,operator}/test/**/*.test.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      modulePathIgnorePatterns,
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
    },
  ],
};
