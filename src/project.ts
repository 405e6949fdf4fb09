import { existsSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { loadCatalogue, type Catalogue } from './catalogue.ts'
import { loadConfig } from './config.ts'
import { ConformError, SpecErrors } from './errors.ts'
import { DEFAULT_CONFIG, PROJECT_ROOT, SPECS_DIR } from './paths.ts'
import { loadApi } from './spec/load-api.ts'
import { loadSpec } from './spec/load-spec.ts'
import { checkConfigAgainstApis } from './spec/check-config.ts'
import type { ApiDescription, Config, Spec } from './spec/model.ts'
import { SourceFile } from './yaml/source.ts'

export interface Project {
  catalogue: Catalogue
  apis: ReadonlyMap<string, ApiDescription>
  specs: Spec[]
  config: Config
}

export interface LoadOptions {
  specsDir?: string
  /** A config file the user named: it must exist (the default one may be absent: the built-in reference alone). */
  configFile?: string
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
    .map((d) => join(d.parentPath, d.name))
    .sort()
}

function readSource(file: string, errors: ConformError[]): SourceFile | undefined {
  try {
    return SourceFile.read(file, PROJECT_ROOT)
  } catch (e) {
    if (e instanceof SpecErrors) errors.push(...e.errors)
    else if (e instanceof ConformError) errors.push(e)
    else errors.push(new ConformError('UNREADABLE', 'spec', `${relative(PROJECT_ROOT, file)}: ${(e as Error).message}`))
    return undefined
  }
}

/** Loads and checks everything a run needs; throws SpecErrors listing every mistake found. */
export function loadProject(opts: LoadOptions = {}): Project {
  const specsDir = resolve(opts.specsDir ?? SPECS_DIR)
  const errors: ConformError[] = []
  let catalogue: Catalogue = new Map()
  let config: Config | undefined
  try {
    catalogue = loadCatalogue(resolve(specsDir, 'behaviours.yaml'))
  } catch (e) {
    if (e instanceof SpecErrors) errors.push(...e.errors)
    else throw e
  }
  try {
    config = loadConfig(resolve(opts.configFile ?? DEFAULT_CONFIG), PROJECT_ROOT, { explicit: opts.configFile !== undefined })
  } catch (e) {
    if (e instanceof SpecErrors) errors.push(...e.errors)
    else throw e
  }
  const apis = new Map<string, ApiDescription>()
  const apiDirs = existsSync(specsDir)
    ? readdirSync(specsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : []
  for (const dir of apiDirs) {
    const file = resolve(specsDir, dir, 'api.yaml')
    if (!existsSync(file)) {
      errors.push(new ConformError('NO_API_FILE', 'spec', `specs/${dir}/ has no api.yaml describing the API`))
      continue
    }
    const source = readSource(file, errors)
    if (!source) continue
    const { api, errors: apiErrors } = loadApi(source)
    errors.push(...apiErrors)
    if (!api) continue
    if (api.api !== dir) errors.push(source.error('API_NAME', `api "${api.api}" must match its folder name "${dir}"`, ['api']))
    apis.set(api.api, api)
  }
  const specs: Spec[] = []
  const seen = new Map<string, string>()
  for (const dir of apiDirs) {
    for (const file of yamlFilesUnder(resolve(specsDir, dir))) {
      if (file.endsWith(`${dir}/api.yaml`)) continue
      const source = readSource(file, errors)
      if (!source) continue
      const { spec, errors: specErrors } = loadSpec(source, catalogue, apis)
      errors.push(...specErrors)
      if (!spec) continue
      const first = seen.get(spec.id)
      if (first) errors.push(source.error('DUPLICATE_ID', `spec id "${spec.id}" is already used by ${first}`, ['id']))
      else seen.set(spec.id, spec.file)
      specs.push(spec)
    }
  }
  if (config) errors.push(...checkConfigAgainstApis(config, apis))
  if (errors.length || !config) throw new SpecErrors(errors)
  // Kept in the parse cache only now that every check of it passed: a refused one (a credential written out by
  // mistake, under any key) is copied nowhere.
  config.source?.keep()
  return { catalogue, apis, specs, config }
}
