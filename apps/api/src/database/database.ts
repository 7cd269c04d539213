import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { type StartedMongo, startMongo } from '@nestkit/auth/testing';

const EMBEDDED_DATA_DIR = '.data/ferretdb';

/**
 * The demo's database: `MONGODB_URI` when set, otherwise the embedded FerretDB with its
 * data in `.data/` (kept across restarts), otherwise mongodb-memory-server.
 *
 * @throws Error saying how to set `MONGODB_URI` when none can be used.
 */
export async function startDatabase(): Promise<StartedMongo> {
  const logger = new Logger('Database');
  const database = await startMongo({ dataDir: resolve(EMBEDDED_DATA_DIR), log: (line) => logger.log(line) });
  if (database.kind !== 'external') {
    logger.log('to use your own MongoDB instead, set MONGODB_URI (e.g. MONGODB_URI=mongodb://127.0.0.1:27017/nestkit npm start)');
  }
  return database;
}
