/**
 * The model's handler table: one handler per row of the domain operation table (`Operations.byName`). Its type
 * is derived from the table, so a new row without a handler here does not compile.
 *
 * @internal
 */
import type * as Operations from "@membercard/domain/Operations"
import { cardDelete, cardOpen, cardQuery, cardUpdate } from "./cards.js"
import { activateFormQuery, activateUrlApply, formTemplateSet } from "./forms.js"
import type { Handler } from "./handler.js"
import { imageUpload } from "./media.js"
import { messageNotify } from "./messages.js"
import { systemOauthToken } from "./oauth.js"
import { templateBatchQuery, templateCreate, templateModify, templateQuery } from "./templates.js"

/** Operations whose handler only answers `NOT_MODELLED_YET` (none now). */
export const notModelled: ReadonlyArray<Operations.Name> = []

/** One handler per operation of the domain table. */
export type Handlers = { readonly [N in Operations.Name]: Handler<N> }

export const handlers: Handlers = {
  templateCreate,
  templateModify,
  templateQuery,
  templateBatchQuery,
  formTemplateSet,
  activateUrlApply,
  activateFormQuery,
  cardOpen,
  cardQuery,
  cardUpdate,
  cardDelete,
  messageNotify,
  imageUpload,
  systemOauthToken
}
