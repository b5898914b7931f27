// What the `fields` and `fieldsets` commands do, written once for both kinds: each command file
// holds its help and flags and calls one of these with its kind.
import type {Command} from '@oclif/core'
import {
  createDefinition,
  type DefinitionChange,
  type DefinitionOf,
  type DeletedDefinition,
  deleteDefinition,
  type FieldListing,
  type FieldsetListing,
  fieldsetsHolding,
  listFields,
  listFieldsets,
  type PatchOf,
  showField,
  showFieldset,
  updateDefinition,
} from '../core/definitions/manage.js'
import type {DefinitionKind, Definitions, FieldDefinition, FieldsetDefinition} from '../core/definitions/model.js'
import {readJsonFile} from '../core/json-file.js'
import type {Store} from '../core/storage/store.js'
import {CtxCommand} from './base-command.js'
import {fieldListRows, fieldsetListRows, fieldsetTable, fieldTable} from './definitions.js'
import {formatList, type ListOptions, printList, stdoutShape} from './list.js'

export type ListingOf<K extends DefinitionKind> = K extends 'field' ? FieldListing : FieldsetListing

export interface DefinitionsListResult<K extends DefinitionKind> {
  items: ListingOf<K>[]
  next: null
}

/** How each kind is listed, shown and printed. */
const KINDS = {
  field: {
    title: 'Field',
    async list(store: Store) {
      const items = await listFields(store)
      return {items, ...fieldListRows(items)}
    },
    async show(store: Store, id: string) {
      const {field, usedBy} = await showField(store, id)
      return {definition: field, text: fieldTable(field, usedBy)}
    },
    text: (field: FieldDefinition, definitions: Definitions) => fieldTable(field, fieldsetsHolding(definitions, field.id)),
  },
  fieldset: {
    title: 'Fieldset',
    async list(store: Store) {
      const items = await listFieldsets(store)
      return {items, ...fieldsetListRows(items)}
    },
    async show(store: Store, id: string) {
      const {fieldset, definitions, usage} = await showFieldset(store, id)
      return {definition: fieldset, text: fieldsetTable(fieldset, definitions, usage)}
    },
    text: (fieldset: FieldsetDefinition, definitions: Definitions) => fieldsetTable(fieldset, definitions),
  },
} as const

export abstract class DefinitionCommand<T extends typeof Command> extends CtxCommand<T> {
  protected async listDefinitions<K extends DefinitionKind>(kind: K, options: ListOptions): Promise<DefinitionsListResult<K>> {
    const session = await this.session()
    const {items, head, rows} = await KINDS[kind].list(session.store)
    if (!this.jsonEnabled()) printList(formatList(head, rows, options, stdoutShape()), null, options)
    return {items: items as ListingOf<K>[], next: null}
  }

  protected async showDefinition<K extends DefinitionKind>(kind: K, given: string | undefined): Promise<DefinitionOf<K>> {
    const id = await this.definitionId(kind, given)
    const session = await this.session()
    const {definition, text} = await KINDS[kind].show(session.store, id)
    if (!this.jsonEnabled()) this.log(text)
    return definition as DefinitionOf<K>
  }

  /** From the JSON file when given, else from `fromFlags` (which may ask for what it lacks). */
  protected async createDefinition<K extends DefinitionKind>(kind: K, file: string | undefined, fromFlags: () => Promise<unknown>): Promise<DefinitionOf<K>> {
    const input = file === undefined ? await fromFlags() : await readJsonFile(file)
    const session = await this.session()
    const definition = await createDefinition(session.store, kind, input, file)
    await this.printDefinition(kind, definition, session.store)
    return definition
  }

  /** The whole definition from the JSON file when given (its id the argument's default), else `patch`. */
  protected async updateDefinition<K extends DefinitionKind>(kind: K, given: string | undefined, file: string | undefined, patch: PatchOf<K>): Promise<DefinitionOf<K>> {
    const replacement = file === undefined ? undefined : await readJsonFile(file)
    const id = await this.definitionId(kind, given ?? (replacement as {id?: string} | undefined)?.id)
    const session = await this.session()
    const change: DefinitionChange<PatchOf<K>> = replacement === undefined ? {patch} : {replace: replacement}
    const definition = await updateDefinition(session.store, kind, id, change, file)
    await this.printDefinition(kind, definition, session.store)
    return definition
  }

  /** Asked first on a terminal, --force elsewhere; a definition that does not exist is exit 3 before the question. */
  protected async deleteDefinition(kind: DefinitionKind, given: string | undefined, force: boolean | undefined): Promise<DeletedDefinition> {
    const id = await this.definitionId(kind, given)
    const session = await this.session()
    await KINDS[kind].show(session.store, id)
    await this.confirm(force, `Delete ${kind} ${id}?`)
    const result = await deleteDefinition(session.store, kind, id)
    this.log(`Deleted ${kind} ${id}.`)
    return result
  }

  private definitionId(kind: DefinitionKind, given: string | undefined): Promise<string> {
    return this.required(given, `${KINDS[kind].title} id`, `the ${kind} id as an argument`)
  }

  private async printDefinition(kind: DefinitionKind, definition: FieldDefinition | FieldsetDefinition, store: Store): Promise<void> {
    if (this.jsonEnabled()) return
    const definitions = await store.definitions()
    this.log(kind === 'field' ? KINDS.field.text(definition as FieldDefinition, definitions) : KINDS.fieldset.text(definition as FieldsetDefinition, definitions))
  }
}
