import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'

/** A forward proxy on loopback that tunnels CONNECT, or refuses it the way a corporate proxy does. */
export interface TestProxy {
  url: string
  /** `CONNECT host:port` per tunnel asked for, and `GET url` per plain request. */
  seen: string[]
  /** 'tunnel' (default), 407 (wants credentials) or 403 (host not allowed). */
  mode: 'tunnel' | 407 | 403
  close(): Promise<void>
}

export async function startConnectProxy(): Promise<TestProxy> {
  const proxy: TestProxy = { url: '', seen: [], mode: 'tunnel', close: async () => {} }
  const tunnels = new Set<{ destroy(): void }>()
  const server: Server = createServer((req, res) => {
    proxy.seen.push(`${req.method} ${req.url}`)
    res.writeHead(502).end()
  })
  server.on('connect', (req, socket, head) => {
    proxy.seen.push(`CONNECT ${req.url}`)
    socket.on('error', () => {})
    tunnels.add(socket)
    socket.on('close', () => tunnels.delete(socket))
    if (proxy.mode === 407)
      return void socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n')
    if (proxy.mode === 403) return void socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))]
    const upstream = connect(port, host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () =>
    new Promise<void>((r) => {
      for (const t of tunnels) t.destroy()
      server.closeAllConnections()
      server.close(() => r())
    })
  return proxy
}
