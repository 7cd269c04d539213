import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import mongoose, { type Connection } from 'mongoose';
import { withDatabase } from './mongo-uri';

/** Environment variable through which the Jest global setup hands its server to the tests. */
export const TEST_MONGODB_URI_ENV = 'NESTKIT_TEST_MONGODB_URI';
/** Environment variable naming the file the Jest global setup writes when its server crashes. */
export const TEST_MONGODB_CRASH_FILE_ENV = 'NESTKIT_TEST_MONGODB_CRASH_FILE';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A database of its own for one test file, on the server the Jest global setup started.
 */
export interface TestDatabase {
  /** Connection string of this database. */
  readonly uri: string;
  /** Database name, unique per call. */
  readonly name: string;
  /** An open mongoose connection to it, for arranging and asserting database state. */
  readonly connection: Connection;
  /** Drops the database and closes {@link connection}. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the test server and connects to it.
 *
 * @example
 * let db: TestDatabase;
 * beforeAll(async () => (db = await createTestDatabase('sessions')));
 * afterAll(() => db.drop());
 *
 * @throws Error with the server's last stderr lines when it crashed during the run.
 * @throws Error when the Jest global setup of `jest.preset.js` did not run.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  failIfServerCrashed();
  const base = process.env[TEST_MONGODB_URI_ENV];
  if (!base) throw new Error(`${TEST_MONGODB_URI_ENV} is not set: run the tests through Jest with the workspace's jest.preset.js`);

  const name = `${label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}_${randomBytes(6).toString('hex')}`;
  const uri = withDatabase(base, name);
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS });
  try {
    await connection.asPromise();
  } catch (error) {
    failIfServerCrashed();
    throw error;
  }
  return {
    uri,
    name,
    connection,
    drop: async () => {
      await connection.dropDatabase();
      await connection.close();
    },
  };
}

function failIfServerCrashed(): void {
  const crashFile = process.env[TEST_MONGODB_CRASH_FILE_ENV];
  if (crashFile && existsSync(crashFile)) throw new Error(`The test database server crashed during this run. ${readFileSync(crashFile, 'utf8')}`);
}
