import { describeMongoHosts, redactMongoUri, scrubMongoSecrets, withDatabase } from './mongo-uri';

describe('mongo-uri', () => {
  const replicaSet = 'mongodb://app:s3cr%40t@db1:27017,db2:27018/app?replicaSet=rs0&w=majority';

  it('describes the hosts without scheme, credentials, path or options', () => {
    expect(describeMongoHosts(replicaSet)).toBe('db1:27017,db2:27018');
    expect(describeMongoHosts('mongodb+srv://u:p@cluster0.example.net/?retryWrites=true')).toBe('cluster0.example.net');
    expect(describeMongoHosts('mongodb://127.0.0.1:27017')).toBe('127.0.0.1:27017');
  });

  it('points a connection string at another database, keeping credentials and options', () => {
    expect(withDatabase(replicaSet, 'test_x')).toBe('mongodb://app:s3cr%40t@db1:27017,db2:27018/test_x?replicaSet=rs0&w=majority');
    expect(withDatabase('mongodb://127.0.0.1:4000/', 'test_x')).toBe('mongodb://127.0.0.1:4000/test_x');
    expect(withDatabase('mongodb://127.0.0.1:4000', 'test_x')).toBe('mongodb://127.0.0.1:4000/test_x');
    expect(withDatabase('mongodb://h/?tls=true', 'd')).toBe('mongodb://h/d?tls=true');
  });

  it('redacts the password only', () => {
    expect(redactMongoUri(replicaSet)).toBe('mongodb://app:***@db1:27017,db2:27018/app?replicaSet=rs0&w=majority');
    expect(redactMongoUri('mongodb://127.0.0.1:27017/x')).toBe('mongodb://127.0.0.1:27017/x');
  });

  it('scrubs the password, encoded or decoded, from driver messages', () => {
    const message = `failed to connect to ${replicaSet}: bad auth for s3cr@t (s3cr%40t)`;
    const scrubbed = scrubMongoSecrets(message, replicaSet);
    expect(scrubbed).toBe('failed to connect to mongodb://app:***@db1:27017,db2:27018/app?replicaSet=rs0&w=majority: bad auth for *** (***)');
  });
});
