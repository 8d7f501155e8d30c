/** Jest configuration of the operator benchmark (not part of `npm test`): `jest --config bench/operator/jest.config.js`. */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testMatch: ['<rootDir>/bench/operator/**/*.bench.ts'],
  testTimeout: 30 * 60_000,
};
