// A TCP proxy on 127.0.0.1 for the hub's fault journeys (hub-faults.test.ts): terminals talk to it as to the hub, and
// it forwards each connection to `target` byte for byte — except where a hook says otherwise. Hooks see every chunk in
// each direction, in order, and may wait (a slow network), drop the connection (both ends closed at once, mid-request
// or mid-answer) or do something else at that exact moment (kill a process). The target may change between
// connections (a hub restarted on another port); the address the terminals know stays the same.
import net from 'node:net';

export interface ProxyConnection {
  id: number;
  /** Closes both ends now: the terminal sees a reset, the hub a client gone. */
  drop(): void;
  dropped: boolean;
}

/** Called for each chunk before it is forwarded; `false` (or a dropped connection) forwards nothing more. */
export type ProxyHook = (chunk: Buffer, conn: ProxyConnection) => void | boolean | Promise<void | boolean>;

export interface TcpProxy {
  port: number;
  url: string;
  /** Where new connections go (the hub's port). */
  target: number;
  connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: number, hooks: { request?: ProxyHook; response?: ProxyHook } = {}): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let ids = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(proxy.target, '127.0.0.1');
    proxy.connections++;
    const conn: ProxyConnection = {
      id: ++ids,
      dropped: false,
      drop() {
        conn.dropped = true;
        client.destroy();
        upstream.destroy();
      },
    };
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => conn.drop());
    }
    pipe(client, upstream, hooks.request, conn);
    pipe(upstream, client, hooks.response, conn);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    target,
    connections: 0,
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
  return proxy;
}

/** `from` → `to`, one chunk at a time through `hook` (the next chunk waits for the hook of the one before). */
function pipe(from: net.Socket, to: net.Socket, hook: ProxyHook | undefined, conn: ProxyConnection): void {
  let chain = Promise.resolve();
  from.on('data', (chunk: Buffer) => {
    from.pause();
    chain = chain
      .then(async () => {
        if (conn.dropped) return;
        const go = hook ? await hook(chunk, conn) : true;
        if (go === false || conn.dropped) return;
        to.write(chunk);
      })
      .catch(() => conn.drop())
      .finally(() => from.resume());
  });
  from.on('end', () => void chain.then(() => to.end()));
}
