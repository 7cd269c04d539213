import fc from 'fast-check';
import { PASSWORD, registerAndLogin, startTestApi, type TestApi } from '../api.fixtures';

// Property-based fuzzing of every endpoint's body and of the Authorization header. Reproduce
// a failure with the seed fast-check prints: FUZZ_SEED=<seed> npx nx test api -t fuzz
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);

const operators = fc.constantFrom({ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, { $in: ['a'] });
const hostileValue = fc.oneof(
  fc.string(),
  fc.string({ minLength: 8, maxLength: 140 }),
  fc.emailAddress(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  operators,
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
);
const fields = fc.record(
  { email: hostileValue, password: hostileValue, refreshToken: hostileValue, token: hostileValue, role: hostileValue, __proto__: hostileValue },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: fields.map((value) => ({ json: value as unknown })) },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ json: value as unknown })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 64 }).map((raw) => ({ raw })) },
);
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 200 });

describe('fuzzing (e2e)', () => {
  let api: TestApi;
  let validAccessToken: string;
  const outcomes = new Map<string, { cases: number; serverErrors: number }>();

  beforeAll(async () => {
    api = await startTestApi('security_fuzz', { LOGIN_THROTTLE_LIMIT: '1000000', AUTH_THROTTLE_LIMIT: '1000000' });
    validAccessToken = (await registerAndLogin(api.http, 'fuzz-owner@example.com')).accessToken;
  });

  afterAll(async () => {
    const summary = [...outcomes].map(([route, { cases, serverErrors }]) => `${route}: ${cases} cases, ${serverErrors} 5xx`);
    process.stdout.write(`fuzz (seed ${SEED}):\n  ${summary.join('\n  ')}\n`);
    await api.close();
  });

  // Users are only ever inserted, so their count and newest id describe them; sessions are few, so all of them.
  async function databaseState(): Promise<string> {
    const users = api.db.connection.collection('users');
    const [count, newest, sessions] = await Promise.all([
      users.countDocuments(),
      users.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray(),
      api.db.connection.collection('refresh_tokens').find({}).toArray(),
    ]);
    return JSON.stringify({ count, newest, sessions });
  }

  function record(route: string, status: number): void {
    const outcome = outcomes.get(route) ?? { cases: 0, serverErrors: 0 };
    outcome.cases++;
    if (status >= 500) outcome.serverErrors++;
    outcomes.set(route, outcome);
  }

  it.each(['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout', '/auth/token/verify'])(
    `POST %s: ${RUNS} generated bodies, only 2xx/4xx, and a rejected one changes nothing`,
    async (path) => {
      await fc.assert(
        fc.asyncProperty(body, async (input) => {
          const before = await databaseState();
          const request = api.http.post(path).set('content-type', 'application/json');
          const response = await ('raw' in input ? request.send(input.raw) : request.send(JSON.stringify(input.json)));
          record(`POST ${path}`, response.status);

          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expect(await databaseState()).toBe(before);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    120_000,
  );

  it(`GET /me: ${RUNS} generated Authorization headers, only 200 for the genuine token and 401 otherwise`, async () => {
    const mutatedToken = fc
      .tuple(fc.nat({ max: validAccessToken.length - 1 }), fc.constantFrom(...'AZaz09-_.='))
      .map(([at, character]) => `Bearer ${validAccessToken.slice(0, at)}${character}${validAccessToken.slice(at + 1)}`);
    const authorization = fc.oneof(headerText, headerText.map((text) => `Bearer ${text}`), mutatedToken);

    await fc.assert(
      fc.asyncProperty(authorization, async (header) => {
        const response = await api.http.get('/me').set('authorization', header);
        record('GET /me (Authorization)', response.status);

        const genuine = /^bearer [^ ]+$/i.test(header) && header.slice(7) === validAccessToken;
        expect(response.status).toBe(genuine ? 200 : 401);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it('still logs the owner in afterwards (the fuzzing broke nothing)', async () => {
    await api.http.post('/auth/login').send({ email: 'fuzz-owner@example.com', password: PASSWORD }).expect(200);
  });
});
