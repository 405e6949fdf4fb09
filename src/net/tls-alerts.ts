import { subscribe } from 'node:diagnostics_channel'
import type { Socket } from 'node:net'

/**
 * With TLS 1.3 a server rejects a client certificate (or its absence) after the handshake, with an alert
 * that undici reports only as "other side closed". The socket itself saw the alert; remember it per local
 * address so that the failure can name the real cause (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, …).
 */
const alerts = new Map<string, string>()
const MAX = 256
let watching = false

function keyOf(info: { localAddress?: string | undefined; localPort?: number | undefined }): string | undefined {
  return info.localPort ? `${info.localAddress ?? ''}:${info.localPort}` : undefined
}

export function watchTlsAlerts(): void {
  if (watching) return
  watching = true
  subscribe('undici:client:connected', (message) => {
    const socket = (message as { socket?: Socket & { encrypted?: boolean } }).socket
    if (!socket?.encrypted) return
    const key = keyOf(socket)
    if (!key) return
    socket.prependListener('error', (e: NodeJS.ErrnoException) => {
      if (!e.code?.startsWith('ERR_SSL_')) return
      alerts.delete(key)
      alerts.set(key, e.code)
      if (alerts.size > MAX) alerts.delete(alerts.keys().next().value!)
    })
  })
}

/** The TLS alert the socket of a failed request received, if any (`info` is undici's `SocketError.socket`). */
export function tlsAlertFor(info: { localAddress?: string; localPort?: number } | undefined): string | undefined {
  const key = info && keyOf(info)
  return key ? alerts.get(key) : undefined
}
