import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { startDatabase } from './database/database';

async function bootstrap(): Promise<void> {
  const database = await startDatabase();
  const app = await createApp({ mongoUri: database.uri });

  const shutdown = async (exitCode: number) => {
    await app.close();
    await database.stop();
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(0));
  database.onCrash((error) => {
    Logger.error(`the embedded database stopped: ${error.message}`, 'Database');
    void shutdown(1);
  });

  const port = Number(process.env['PORT'] ?? 3000);
  await app.listen(port);
  Logger.log(`demo API on http://localhost:${port} (OpenAPI at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: Error) => {
  Logger.error(error.message, 'Bootstrap');
  process.exit(1);
});
