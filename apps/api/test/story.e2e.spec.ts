import { PASSWORD, startTestApi, type TestApi } from './api.fixtures';

const REUSE_WINDOW_SECONDS = 1;

describe('the whole story (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('api_story', { REFRESH_REUSE_WINDOW_SECONDS: String(REUSE_WINDOW_SECONDS) });
  });

  afterAll(() => api.close());

  it('register → login → /me → refresh → /me → replay after the window → refresh_reused → logout-all', async () => {
    const tokens = api.db.connection.collection('refresh_tokens');
    const email = 'story@example.com';

    const registered = (await api.http.post('/auth/register').send({ email, password: PASSWORD }).expect(201)).body;
    const login = (await api.http.post('/auth/login').send({ email, password: PASSWORD }).expect(200)).body;
    const otherDevice = (await api.http.post('/auth/login').send({ email, password: PASSWORD }).expect(200)).body;

    expect((await api.http.get('/me').set('authorization', `Bearer ${login.accessToken}`).expect(200)).body).toEqual({ sub: registered.id, email });

    const refreshed = (await api.http.post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200)).body;
    expect((await api.http.get('/me').set('authorization', `Bearer ${refreshed.accessToken}`).expect(200)).body).toEqual({ sub: registered.id, email });

    await new Promise((wake) => setTimeout(wake, REUSE_WINDOW_SECONDS * 1000 + 100));
    const replay = await api.http.post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401);
    expect(replay.body).toEqual({ statusCode: 401, error: 'Unauthorized', reason: 'refresh_reused' });

    expect(await tokens.countDocuments({ refreshToken: { $exists: true } })).toBe(0);
    const stolenSession = await tokens.findOne({ replacedBy: { $ne: null } });
    const sessionDocuments = await tokens.find({ sessionId: stolenSession?.['sessionId'] }).toArray();
    expect(sessionDocuments).toHaveLength(2);
    expect(sessionDocuments.every((doc) => doc['revokeReason'] === 'reuse_detected')).toBe(true);
    expect((await api.http.post('/auth/refresh').send({ refreshToken: refreshed.refreshToken }).expect(401)).body.reason).toBe('refresh_revoked');

    const stillActive = (await api.http.post('/auth/refresh').send({ refreshToken: otherDevice.refreshToken }).expect(200)).body;
    await api.http.post('/auth/logout-all').set('authorization', `Bearer ${stillActive.accessToken}`).expect(204);

    expect((await api.http.post('/auth/refresh').send({ refreshToken: stillActive.refreshToken }).expect(401)).body.reason).toBe('refresh_revoked');
    expect(await tokens.countDocuments({ email, revokedAt: null })).toBe(0);
    expect((await api.http.get('/auth/sessions').set('authorization', `Bearer ${stillActive.accessToken}`).expect(200)).body).toEqual([]);
  });
});
