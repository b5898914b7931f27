import {PassThrough} from 'node:stream'
import {expect, it} from 'vitest'
import {BACK, DeskInterrupt, DeskKeys} from '../../src/ux/desk/prompts.js'

const keysOn = () => new DeskKeys(new PassThrough() as unknown as NodeJS.ReadStream)

it('finishes a write during which Ctrl-C came, then leaves before anything else', async () => {
  const keys = keysOn()
  keys.start()
  try {
    let finished = false
    const written = keys.write(async () => {
      process.emit('SIGINT', 'SIGINT')
      await new Promise((resolve) => setTimeout(resolve, 10))
      finished = true
      return 'saved'
    })
    await expect(written).resolves.toBe('saved')
    expect(finished).toBe(true)
    await expect(keys.write(async () => 'never')).rejects.toBeInstanceOf(DeskInterrupt)
    await expect(keys.ask(async () => 'never')).rejects.toBeInstanceOf(DeskInterrupt)
  } finally {
    keys.stop()
  }
})

it('turns an aborted prompt (Esc) into BACK and a force-closed one (Ctrl-C) into DeskInterrupt', async () => {
  const keys = keysOn()
  const failing = (name: string) => async () => {
    const error = new Error('prompt ended')
    error.name = name
    throw error
  }
  await expect(keys.ask(failing('AbortPromptError'))).resolves.toBe(BACK)
  await expect(keys.ask(failing('ExitPromptError'))).rejects.toBeInstanceOf(DeskInterrupt)
  await expect(keys.ask(failing('TypeError'))).rejects.toThrow('prompt ended')
})

it('aborts the prompt it runs when Esc is pressed', async () => {
  const input = new PassThrough()
  const keys = new DeskKeys(input as unknown as NodeJS.ReadStream)
  keys.start()
  try {
    const asked = keys.ask(
      (context) =>
        new Promise((_, reject) => {
          context.signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), {name: 'AbortPromptError'})))
          input.emit('keypress', '\u001B', {name: 'escape'})
        }),
    )
    await expect(asked).resolves.toBe(BACK)
  } finally {
    keys.stop()
  }
})
