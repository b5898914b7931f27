// Flags of the fields and fieldsets commands, defined once for create and update.
import {Flags} from '@oclif/core'
import {DATA_TYPES} from '../core/definitions/model.js'

export const definitionFileFlag = Flags.string({
  char: 'f',
  summary: 'Read the whole definition from a JSON file (as `show --json` prints it) instead of flags.',
})

export const fieldDefinitionFlags = {
  'data-type': Flags.string({summary: 'What values hold: integer is 32-bit, date is ISO-8601.', options: [...DATA_TYPES]}),
  classification: Flags.string({summary: 'How sensitive the values are.', options: ['PII', 'ENCRYPTED', 'UNENCRYPTED']}),
  label: Flags.string({summary: 'Label shown in tables (the en_US translation).'}),
  translation: Flags.string({summary: 'Label in a locale: LOCALE=TEXT (repeatable; an empty TEXT removes it).', multiple: true}),
  searchable: Flags.boolean({summary: 'Whether search matches words in this field (default: yes).', allowNo: true}),
  description: Flags.string({summary: 'What the field is for.'}),
  'max-length': Flags.integer({summary: 'Strings: the most characters a value may have.', min: 1}),
  pattern: Flags.string({summary: 'Strings: a regular expression every value must match.'}),
  enum: Flags.string({summary: 'Strings: an allowed value, VALUE or VALUE=LABEL (repeatable; re-activates an inactive one).', multiple: true}),
  required: Flags.boolean({summary: 'Whether objects using a fieldset with this field must give it.', allowNo: true}),
}

export const fieldsetDefinitionFlags = {
  description: Flags.string({summary: 'What the fieldset is for (an empty value removes it on update).'}),
  field: Flags.string({summary: 'A field objects may set (repeatable; on update, adds it or makes it active again).', multiple: true}),
  'inactive-field': Flags.string({
    summary: 'A field kept for old data but refused on new data (repeatable; on update, moves it out of the active fields).',
    multiple: true,
  }),
}

/** The names of the flags above, so `-f FILE` can be made exclusive with all of them. */
export const fieldFlagNames = Object.keys(fieldDefinitionFlags)
export const fieldsetFlagNames = Object.keys(fieldsetDefinitionFlags)
