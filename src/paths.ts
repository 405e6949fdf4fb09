import { resolve } from 'node:path'

/** Where the product's own data lives (schemas, specs, the behaviour catalogue): beside src/, in any clone. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..')
export const SCHEMAS_DIR = resolve(PROJECT_ROOT, 'schemas')
export const SPECS_DIR = resolve(PROJECT_ROOT, 'specs')
export const DEFAULT_CONFIG = resolve(PROJECT_ROOT, 'conform.config.yaml')
