// A throwaway PostgreSQL cluster for the hub's tests: initdb + pg_ctl -w in a temp directory the `postgres` user owns
// (initdb refuses root), on a free port of 127.0.0.1, stopped and removed by stop(). Never the system service.
// Required, like the other outside tools: without Debian's `postgresql` the test fails naming the package.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

export interface TestCluster {
  port: number;
  /** A new empty database on the cluster; its postgres:// URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

export async function startCluster(): Promise<TestCluster> {
  if (!fs.existsSync(path.join(BIN, 'initdb')) || !fs.existsSync(path.join(BIN, 'pg_ctl'))) {
    throw new Error(`missing PostgreSQL 15 (${BIN}/initdb, pg_ctl): apt-get install -y postgresql (what .ci/run installs)`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-pg-'));
  const data = path.join(root, 'data');
  fs.mkdirSync(data);
  execFileSync('chown', ['-R', 'postgres:postgres', root]);
  const port = await freePort();
  // trust on 127.0.0.1 only; no fsync (a throwaway cluster); the socket in the temp dir, not /var/run.
  asPostgres([path.join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  asPostgres([
    path.join(BIN, 'pg_ctl'), '-w', '-D', data, '-l', path.join(root, 'log'),
    '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -F`, 'start',
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres([path.join(BIN, 'pg_ctl'), '-w', '-D', data, '-m', 'immediate', 'stop']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
  return {
    port,
    async createDatabase(name) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
