import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFerretdbBinary, findFerretdbSource } from './ferretdb.build';
import { startFerretdb } from './ferretdb.process';

const hasGo = spawnSync('go', ['version']).status === 0;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return !isRunning(pid);
}

describe('startFerretdb with a program that misbehaves', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'ferretdb-fake-'));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function fakeProgram(name: string, script: string): string {
    const file = join(folder, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it('reports a crash after start-up with the exit code and the last stderr lines', async () => {
    const binary = fakeProgram('crash-later.sh', 'echo mongodb://127.0.0.1:1/\necho "starting" >&2\nsleep 0.2\necho "panic: simulated crash" >&2\nexit 2');
    const server = await startFerretdb({ binary });
    const crash = await new Promise<Error>((resolveCrash) => server.onCrash(resolveCrash));

    expect(crash.message).toBe(`FerretDB (pid ${server.pid}) exited with code 2; its last stderr lines:\nstarting\npanic: simulated crash`);
  });

  it('fails start-up with the last stderr lines when the program exits before printing its URI', async () => {
    const binary = fakeProgram('crash-early.sh', 'echo "listen tcp: address already in use" >&2\nexit 1');

    await expect(startFerretdb({ binary })).rejects.toThrow(/exited with code 1; its last stderr lines:\nlisten tcp: address already in use$/);
  });

  it('fails start-up instead of hanging when the program never prints its URI', async () => {
    const binary = fakeProgram('silent.sh', 'echo "stuck" >&2\nexec sleep 30');

    await expect(startFerretdb({ binary, readyTimeoutMs: 300 })).rejects.toThrow('FerretDB did not print its URI within 300 ms; its last stderr lines:\nstuck');
  });

  it('does not report a crash when stopped', async () => {
    const binary = fakeProgram('well-behaved.sh', 'echo mongodb://127.0.0.1:1/\nexec sleep 30');
    const server = await startFerretdb({ binary });
    const crashes: Error[] = [];
    server.onCrash((error) => crashes.push(error));

    await server.stop();

    expect(isRunning(server.pid!)).toBe(false);
    expect(crashes).toEqual([]);
  });
});

(hasGo ? describe : describe.skip)('the FerretDB program', () => {
  let binary: string;

  beforeAll(async () => {
    binary = await ensureFerretdbBinary(findFerretdbSource()!, () => undefined);
  }, 300_000);

  it('leaves no process behind after stop()', async () => {
    const server = await startFerretdb({ binary });
    expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(isRunning(server.pid!)).toBe(true);

    await server.stop();

    expect(isRunning(server.pid!)).toBe(false);
  });

  it('exits by itself when the process that started it dies', async () => {
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('node:child_process').spawn(${JSON.stringify(binary)}, [], { stdio: ['pipe', 'pipe', 'inherit'] }); c.stdout.once('data', () => process.stdout.write(c.pid + '\\n'));`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const output = await new Promise<string>((resolvePid) => parent.stdout.once('data', (chunk: Buffer) => resolvePid(chunk.toString())));
      const childPid = Number(output.trim());
      expect(isRunning(childPid)).toBe(true);

      parent.kill('SIGKILL');

      expect(await waitUntilGone(childPid, 5_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
