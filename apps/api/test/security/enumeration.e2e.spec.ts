import { PASSWORD, startTestApi, type TestApi } from '../api.fixtures';

const SAMPLES = 25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('no user enumeration through login (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('security_enumeration', { LOGIN_THROTTLE_LIMIT: '1000000' });
    await api.http.post('/auth/register').send({ email: 'known@example.com', password: PASSWORD }).expect(201);
  });

  afterAll(() => api.close());

  it('answers an unknown email and a wrong password with the same status and body, in about the same time', async () => {
    const attempts = { unknown: { email: 'unknown@example.com', password: PASSWORD }, wrong: { email: 'known@example.com', password: 'wrong password!' } };
    const timings = { unknown: [] as number[], wrong: [] as number[] };
    const bodies = new Set<string>();

    for (let round = -3; round < SAMPLES; round++) {
      for (const kind of round % 2 === 0 ? (['unknown', 'wrong'] as const) : (['wrong', 'unknown'] as const)) {
        const started = process.hrtime.bigint();
        const response = await api.http.post('/auth/login').send(attempts[kind]);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        bodies.add(`${response.status} ${response.text}`);
        if (round >= 0) timings[kind].push(elapsedMs);
      }
    }

    expect([...bodies]).toEqual(['401 {"statusCode":401,"error":"Unauthorized","reason":"invalid_credentials"}']);
    const ratio = median(timings.unknown) / median(timings.wrong);
    process.stdout.write(`enumeration: median unknown email ${median(timings.unknown).toFixed(1)} ms, wrong password ${median(timings.wrong).toFixed(1)} ms, ratio ${ratio.toFixed(3)}\n`);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
  }, 60_000);
});
