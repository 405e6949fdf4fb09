/** Runs on the reference's thread (see thread.ts): starts it, says where it listens, closes it when told. */
import { parentPort, workerData } from 'node:worker_threads'
import { ReferenceConfigError } from './errors.ts'
import { startReference, type ReferenceOptions } from './index.ts'

const port = parentPort!
try {
  const ref = await startReference(workerData as ReferenceOptions)
  port.once('message', () => void ref.close().then(() => port.close()))
  port.postMessage({ url: ref.url, controlKey: ref.controlKey })
} catch (e) {
  const code = e instanceof ReferenceConfigError ? e.code : 'LISTEN_FAILED'
  port.postMessage({ error: { code, message: (e as Error).message } })
  port.close()
}
