/** The reference's clock: an injectable base clock plus an offset that the control endpoint can move forward. */
export interface Clock {
  now(): Date
  advance(ms: number): void
}

export function createClock(base: () => Date = () => new Date()): Clock {
  let offsetMs = 0
  return {
    now: () => new Date(base().getTime() + offsetMs),
    advance: (ms: number) => {
      offsetMs += ms
    },
  }
}
