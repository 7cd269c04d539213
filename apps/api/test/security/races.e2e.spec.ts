import { PASSWORD, registerAndLogin, startTestApi, type TestApi } from '../api.fixtures';

const CONCURRENCY = 100;
const UNTHROTTLED = { LOGIN_THROTTLE_LIMIT: '1000000', AUTH_THROTTLE_LIMIT: '1000000' };

describe('races over HTTP (e2e)', () => {
  describe('with the default reuse window', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi('security_races', UNTHROTTLED);
    });

    afterAll(() => api.close());

    it(`${CONCURRENCY} concurrent refreshes with one token all succeed and the session stays usable`, async () => {
      const { refreshToken } = await registerAndLogin(api.http, 'racer@example.com');

      const responses = await Promise.all(Array.from({ length: CONCURRENCY }, () => api.http.post('/auth/refresh').send({ refreshToken })));

      expect(responses.map((response) => response.status)).toEqual(Array(CONCURRENCY).fill(200));
      const pairs = responses.map((response) => response.body as { accessToken: string; refreshToken: string });
      expect(new Set(pairs.map((pair) => pair.refreshToken)).size).toBe(CONCURRENCY);
      const sessions = (await api.http.get('/auth/sessions').set('authorization', `Bearer ${pairs[0]!.accessToken}`).expect(200)).body;
      expect(sessions).toHaveLength(1);
      for (const pair of [pairs[0]!, pairs[CONCURRENCY - 1]!]) await api.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(200);
      expect(await api.db.connection.collection('refresh_tokens').countDocuments({ revokedAt: { $ne: null } })).toBe(0);
    });

    it(`${CONCURRENCY} concurrent logins of one user make ${CONCURRENCY} distinct sessions, all listed`, async () => {
      await api.http.post('/auth/register').send({ email: 'many@example.com', password: PASSWORD }).expect(201);

      const responses = await Promise.all(Array.from({ length: CONCURRENCY }, () => api.http.post('/auth/login').send({ email: 'many@example.com', password: PASSWORD })));

      expect(responses.map((response) => response.status)).toEqual(Array(CONCURRENCY).fill(200));
      const sessions = (await api.http.get('/auth/sessions').set('authorization', `Bearer ${responses[0]!.body.accessToken}`).expect(200)).body as Array<{ id: string; current: boolean }>;
      expect(new Set(sessions.map((session) => session.id)).size).toBe(CONCURRENCY);
      expect(sessions.filter((session) => session.current)).toHaveLength(1);
    });
  });

  describe('in strict mode (REFRESH_REUSE_WINDOW_SECONDS=0)', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi('security_races_strict', { ...UNTHROTTLED, REFRESH_REUSE_WINDOW_SECONDS: '0' });
    });

    afterAll(() => api.close());

    it(`exactly one of ${CONCURRENCY} concurrent refreshes with one token succeeds, and the session ends revoked`, async () => {
      const { refreshToken } = await registerAndLogin(api.http, 'strict@example.com');

      const responses = await Promise.all(Array.from({ length: CONCURRENCY }, () => api.http.post('/auth/refresh').send({ refreshToken })));

      const winners = responses.filter((response) => response.status === 200);
      expect(winners).toHaveLength(1);
      for (const response of responses) if (response.status !== 200) expect(['refresh_reused', 'refresh_revoked']).toContain(response.body.reason);
      await api.http.post('/auth/refresh').send({ refreshToken: winners[0]!.body.refreshToken }).expect(401);
      expect(await api.db.connection.collection('refresh_tokens').countDocuments({ email: 'strict@example.com', revokedAt: null })).toBe(0);
    });
  });
});
