import { startMongo } from './mongo-server';

describe('startMongo', () => {
  function collectLog(): { lines: string[]; log: (line: string) => void } {
    const lines: string[] = [];
    return { lines, log: (line) => lines.push(line) };
  }

  it.each([
    ['a refused port', 'mongodb://app:Sup3r-s3cret@127.0.0.1:1/app', '127.0.0.1:1'],
    ['an unknown host', 'mongodb://app:Sup3r-s3cret@db.nestkit.invalid:27017/app?authSource=admin', 'db.nestkit.invalid:27017'],
  ])('fails within 5 s naming the host, never the password, when MONGODB_URI points at %s', async (_case, uri, hosts) => {
    const started = Date.now();
    const error: Error = await startMongo({ env: { MONGODB_URI: uri }, log: () => undefined }).then(
      () => {
        throw new Error('startMongo resolved');
      },
      (rejection: Error) => rejection,
    );

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(new RegExp(`^MongoDB at ${hosts.replace(/\./g, '\\.')} \\(MONGODB_URI\\) did not answer within 4 s: `));
    expect(error.message).not.toContain('Sup3r-s3cret');
  });

  it('uses MONGODB_URI as it is when it answers, and leaves that server running on stop()', async () => {
    const { lines, log } = collectLog();
    const testServer = process.env['NESTKIT_TEST_MONGODB_URI']!;

    const mongo = await startMongo({ env: { MONGODB_URI: testServer }, log });
    await mongo.stop();

    expect(mongo).toMatchObject({ uri: testServer, kind: 'external' });
    expect(lines).toEqual([`using MongoDB from MONGODB_URI at ${testServer.replace(/^mongodb:\/\/|\/$/g, '')}`]);
    const again = await startMongo({ env: { MONGODB_URI: testServer }, log: () => undefined });
    expect(again.kind).toBe('external');
    await again.stop();
  });

  it('says in one line that Go is missing and falls back to mongodb-memory-server, then to a message about MONGODB_URI', async () => {
    const { lines, log } = collectLog();

    const outcome = await startMongo({ env: { PATH: '/nonexistent' }, log }).then(
      async (mongo) => {
        await mongo.stop();
        return mongo.kind;
      },
      (error: Error) => error.message,
    );

    expect(lines[0]).toBe('Go is not on PATH, so the embedded FerretDB server cannot be built (install Go >= 1.24, or set MONGODB_URI); trying mongodb-memory-server');
    if (outcome !== 'mongodb-memory-server') {
      expect(outcome).toMatch(/^No MongoDB server is available\. Set MONGODB_URI to a MongoDB you can reach/);
      expect(outcome).toContain('mongodb-memory-server: ');
    }
  }, 60_000);
});
