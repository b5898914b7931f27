// The file store's cross-process lock: a file beside the store (`store.json.lock`) naming its holder
// — host, pid, when that process started, a token of its own — created whole in one step (a link
// of a file already written), so no one ever sees a lock without its holder. On the same host a lock
// is held exactly as long as its process lives: a busy holder (parsing a 300 MB store) never loses
// it, and a killed one's is taken at once. A holder on another host keeps its lock fresh; it goes
// stale after `staleMs` without a touch. Before a holder renames its new file into place it
// confirms the lock is still its own, so a holder that lost it fails instead of acknowledging.
//
// proper-lockfile, used before, keeps no record of its holder (its lock directory must stay empty),
// so it could only judge a lock by age: a busy holder lost it after 10 s, a dead one's was waited for.
import {randomUUID} from 'node:crypto'
import {linkSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {onExit} from 'signal-exit'
import {LockTimeoutError, StorageError} from '../errors.js'

interface Holder {
  host: string
  /** The process's pid namespace (Linux): containers sharing a host name and a volume see different pids. */
  pids?: string | null
  pid: number
  /** When the process started (Linux: /proc/PID/stat), so a reused pid is not taken for it. */
  started: string | null
  token: string
}

export interface LockOptions {
  /** How long to wait for another live holder before giving up (LockTimeoutError, exit 7). */
  timeoutMs: number
  /** How long a lock of another host (or of no known holder) may go untouched before it is stale. */
  staleMs: number
}

/** How often a holder touches its lock, at most, from the loops where its time is spent. */
const TOUCH_MS = 1000

export class StoreLock {
  private touched = Date.now()
  private released = false
  private readonly timer: NodeJS.Timeout
  private readonly removeOnExit: () => void

  constructor(
    readonly path: string,
    private readonly holder: Holder,
  ) {
    this.timer = setInterval(() => this.touch(), TOUCH_MS).unref()
    // Sync: an exit handler cannot wait. A SIGKILL skips it; the next writer sees the pid is gone.
    this.removeOnExit = onExit(() => this.release())
  }

  /** Keeps the lock fresh for other hosts: cheap, called from loops over a large store. */
  touch(): void {
    if (this.released || Date.now() - this.touched < TOUCH_MS) return
    this.touched = Date.now()
    try {
      const now = new Date()
      utimesSync(this.path, now, now)
    } catch {
      // Gone or replaced: confirm() reports it before anything is written.
    }
  }

  /** Right before the new store file is renamed into place: the lock is still ours (and fresh), or this throws. */
  confirm(): void {
    const now = readHolder(this.path)
    if (now?.token !== this.holder.token) {
      const by = now ? `${now.host} pid ${now.pid}` : 'no one'
      throw new StorageError(`lost the lock on ${storeOf(this.path)} (it is now held by ${by}); nothing was written`, {
        hint: 'Another process judged this one gone and took the lock. Run the command again.',
        where: storeOf(this.path),
      })
    }
    this.touched = 0
    this.touch()
  }

  release(): void {
    if (this.released) return
    this.released = true
    clearInterval(this.timer)
    this.removeOnExit()
    if (readHolder(this.path)?.token === this.holder.token) removeLockFile(this.path, this.holder)
  }
}

/**
 * Takes the lock on `target` (the store file's real path), waiting for a live holder up to
 * `timeoutMs`. Only "held by someone else" is worth waiting for; any other failure (permissions, a
 * missing directory) is thrown at once, as the file system's error.
 */
export async function takeLock(target: string, options: LockOptions): Promise<StoreLock> {
  const path = `${target}.lock`
  const holder: Holder = {host: hostname(), pids: pidNamespace(), pid: process.pid, started: processStart(process.pid), token: randomUUID()}
  const deadline = Date.now() + options.timeoutMs
  let pause = 5
  for (;;) {
    if (create(path, holder)) return new StoreLock(path, holder)
    if (takeAbandoned(path, holder, options.staleMs)) continue
    if (Date.now() >= deadline) {
      const now = readHolder(path)
      throw new LockTimeoutError(`${target} is locked by another ctx process and stayed locked for ${options.timeoutMs / 1000} s`, {
        hint: now
          ? `The lock ${path} is held by ${now.host === holder.host ? '' : `host ${now.host}, `}pid ${now.pid}; try again when it is done.`
          : `The lock ${path} names no holder; if no other ctx is running, it is stale within ${Math.ceil(options.staleMs / 1000)} s.`,
        where: target,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())))
    pause = Math.min(pause * 1.5, 100)
  }
}

/**
 * Removes what killed writers left beside `target`: temporary store files and lock files of
 * processes that are gone. Called by the holder of the lock, so no live writer is making them.
 */
export function removeLeftovers(target: string): void {
  const directory = dirname(target)
  const prefix = `${basename(target)}.`
  // `store.json.PID.N.tmp` (file-write.ts) and `store.json.lock.PID.UUID` (a lock being made or taken).
  const leftover = /^(?:(\d+)\.\d+\.tmp|lock\.(\d+)\.[0-9a-f]{8}-[0-9a-f-]{27})$/
  let names: string[]
  try {
    names = readdirSync(directory)
  } catch {
    return
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const match = leftover.exec(name.slice(prefix.length))
    if (!match || processAlive(Number(match[1] ?? match[2]))) continue
    rmSync(join(directory, name), {force: true})
  }
}

/**
 * Creates the lock whole, holder and all: a link to a file already written fails if the lock
 * exists. Where the file system has no hard links (FAT, some network shares) the lock is created
 * exclusively and then written: a waiter that reads it empty meanwhile judges it by its age only.
 */
function create(path: string, holder: Holder): boolean {
  const text = `${JSON.stringify(holder)}\n`
  const staged = `${path}.${holder.pid}.${randomUUID()}`
  writeFileSync(staged, text, {mode: 0o600})
  try {
    linkSync(staged, path)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error
  } finally {
    rmSync(staged, {force: true})
  }
  try {
    writeFileSync(path, text, {mode: 0o600, flag: 'wx'})
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** Takes away a lock whose holder is gone; true when the lock may be tried again at once. */
function takeAbandoned(path: string, self: Holder, staleMs: number): boolean {
  let modified: number
  try {
    modified = statSync(path).mtimeMs
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  const holder = readHolder(path)
  // Only a holder whose pid this process can look up is judged by it; any other by the lock's age.
  const sameHost = holder !== null && holder.host === self.host && (holder.pids ?? null) === self.pids
  const abandoned = sameHost ? !holderAlive(holder) : modified < Date.now() - staleMs
  if (!abandoned) return false
  removeLockFile(path, holder)
  return true
}

/**
 * Removes the lock file if it is still `holder`'s: renamed aside first (atomic), then checked, so a
 * lock another process made meanwhile is put back rather than removed.
 */
function removeLockFile(path: string, holder: Holder | null): void {
  const aside = `${path}.${process.pid}.${randomUUID()}`
  try {
    renameSync(path, aside)
  } catch {
    return
  }
  if (readHolder(aside)?.token !== holder?.token) {
    try {
      linkSync(aside, path)
    } catch {
      // A newer lock is in place; the one set aside is no one's any more.
    }
  }
  rmSync(aside, {force: true, recursive: true})
}

/** The holder a lock names; null for a lock that names none (a directory left by an older ctx). */
function readHolder(path: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder
    return typeof holder?.pid === 'number' && typeof holder.token === 'string' ? holder : null
  } catch {
    return null
  }
}

function holderAlive(holder: Holder): boolean {
  if (!processAlive(holder.pid)) return false
  // The pid may have been given to another process since; unknown start times count as the same.
  const started = processStart(holder.pid)
  return holder.started === null || started === null || started === holder.started
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The start time of a process in clock ticks since boot (Linux), or null where /proc has none. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' do not.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid')
  } catch {
    return null
  }
}

function storeOf(lockPath: string): string {
  return lockPath.slice(0, -'.lock'.length)
}
