/**
 * At most `size` holders at once; the rest wait in order. A waiter whose signal fires stops waiting and goes
 * ahead without a slot (a stopped check does nothing but return).
 */
export class Slots {
  private readonly size: number
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(size: number) {
    this.size = Math.max(1, size)
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const held = await this.take(signal)
    try {
      return await fn()
    } finally {
      if (held) this.give()
    }
  }

  private take(signal?: AbortSignal): Promise<boolean> {
    if (this.active < this.size) {
      this.active++
      return Promise.resolve(true)
    }
    if (signal?.aborted) return Promise.resolve(false)
    return new Promise((resolve) => {
      const granted = () => {
        signal?.removeEventListener('abort', abandoned)
        this.active++
        resolve(true)
      }
      const abandoned = () => {
        const i = this.waiting.indexOf(granted)
        if (i >= 0) this.waiting.splice(i, 1)
        resolve(false)
      }
      this.waiting.push(granted)
      signal?.addEventListener('abort', abandoned, { once: true })
    })
  }

  private give(): void {
    this.active--
    this.waiting.shift()?.()
  }
}
