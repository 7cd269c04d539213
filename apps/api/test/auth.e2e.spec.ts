import { PASSWORD, registerAndLogin, startTestApi, type TestApi } from './api.fixtures';

describe('auth endpoints (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('api_auth');
  });

  afterAll(() => api.close());

  const users = () => api.db.connection.collection('users');
  const sessions = () => api.db.connection.collection('refresh_tokens');
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('POST /auth/register', () => {
    it('201 with { id, email }, the email trimmed and lower-cased, the password hashed with argon2id', async () => {
      const response = await api.http.post('/auth/register').send({ email: '  Grace@Example.COM ', password: PASSWORD }).expect(201);

      expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), email: 'grace@example.com' });
      const stored = await users().findOne({ email: 'grace@example.com' });
      expect(stored?.['passwordHash']).toMatch(/^\$argon2id\$/);
      expect(JSON.stringify(response.body)).not.toContain('argon2');
    });

    it('409 when the email is taken, whatever its case, and nothing is written', async () => {
      await api.http.post('/auth/register').send({ email: 'taken@example.com', password: PASSWORD }).expect(201);

      const response = await api.http.post('/auth/register').send({ email: 'TAKEN@example.com', password: 'another password' }).expect(409);

      expect(response.body).toEqual({ statusCode: 409, error: 'Conflict', reason: 'email_taken' });
      expect(await users().countDocuments({ email: 'taken@example.com' })).toBe(1);
    });

    it.each([
      ['a 7-character password', { email: 'short@example.com', password: '1234567' }, ['password must be longer than or equal to 8 characters']],
      ['a 129-character password', { email: 'long@example.com', password: 'x'.repeat(129) }, ['password must be shorter than or equal to 128 characters']],
      ['an invalid email', { email: 'not-an-email', password: PASSWORD }, ['email must be an email']],
    ])('400 for %s', async (_case, body, message) => {
      const response = await api.http.post('/auth/register').send(body).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
      expect(await users().countDocuments({ email: body.email })).toBe(0);
    });
  });

  describe('POST /auth/login', () => {
    beforeAll(() => api.http.post('/auth/register').send({ email: 'login@example.com', password: PASSWORD }).expect(201));

    it('200 with a token pair', async () => {
      const response = await api.http.post('/auth/login').set('user-agent', 'e2e-agent').send({ email: 'LOGIN@example.com', password: PASSWORD }).expect(200);

      expect(response.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.stringMatching(/^[\w-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshExpiresAt: expect.any(String),
      });
      expect(await sessions().countDocuments({ userAgent: 'e2e-agent', email: 'login@example.com' })).toBe(1);
    });

    it('401 with the same body for a wrong password and an unknown email', async () => {
      const wrongPassword = await api.http.post('/auth/login').send({ email: 'login@example.com', password: 'wrong password' }).expect(401);
      const unknownEmail = await api.http.post('/auth/login').send({ email: 'nobody@example.com', password: PASSWORD }).expect(401);

      expect(wrongPassword.body).toEqual({ statusCode: 401, error: 'Unauthorized', reason: 'invalid_credentials' });
      expect(unknownEmail.body).toEqual(wrongPassword.body);
    });
  });

  describe('POST /auth/refresh', () => {
    it('200 with a new pair, and 401 refresh_invalid / refresh_revoked / refresh_expired', async () => {
      const { refreshToken } = await registerAndLogin(api.http, 'refresh@example.com');

      const next = await api.http.post('/auth/refresh').send({ refreshToken }).expect(200);
      expect(next.body.refreshToken).not.toBe(refreshToken);

      expect((await api.http.post('/auth/refresh').send({ refreshToken: 'x'.repeat(43) }).expect(401)).body).toEqual({ statusCode: 401, error: 'Unauthorized', reason: 'refresh_invalid' });

      await api.http.post('/auth/logout').send({ refreshToken: next.body.refreshToken }).expect(204);
      expect((await api.http.post('/auth/refresh').send({ refreshToken: next.body.refreshToken }).expect(401)).body.reason).toBe('refresh_revoked');

      const { refreshToken: another } = (await api.http.post('/auth/login').send({ email: 'refresh@example.com', password: PASSWORD }).expect(200)).body;
      await sessions().updateMany({ email: 'refresh@example.com' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await api.http.post('/auth/refresh').send({ refreshToken: another }).expect(401)).body.reason).toBe('refresh_expired');
    });
  });

  describe('POST /auth/logout', () => {
    it('204, idempotent, also for an unknown token', async () => {
      const { refreshToken } = await registerAndLogin(api.http, 'logout@example.com');

      await api.http.post('/auth/logout').send({ refreshToken }).expect(204, '');
      await api.http.post('/auth/logout').send({ refreshToken }).expect(204, '');
      await api.http.post('/auth/logout').send({ refreshToken: 'unknown' }).expect(204, '');
      expect(await sessions().findOne({ email: 'logout@example.com' })).toMatchObject({ revokeReason: 'logout' });
    });
  });

  describe('guarded routes', () => {
    it('GET /me: 200 { sub, email } with a token, 401 token_missing without', async () => {
      const { accessToken } = await registerAndLogin(api.http, 'me@example.com');
      const user = await users().findOne({ email: 'me@example.com' });

      expect((await api.http.get('/me').set(bearer(accessToken)).expect(200)).body).toEqual({ sub: String(user?._id), email: 'me@example.com' });
      const missing = await api.http.get('/me').expect(401);
      expect(missing.body).toEqual({ statusCode: 401, error: 'Unauthorized', reason: 'token_missing' });
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      const invalid = await api.http.get('/me').set(bearer('a.b.c')).expect(401);
      expect(invalid.body.reason).toBe('token_invalid');
      expect(invalid.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('GET /auth/sessions lists the sessions with the current one marked; DELETE /auth/sessions/:id ends one', async () => {
      const first = await registerAndLogin(api.http, 'sessions@example.com');
      const second = (await api.http.post('/auth/login').set('user-agent', 'second-device').send({ email: 'sessions@example.com', password: PASSWORD }).expect(200)).body;

      const listed = (await api.http.get('/auth/sessions').set(bearer(second.accessToken)).expect(200)).body;
      expect(listed).toEqual([
        { id: expect.any(String), createdAt: expect.any(String), lastUsedAt: expect.any(String), expiresAt: expect.any(String), userAgent: 'second-device', ip: expect.any(String), current: true },
        expect.objectContaining({ current: false }),
      ]);

      await api.http.delete(`/auth/sessions/${listed[1].id}`).set(bearer(second.accessToken)).expect(204, '');
      expect((await api.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401)).body.reason).toBe('refresh_revoked');
      expect((await api.http.get('/auth/sessions').set(bearer(second.accessToken)).expect(200)).body).toHaveLength(1);
    });

    it("DELETE /auth/sessions/:id: 404 for another user's session and for an unknown id", async () => {
      const alice = await registerAndLogin(api.http, 'alice-sessions@example.com');
      const bob = await registerAndLogin(api.http, 'bob-sessions@example.com');
      const [bobSession] = (await api.http.get('/auth/sessions').set(bearer(bob.accessToken)).expect(200)).body;

      const notFound = { statusCode: 404, error: 'Not Found', reason: 'session_not_found' };
      expect((await api.http.delete(`/auth/sessions/${bobSession.id}`).set(bearer(alice.accessToken)).expect(404)).body).toEqual(notFound);
      expect((await api.http.delete('/auth/sessions/unknown').set(bearer(alice.accessToken)).expect(404)).body).toEqual(notFound);
      await api.http.post('/auth/refresh').send({ refreshToken: bob.refreshToken }).expect(200);
    });

    it('POST /auth/logout-all: 204, and every refresh token of the user stops working', async () => {
      const one = await registerAndLogin(api.http, 'everywhere@example.com');
      const two = (await api.http.post('/auth/login').send({ email: 'everywhere@example.com', password: PASSWORD }).expect(200)).body;
      const other = await registerAndLogin(api.http, 'bystander@example.com');

      await api.http.post('/auth/logout-all').set(bearer(one.accessToken)).expect(204, '');

      for (const pair of [one, two]) expect((await api.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401)).body.reason).toBe('refresh_revoked');
      await api.http.post('/auth/refresh').send({ refreshToken: other.refreshToken }).expect(200);
      await api.http.post('/auth/logout-all').expect(401);
    });
  });

  describe('POST /auth/token/verify', () => {
    it('answers the seed result as JSON: valid with claims, invalid with a reason', async () => {
      const { accessToken } = await registerAndLogin(api.http, 'verify@example.com');

      const valid = await api.http.post('/auth/token/verify').send({ token: accessToken }).expect(200);
      expect(valid.body).toEqual({ status: 'valid', claims: expect.objectContaining({ email: 'verify@example.com', iss: 'nestkit-demo', aud: 'nestkit-demo-api' }) });
      expect((await api.http.post('/auth/token/verify').send({ token: 'nope' }).expect(200)).body).toEqual({ status: 'invalid', reason: 'malformed' });
    });
  });

  describe('GET /.well-known/jwks.json with HS256', () => {
    it('publishes no key: the shared secret stays secret', async () => {
      expect((await api.http.get('/.well-known/jwks.json').expect(200)).body).toEqual({ keys: [] });
    });
  });

  describe('GET /health and /docs', () => {
    it('reports MongoDB up', async () => {
      expect((await api.http.get('/health').expect(200)).body).toMatchObject({ status: 'ok', info: { mongodb: { status: 'up' } } });
    });

    it('serves the OpenAPI document with bearer auth and DTO examples', async () => {
      await api.http.get('/docs').expect(200);
      const document = (await api.http.get('/docs-json').expect(200)).body;
      expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
      expect(document.components.schemas.CredentialsDto.properties.email.example).toBe('ada@example.com');
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/auth/login', '/auth/refresh', '/me', '/health']));
    });
  });
});
