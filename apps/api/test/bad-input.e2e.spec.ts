import { PASSWORD, startTestApi, type TestApi } from './api.fixtures';

describe('bad input (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('api_bad_input');
    await api.http.post('/auth/register').send({ email: 'victim@example.com', password: PASSWORD }).expect(201);
  });

  afterAll(() => api.close());

  async function databaseState(): Promise<unknown> {
    const [users, tokens] = await Promise.all(['users', 'refresh_tokens'].map((name) => api.db.connection.collection(name).find({}).toArray()));
    return { users, tokens };
  }

  const cases: Array<[string, string, string | object, string[] | undefined, string?]> = [
    ['an operator object as the email', '/auth/login', { email: { $gt: '' }, password: PASSWORD }, ['email must be an email', 'email must be shorter than or equal to 254 characters', 'email must be a string']],
    ['an operator object as the password', '/auth/login', { email: 'victim@example.com', password: { $ne: null } }, ['password must be longer than or equal to 8 and shorter than or equal to 128 characters', 'password must be a string']],
    ['an extra field', '/auth/register', { email: 'extra@example.com', password: PASSWORD, role: 'admin' }, ['property role should not exist']],
    ['a number as the email', '/auth/register', { email: 42, password: PASSWORD }, ['email must be an email', 'email must be shorter than or equal to 254 characters', 'email must be a string']],
    ['a missing password', '/auth/register', { email: 'missing@example.com' }, ['password must be longer than or equal to 8 characters', 'password must be a string']],
    ['an empty body', '/auth/login', {}, ['email must be an email', 'email must be shorter than or equal to 254 characters', 'email must be a string', 'password must be longer than or equal to 8 characters', 'password must be a string']],
    ['an operator object as the refresh token', '/auth/refresh', { refreshToken: { $ne: null } }, ['refreshToken must be shorter than or equal to 256 characters', 'refreshToken must be a string']],
    ['an array as the token', '/auth/token/verify', { token: ['a'] }, ['token must be shorter than or equal to 16384 characters', 'token must be a string']],
  ];

  it.each(cases)('400 with field messages for %s, and nothing written', async (_case, path, body, message) => {
    const before = await databaseState();
    const response = await api.http.post(path).send(body as object).expect(400);

    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    expect(await databaseState()).toEqual(before);
  });

  it('400 invalid_json for unparsable JSON, without echoing the body', async () => {
    const before = await databaseState();
    const response = await api.http.post('/auth/login').set('content-type', 'application/json').send('{"email": "victim@example.com", "password": "s3cret-pass').expect(400);

    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', reason: 'invalid_json' });
    expect(response.text).not.toContain('s3cret');
    expect(await databaseState()).toEqual(before);
  });

  it('413 for a body over 100 KB', async () => {
    const response = await api.http.post('/auth/register').send({ email: 'big@example.com', password: 'x'.repeat(101 * 1024) }).expect(413);
    expect(response.body).toEqual({ statusCode: 413, error: 'Payload Too Large', reason: 'body_too_large' });
  });

  it('400 for a body that is not an object', async () => {
    const response = await api.http.post('/auth/login').set('content-type', 'application/json').send('"just a string"').expect(400);
    expect(response.body.statusCode).toBe(400);
  });
});
