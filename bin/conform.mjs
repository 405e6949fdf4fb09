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
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
