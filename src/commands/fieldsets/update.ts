import {Args, Flags} from '@oclif/core'
import {fieldsetPatch} from '../../core/definitions/edit.js'
import type {FieldsetDefinition} from '../../core/definitions/model.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'
import {definitionFileFlag, fieldsetDefinitionFlags, fieldsetFlagNames} from '../../ux/definition-flags.js'

export type FieldsetsUpdateResult = FieldsetDefinition

export default class FieldsetsUpdate extends DefinitionCommand<typeof FieldsetsUpdate> {
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
    return this.updateDefinition('fieldset', this.args.id, this.flags.file, fieldsetPatch(this.flags))
  }
}
