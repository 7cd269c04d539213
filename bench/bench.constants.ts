/** The HS256 secret every benchmark signs and verifies with. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** Environment of the benchmarked API: a fixed secret and no throttling in the way. */
export const BENCH_ENVIRONMENT = {
  NODE_ENV: 'test',
  JWT_SECRET: BENCH_SECRET,
  JWT_ISSUER: 'nestkit-bench',
  JWT_AUDIENCE: 'nestkit-bench-api',
  LOGIN_THROTTLE_LIMIT: '100000000',
  AUTH_THROTTLE_LIMIT: '100000000',
};
