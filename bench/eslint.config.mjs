import baseConfig from '../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The benchmarks measure the demo API itself, so they load it by path; nothing imports the benchmarks.
    files: ['**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
