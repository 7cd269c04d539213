// Shared Jest settings for every project: Nx's preset, compiled with SWC (decorator
// metadata on, as Nest needs), a Node environment, and one MongoDB-compatible server per
// Jest run, started by the global setup and stopped by the global teardown.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: `${__dirname}/libs/auth/src/testing/jest/global-setup.ts`,
  globalTeardown: `${__dirname}/libs/auth/src/testing/jest/global-teardown.ts`,
};
