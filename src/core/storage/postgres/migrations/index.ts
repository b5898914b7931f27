// Every schema version, in order. A new version is a new file here; a released one never changes.
import type {Migration} from '../schema.js'
import {storeSchema} from './001-store.js'
import {contextZip} from './002-context-zip.js'
import {citusLayout} from './003-citus.js'
import {keysSchema} from './004-keys.js'
import {termsOnce} from './005-terms-once.js'

export const MIGRATIONS: readonly Migration[] = [storeSchema, contextZip, citusLayout, keysSchema, termsOnce]
