import {Flags} from '@oclif/core'
import {fieldsetPatch, patchFieldset} from '../../core/definitions/edit.js'
import type {FieldsetDefinition} from '../../core/definitions/model.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'
import {definitionFileFlag, fieldsetDefinitionFlags, fieldsetFlagNames} from '../../ux/definition-flags.js'

export type FieldsetsCreateResult = FieldsetDefinition

export default class FieldsetsCreate extends DefinitionCommand<typeof FieldsetsCreate> {
  static override summary = 'Define a new fieldset: the fields an object using it may hold.'
  static override description =
    'From flags, or from a JSON file holding one fieldset (-f). Every field it names must be defined; a fieldset that exists is a conflict (exit 4). Objects choose it with --fieldset.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --id acme.support --description "Support details" --field Acme_Tier --field Acme_Score',
    '<%= config.bin %> <%= command.id %> -f acme-support.json --json',
  ]

  static override flags = {
    file: {...definitionFileFlag, exclusive: ['id', ...fieldsetFlagNames]},
    id: Flags.string({summary: 'The fieldset id, e.g. acme.support.'}),
    ...fieldsetDefinitionFlags,
  }

  async run(): Promise<FieldsetsCreateResult> {
    return this.createDefinition('fieldset', this.flags.file, async () => {
      const id = await this.required(this.flags.id, 'Fieldset id', '--id')
      return patchFieldset({id}, fieldsetPatch(this.flags))
    })
  }
}
