import * as Operations from "@membercard/domain/Operations"
import type * as Schema from "effect/Schema"
import type { Operation } from "../AlipayClient.js"

/**
 * Adapts an operation of the domain's operation table to what the client needs.
 *
 * @internal
 */
export const adapt = <Name extends string, A, I, R, RI>(
  op: Operations.Operation<Name, Schema.Schema<A, I, never>, Schema.Schema<R, RI, never>>
): Operation<A, I, R, RI> => ({
  name: op.name,
  v2Method: op.method,
  verb: op.v3.verb,
  path: op.v3.path,
  transport: op.v3.encoding === "json" ? "body" : op.v3.encoding,
  userAuthToken: op.userAuthToken,
  request: op.request,
  response: op.response,
  safety: op.retry
})

/**
 * The member card operations (spec §1 rows 1–13), from the domain's operation table.
 *
 * @internal
 */
export const operations = {
  templateCreate: adapt(Operations.templateCreate),
  templateModify: adapt(Operations.templateModify),
  templateQuery: adapt(Operations.templateQuery),
  templateBatchQuery: adapt(Operations.templateBatchQuery),
  formTemplateSet: adapt(Operations.formTemplateSet),
  activateUrlApply: adapt(Operations.activateUrlApply),
  activateFormQuery: adapt(Operations.activateFormQuery),
  cardOpen: adapt(Operations.cardOpen),
  cardQuery: adapt(Operations.cardQuery),
  cardUpdate: adapt(Operations.cardUpdate),
  cardDelete: adapt(Operations.cardDelete),
  messageNotify: adapt(Operations.messageNotify),
  imageUpload: adapt(Operations.imageUpload)
} as const
