// The defaults a user would otherwise repeat on every command (store, operator, locale, lock
// timeout), kept in config.json in ctx's config directory. Each stands for an environment variable
// and fills it only when the environment leaves it unset, so a flag beats the environment, and the
// environment beats the file.
import {readFileSync} from 'node:fs'
import {chmod, mkdir, rm, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import {UsageError} from './errors.js'

/** The keys `ctx config` knows, each with the environment variable it fills. */
export const CONFIG_KEYS = {
  store: {env: 'CTX_STORE', summary: 'The store to use (a .json path, file:PATH, memory: or postgres://…).'},
  operator: {env: 'CTX_OPERATOR', summary: 'Who you are, as comments and moves record it.'},
  locale: {env: 'CTX_LOCALE', summary: 'The locale of field labels (en_US, fr_FR…); else LC_ALL / LANG.'},
  'lock-timeout': {env: 'CTX_LOCK_TIMEOUT_MS', summary: 'How long to wait for a busy store, in milliseconds.'},
} as const

export type ConfigKey = keyof typeof CONFIG_KEYS
export type ConfigValues = Partial<Record<ConfigKey, string>>

export function configKey(name: string): ConfigKey {
  if (!Object.hasOwn(CONFIG_KEYS, name)) {
    throw new UsageError(`no setting "${name}"`, {hint: `The settings are: ${Object.keys(CONFIG_KEYS).join(', ')}.`})
  }
  return name as ConfigKey
}

/** Refuses a value the setting cannot take, before it is written. */
export function checkConfigValue(key: ConfigKey, value: string): string {
  if (value.trim() === '') throw new UsageError(`${key} cannot be empty`, {hint: `To remove it: ctx config unset ${key}`})
  if (key === 'lock-timeout' && !/^\d+$/.test(value)) throw new UsageError(`lock-timeout is a number of milliseconds, not "${value}"`, {hint: 'For example: ctx config set lock-timeout 30000'})
  return value
}

/** The settings in `file`; a missing or unreadable file is no settings (it only holds defaults). */
export async function readConfig(file: string): Promise<ConfigValues> {
  let parsed: unknown
  try {
    // Synchronously: a small file, read by every command before it starts (bench P1).
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return {}
  }
  const out: ConfigValues = {}
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return out
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const value = (parsed as Record<string, unknown>)[key]
    if (Object.hasOwn(parsed, key) && typeof value === 'string') out[key] = value
  }
  return out
}

export async function writeConfig(file: string, values: ConfigValues): Promise<void> {
  await mkdir(dirname(file), {recursive: true})
  await writeFile(file, `${JSON.stringify(values, null, 2)}\n`, {mode: 0o600})
  await chmod(file, 0o600)
}

export async function setConfig(file: string, key: ConfigKey, value: string): Promise<ConfigValues> {
  const values = {...(await readConfig(file)), [key]: checkConfigValue(key, value)}
  await writeConfig(file, values)
  return values
}

export async function unsetConfig(file: string, key: ConfigKey): Promise<ConfigValues> {
  const {[key]: _gone, ...rest} = await readConfig(file)
  if (Object.keys(rest).length === 0) await rm(file, {force: true})
  else await writeConfig(file, rest)
  return rest
}

/** Fills each unset environment variable from its setting: flag > environment > config. */
export function applyConfig(values: ConfigValues, env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(values) as ConfigKey[]) {
    const name = CONFIG_KEYS[key].env
    if (env[name] === undefined || env[name] === '') env[name] = values[key]
  }
}

/** Where a setting's effective value comes from, for `ctx config get/list`. */
export function effectiveSetting(key: ConfigKey, values: ConfigValues, env: NodeJS.ProcessEnv): {key: ConfigKey; value: string | null; from: 'environment' | 'config' | 'unset'; env: string} {
  const name = CONFIG_KEYS[key].env
  if (values[key] !== undefined && env[name] === values[key]) return {key, value: values[key]!, from: 'config', env: name}
  if (env[name] !== undefined && env[name] !== '') return {key, value: env[name]!, from: 'environment', env: name}
  return {key, value: values[key] ?? null, from: values[key] === undefined ? 'unset' : 'config', env: name}
}
