/**
 * The schema half of the operation table: the request schema (strict) and the response schema (tolerant) of every
 * operation, by name. The table (`Operations`) derives its types from this module and loads it on first use
 * (`Operation.schemas`), so that importing the table, and the gateway's `MemberCards` with it, does not build the
 * ~1,000 schema nodes of the templates, cards, forms, images and tokens: a program builds them at its first call.
 * Import this module when the schemas are wanted at once (tests, the testkit, the wire emulator).
 *
 * @since 0.1.0
 */
import * as Card from "./Card.js"
import * as Image from "./Image.js"
import * as OAuth from "./OAuth.js"
import * as OpenForm from "./OpenForm.js"
import type * as Operations from "./Operations.js"
import * as Template from "./Template.js"

/**
 * The request and the response schema of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Schemas<Req, Res> {
  /** Request schema (strict). */
  readonly request: Req
  /** Response schema (tolerant): the business fields (v2 `*_response` minus code/msg, v3 200 body). */
  readonly response: Res
}

/**
 * The schemas of every operation, by the operation's name.
 *
 * @since 0.1.0
 * @category constants
 */
export const byName = {
  templateCreate: { request: Template.TemplateCreateRequest, response: Template.TemplateCreateResponse },
  templateModify: { request: Template.TemplateModifyRequest, response: Template.TemplateModifyResponse },
  templateQuery: { request: Template.TemplateQueryRequest, response: Template.TemplateQueryResponse },
  formTemplateSet: { request: OpenForm.FormTemplateSetRequest, response: OpenForm.FormTemplateSetResponse },
  activateUrlApply: { request: OpenForm.ActivateUrlApplyRequest, response: OpenForm.ActivateUrlApplyResponse },
  activateFormQuery: { request: OpenForm.ActivateFormQueryRequest, response: OpenForm.ActivateFormQueryResponse },
  cardOpen: { request: Card.CardOpenRequest, response: Card.CardOpenResponse },
  cardQuery: { request: Card.CardQueryRequest, response: Card.CardQueryResponse },
  cardUpdate: { request: Card.CardUpdateRequest, response: Card.CardUpdateResponse },
  cardDelete: { request: Card.CardDeleteRequest, response: Card.CardDeleteResponse },
  messageNotify: { request: Card.MessageNotifyRequest, response: Card.MessageNotifyResponse },
  imageUpload: { request: Image.ImageUploadRequest, response: Image.ImageUploadResponse },
  templateBatchQuery: { request: Template.TemplateBatchQueryRequest, response: Template.TemplateBatchQueryResponse },
  systemOauthToken: { request: OAuth.OAuthTokenRequest, response: OAuth.OAuthTokenResponse }
}

/**
 * The type of {@link byName}: the table's operations take their request and response types from it.
 *
 * @since 0.1.0
 * @category models
 */
export type ByName = typeof byName

/**
 * The schemas of an operation of the table, at once (this module is loaded).
 *
 * @since 0.1.0
 * @category utils
 */
export const of = <O extends Operations.Any>(
  operation: O
): Schemas<Operations.RequestSchema<O>, Operations.ResponseSchema<O>> =>
  // An operation of the table is typed from `byName` under its own name (see `Operations.make`).
  byName[operation.name as keyof ByName] as unknown as Schemas<
    Operations.RequestSchema<O>,
    Operations.ResponseSchema<O>
  >
