export { startMongo } from './mongo-server';
export type { StartMongoOptions } from './mongo-server';
export type { MongoServerKind, StartedMongo } from './mongo-server.types';
export { createTestDatabase, TEST_MONGODB_URI_ENV } from './test-database';
export type { TestDatabase } from './test-database';
export { describeMongoHosts, redactMongoUri, withDatabase } from './mongo-uri';
