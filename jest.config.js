/** Jest projects: fast unit suites per package, and e2e suites against real components. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/{core,vvp-client,emulator,provider,sdk,operator}/test/**/*.test.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
    },
  ],
};
