import {Args, Flags} from '@oclif/core'
import {fieldsetPatch} from '../../core/definitions/edit.js'
import {updateFieldset} from '../../core/definitions/manage.js'
import type {FieldsetDefinition} from '../../core/definitions/model.js'
import {readJsonFile} from '../../core/json-file.js'
import {CtxCommand} from '../../ux/base-command.js'
import {definitionFileFlag, fieldsetDefinitionFlags, fieldsetFlagNames} from '../../ux/definition-flags.js'
import {fieldsetTable} from '../../ux/definitions.js'

export type FieldsetsUpdateResult = FieldsetDefinition

export default class FieldsetsUpdate extends CtxCommand<typeof FieldsetsUpdate> {
  static override summary = 'Change a fieldset: add fields, make them inactive or active again.'
  static override description = `Flags change only what they name; -f FILE replaces the whole definition. Making a field inactive (--inactive-field) keeps the values objects already hold readable and refuses new ones. A fieldset that objects use never loses a field: --remove-field is refused there (exit 4); make the field inactive instead. Base fieldsets keep their base fields active.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> acme.support --field Acme_Region',
    '<%= config.bin %> <%= command.id %> acme.support --inactive-field Acme_Score',
    '<%= config.bin %> <%= command.id %> acme.support -f acme-support.json --json',
  ]

  static override args = {
    id: Args.string({description: 'Fieldset id.'}),
  }

  static override flags = {
    file: {...definitionFileFlag, exclusive: [...fieldsetFlagNames, 'remove-field']},
    ...fieldsetDefinitionFlags,
    'remove-field': Flags.string({summary: 'Drop a field from the fieldset altogether (repeatable; only when no object uses the fieldset).', multiple: true}),
  }

  async run(): Promise<FieldsetsUpdateResult> {
    const {file} = this.flags
    const replacement = file === undefined ? undefined : await readJsonFile(file)
    const id = await this.required(this.args.id ?? (replacement as {id?: string} | undefined)?.id, 'Fieldset id', 'the fieldset id as an argument')
    const session = await this.session()
    const change = replacement === undefined ? {patch: fieldsetPatch(this.flags)} : {replace: replacement}
    const fieldset = await updateFieldset(session.store, id, change, file)
    if (!this.jsonEnabled()) this.log(fieldsetTable(fieldset, await session.store.definitions()))
    return fieldset
  }
}
