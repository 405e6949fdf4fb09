import { createServer } from 'node:net'

/** A loopback port nothing listens on: a server opened and closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

/** `http://127.0.0.1:PORT` on such a port: a base URL that cannot be reached. */
export const closedUrl = async (): Promise<string> => `http://127.0.0.1:${await closedPort()}`
