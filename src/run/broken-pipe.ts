/**
 * `conform run | head`, or a CI log collector that goes away: a write to a closed pipe fails with EPIPE, and an
 * unhandled stream error would end the process in the middle of a check, before it restores its users. Once called,
 * a closed stdout or stderr only stops what is printed there; the run and its report files go on. For the rest of the
 * process (the error of a write comes a tick later, possibly after the run returned); installed once.
 */
let installed = false

export function surviveBrokenPipes(): void {
  if (installed) return
  installed = true
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  }
  process.stdout.on('error', onError)
  process.stderr.on('error', onError)
}
