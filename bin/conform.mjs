#!/usr/bin/env node
// The `conform` command. Runs the TypeScript sources directly (Node 24 strips types), so there is no build step.
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  process.stderr.write(
    `conform needs Node 24 (this is ${process.version}). Run it through npm (npm run conform -- …) or npx,\n` +
      `which use the Node 24 the project installs (node_modules/.bin/node).\n`,
  )
  process.exit(2)
}
// V8's compiled code (and Node's type-stripped sources) kept between runs: the CLI and the vitest worker it spawns load
// a few hundred modules; from the cache that takes about half the time. Inherited by child processes through the env.
const { enableCompileCache } = await import('node:module')
process.env.NODE_COMPILE_CACHE ??= new URL('../node_modules/.cache/node-compile-cache', import.meta.url).pathname
enableCompileCache?.(process.env.NODE_COMPILE_CACHE)
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
