import {Args, Flags} from '@oclif/core'
import {fieldPatch, UNSETTABLE_FIELD_PROPERTIES} from '../../core/definitions/edit.js'
import type {FieldDefinition} from '../../core/definitions/model.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'
import {definitionFileFlag, fieldDefinitionFlags, fieldFlagNames} from '../../ux/definition-flags.js'

export type FieldsUpdateResult = FieldDefinition

export default class FieldsUpdate extends DefinitionCommand<typeof FieldsUpdate> {
  static override summary = 'Change a field.'
  static override description = `Flags change only what they name; -f FILE replaces the whole definition. Everything but the id may change, with protections (exit 4): a field held by a fieldset keeps its dataType and its enum values (deactivate them with --deactivate-enum instead). Base fields may be relabelled.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> Acme_Tier --enum bronze=Bronze --deactivate-enum silver',
    '<%= config.bin %> <%= command.id %> Context_City --translation fr_FR=Ville',
    '<%= config.bin %> <%= command.id %> Acme_Score --unset description --required --json',
    '<%= config.bin %> <%= command.id %> Acme_Tier -f acme-tier.json',
  ]

  static override args = {
    id: Args.string({description: 'Field id.'}),
  }

  static override flags = {
    file: {...definitionFileFlag, exclusive: [...fieldFlagNames, 'deactivate-enum', 'unset']},
    ...fieldDefinitionFlags,
    'deactivate-enum': Flags.string({summary: 'Keep this enum value on old data but refuse it on new data (repeatable).', multiple: true}),
    unset: Flags.string({summary: 'Remove a property (repeatable).', multiple: true, options: [...UNSETTABLE_FIELD_PROPERTIES]}),
  }

  async run(): Promise<FieldsUpdateResult> {
    return this.updateDefinition('field', this.args.id, this.flags.file, fieldPatch(this.flags))
  }
}
