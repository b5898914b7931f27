import {Flags} from '@oclif/core'
import {fieldPatch, patchField} from '../../core/definitions/edit.js'
import type {FieldDefinition} from '../../core/definitions/model.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'
import {definitionFileFlag, fieldDefinitionFlags, fieldFlagNames} from '../../ux/definition-flags.js'

export type FieldsCreateResult = FieldDefinition

export default class FieldsCreate extends DefinitionCommand<typeof FieldsCreate> {
  static override summary = 'Define a new field.'
  static override description =
    'From flags, or from a JSON file holding one field (-f). The definition is checked against schemas/field.schema.json; a field that exists is a conflict (exit 4).'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --id Acme_Tier --data-type string --classification UNENCRYPTED --label Tier --enum gold=Gold --enum silver=Silver',
    '<%= config.bin %> <%= command.id %> --id Acme_Score --data-type integer --classification UNENCRYPTED --no-searchable --json',
    '<%= config.bin %> <%= command.id %> -f acme-tier.json',
  ]

  static override flags = {
    file: {...definitionFileFlag, exclusive: ['id', ...fieldFlagNames]},
    id: Flags.string({summary: 'The field id objects use in data, e.g. Acme_Tier.'}),
    ...fieldDefinitionFlags,
  }

  async run(): Promise<FieldsCreateResult> {
    return this.createDefinition('field', this.flags.file, async () => {
      const id = await this.required(this.flags.id, 'Field id', '--id')
      const dataType = await this.required(this.flags['data-type'], 'Data type', '--data-type')
      const classification = await this.required(this.flags.classification, 'Classification', '--classification')
      return patchField({id}, {...fieldPatch(this.flags), dataType, classification})
    })
  }
}
