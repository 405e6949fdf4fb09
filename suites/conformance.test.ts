import { registerSuites } from '../src/vitest/register.ts'

// Every API under specs/ (or those provide.conform.apis names): one test per spec × binding (docs/vitest.md).
registerSuites()
