import { PASSWORD, startTestApi, type TestApi } from '../api.fixtures';

describe('throttling (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('api_throttling', { LOGIN_THROTTLE_LIMIT: '10', AUTH_THROTTLE_LIMIT: '3' });
  });

  afterAll(() => api.close());

  it('answers the 11th login in a minute for one IP and email with 429 and Retry-After; another email still logs in', async () => {
    await api.http.post('/auth/register').send({ email: 'throttled@example.com', password: PASSWORD }).expect(201);

    for (let attempt = 1; attempt <= 10; attempt++) {
      await api.http.post('/auth/login').send({ email: 'throttled@example.com', password: 'wrong password' }).expect(401);
    }
    const limited = await api.http.post('/auth/login').send({ email: 'throttled@example.com', password: PASSWORD }).expect(429);

    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', reason: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    await api.http.post('/auth/login').send({ email: 'other@example.com', password: PASSWORD }).expect(401);
  });

  it('limits registrations per IP with AUTH_THROTTLE_LIMIT and writes nothing when limited', async () => {
    for (let n = 1; n <= 2; n++) await api.http.post('/auth/register').send({ email: `reg${n}@example.com`, password: PASSWORD }).expect(201);

    await api.http.post('/auth/register').send({ email: 'reg-limited@example.com', password: PASSWORD }).expect(429);

    expect(await api.db.connection.collection('users').countDocuments({ email: 'reg-limited@example.com' })).toBe(0);
  });
});
