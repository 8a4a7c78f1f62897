/*
 * A TCP forwarder on a fixed loopback port in front of a Git HTTP server, whose
 * behaviour can be switched at any time:
 *   pass       forward everything
 *   down       nothing listens on the port (connection refused)
 *   hang       accept connections and never answer
 *   hang-push  forward, except requests for git-receive-pack (pushes), which hang
 *   slow       forward, each connection delayed by `delayMs`
 */
import net from 'node:net';

export type TcpMode = 'pass' | 'down' | 'hang' | 'hang-push' | 'slow';

export interface TcpProxy {
  port: number;
  mode: TcpMode;
  setMode(mode: TcpMode): Promise<void>;
  connections: number;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, delayMs = 300): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let mode: TcpMode = 'pass';
  let connections = 0;
  const onConnection = (client: net.Socket) => {
    connections++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'hang') {
      client.on('data', () => {}); // read and ignore
      return;
    }
    const connect = (first?: Buffer) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      if (first) upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    };
    if (mode === 'hang-push') {
      client.once('data', (first: Buffer) => {
        if (first.toString('latin1').includes('git-receive-pack')) {
          client.on('data', () => {});
          return; // never answer a push
        }
        client.pause();
        connect(first);
        client.resume();
      });
      return;
    }
    if (mode === 'slow') {
      client.pause();
      setTimeout(() => {
        connect();
        client.resume();
      }, delayMs);
      return;
    }
    connect();
  };
  let server = net.createServer(onConnection);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const closeAll = () =>
    new Promise<void>(resolve => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  const proxy: TcpProxy = {
    port,
    get mode() {
      return mode;
    },
    get connections() {
      return connections;
    },
    async setMode(next) {
      if (next === 'down' && mode !== 'down') {
        await closeAll();
      } else if (next !== 'down' && mode === 'down') {
        server = net.createServer(onConnection);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', resolve);
        });
      } else if (next !== mode) {
        for (const s of sockets) s.destroy(); // hung connections do not outlive their mode
      }
      mode = next;
    },
    stop: () => (mode === 'down' ? Promise.resolve() : closeAll()),
  } as TcpProxy;
  return proxy;
}
