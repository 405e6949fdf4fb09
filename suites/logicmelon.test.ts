import { registerSuite } from '../src/vitest/register.ts'

registerSuite('logicmelon')
