import { registerSuite } from '../src/vitest/register.ts'

registerSuite('ecgridos-v41')
