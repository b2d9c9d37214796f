/**
 * `MemberCards`: one method per member card API (spec §1 rows 1–13), typed end to end. Every request is
 * validated before anything is sent; every method has `R = never` and an exact error union.
 *
 * @since 0.1.0
 */
import * as Operations from "@membercard/domain/Operations"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import { AlipayClient, type Operation } from "./AlipayClient.js"
import type { Protocol } from "./AlipayConfig.js"
import * as AlipayError from "./AlipayError.js"
import { operations } from "./internal/operations.js"
import * as Overrides from "./internal/overrides.js"

/**
 * The business sub-codes an operation documents besides the common `INVALID_PARAMETER` and `SYSTEM_ERROR`,
 * derived (type and value) from the domain's operation table, the one source of truth.
 *
 * @since 0.1.0
 * @category models
 */
export type DocumentedSubCodeOf<Name extends OperationName> = Exclude<
  Operations.SubCodes<(typeof Operations.byName)[Name]>,
  AlipayError.CommonSubCode
>

const documented = <Codes extends AlipayError.BusinessSubCode>(
  op: { readonly subCodes: ReadonlyArray<Codes> }
): ReadonlyArray<Exclude<Codes, AlipayError.CommonSubCode>> =>
  op.subCodes.filter((code): code is Exclude<Codes, AlipayError.CommonSubCode> =>
    !(AlipayError.commonSubCodes as ReadonlyArray<string>).includes(code)
  )

/**
 * The business sub-codes each operation documents (spec §4.x / §7), besides the common `INVALID_PARAMETER` and
 * `SYSTEM_ERROR`: the domain's `Operations.<op>.subCodes` minus those two. Any other sub-code arrives as
 * `AlipayBusinessError`.
 *
 * @since 0.1.0
 * @category constants
 */
export const documentedSubCodes: { readonly [Name in OperationName]: ReadonlyArray<DocumentedSubCodeOf<Name>> } = {
  templateCreate: documented(Operations.templateCreate),
  templateModify: documented(Operations.templateModify),
  templateQuery: documented(Operations.templateQuery),
  templateBatchQuery: documented(Operations.templateBatchQuery),
  formTemplateSet: documented(Operations.formTemplateSet),
  activateUrlApply: documented(Operations.activateUrlApply),
  activateFormQuery: documented(Operations.activateFormQuery),
  cardOpen: documented(Operations.cardOpen),
  cardQuery: documented(Operations.cardQuery),
  cardUpdate: documented(Operations.cardUpdate),
  cardDelete: documented(Operations.cardDelete),
  messageNotify: documented(Operations.messageNotify),
  imageUpload: documented(Operations.imageUpload)
}

/**
 * The operation names.
 *
 * @since 0.1.0
 * @category models
 */
export type OperationName = keyof typeof operations

/**
 * The request type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestOf<Name extends OperationName> = Schema.Schema.Type<(typeof operations)[Name]["request"]>

/**
 * The response type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseOf<Name extends OperationName> = Schema.Schema.Type<(typeof operations)[Name]["response"]>

/**
 * The exact error union of an operation.
 *
 * @since 0.1.0
 * @category errors
 */
export type ErrorOf<Name extends OperationName> =
  | AlipayError.CommonError
  | AlipayError.BusinessErrorOf<DocumentedSubCodeOf<Name>>

/** @since 0.1.0 @category errors */
export type TemplateCreateError = ErrorOf<"templateCreate">
/** @since 0.1.0 @category errors */
export type TemplateModifyError = ErrorOf<"templateModify">
/** @since 0.1.0 @category errors */
export type TemplateQueryError = ErrorOf<"templateQuery">
/** @since 0.1.0 @category errors */
export type TemplateBatchQueryError = ErrorOf<"templateBatchQuery">
/** @since 0.1.0 @category errors */
export type FormTemplateSetError = ErrorOf<"formTemplateSet">
/** @since 0.1.0 @category errors */
export type ActivateUrlApplyError = ErrorOf<"activateUrlApply">
/** @since 0.1.0 @category errors */
export type ActivateFormQueryError = ErrorOf<"activateFormQuery">
/** @since 0.1.0 @category errors */
export type CardOpenError = ErrorOf<"cardOpen">
/** @since 0.1.0 @category errors */
export type CardQueryError = ErrorOf<"cardQuery">
/** @since 0.1.0 @category errors */
export type CardUpdateError = ErrorOf<"cardUpdate">
/** @since 0.1.0 @category errors */
export type CardDeleteError = ErrorOf<"cardDelete">
/** @since 0.1.0 @category errors */
export type MessageNotifyError = ErrorOf<"messageNotify">
/** @since 0.1.0 @category errors */
export type ImageUploadError = ErrorOf<"imageUpload">

/**
 * Any error of any method.
 *
 * @since 0.1.0
 * @category errors
 */
export type MemberCardsError = ErrorOf<OperationName>

type Method<Name extends OperationName> = (request: RequestOf<Name>) => Effect.Effect<ResponseOf<Name>, ErrorOf<Name>>
type UserMethod<Name extends OperationName> = (
  request: RequestOf<Name>,
  userAuthToken: Redacted.Redacted<string>
) => Effect.Effect<ResponseOf<Name>, ErrorOf<Name>>

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace MemberCards {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** alipay.marketing.card.template.create — create a card template. */
    readonly templateCreate: Method<"templateCreate">
    /** alipay.marketing.card.template.modify — modify a template (affects every issued card). */
    readonly templateModify: Method<"templateModify">
    /** alipay.marketing.card.template.query — read a template. */
    readonly templateQuery: Method<"templateQuery">
    /** alipay.marketing.card.template.batchquery — list templates (paged). */
    readonly templateBatchQuery: Method<"templateBatchQuery">
    /** alipay.marketing.card.formtemplate.set — configure the open-card form. */
    readonly formTemplateSet: Method<"formTemplateSet">
    /** alipay.marketing.card.activateurl.apply — get the card-claim URL. */
    readonly activateUrlApply: Method<"activateUrlApply">
    /** alipay.marketing.card.activateform.query — read what the user typed into the form (user token). */
    readonly activateFormQuery: UserMethod<"activateFormQuery">
    /** alipay.marketing.card.open — issue a card to a user (user token). */
    readonly cardOpen: UserMethod<"cardOpen">
    /** alipay.marketing.card.query — query a card. */
    readonly cardQuery: Method<"cardQuery">
    /** alipay.marketing.card.update — update a card (points, balance, level, dynamic code, …). */
    readonly cardUpdate: Method<"cardUpdate">
    /** alipay.marketing.card.delete — delete a card. */
    readonly cardDelete: Method<"cardDelete">
    /** alipay.marketing.card.message.notify — push a card message to the user. */
    readonly messageNotify: Method<"messageNotify">
    /** alipay.offline.material.image.upload — upload an image or video (multipart), get its `image_id`. */
    readonly imageUpload: Method<"imageUpload">
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class MemberCards extends Context.Tag("@membercard/gateway/MemberCards")<MemberCards, MemberCards.Service>() {}

/**
 * Builds the service on an `AlipayClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<MemberCards.Service, never, AlipayClient> = Effect.gen(function*() {
  const client = yield* AlipayClient
  const method = <A, I, R, RI, Codes extends AlipayError.BusinessSubCode>(
    operation: Operation<A, I, R, RI>,
    subCodes: ReadonlyArray<Codes>
  ) => {
    // Built once per operation; the body is a plain function (no generator step per call).
    const options = { subCodes }
    return Effect.fn(`MemberCards.${operation.name}`)((request: A) => client.execute(operation, request, options))
  }
  const userMethod = <A, I, R, RI, Codes extends AlipayError.BusinessSubCode>(
    operation: Operation<A, I, R, RI>,
    subCodes: ReadonlyArray<Codes>
  ) =>
    Effect.fn(`MemberCards.${operation.name}`)((request: A, userAuthToken: Redacted.Redacted<string>) =>
      client.execute(operation, request, { subCodes, userAuthToken })
    )
  return MemberCards.of({
    templateCreate: method(operations.templateCreate, documentedSubCodes.templateCreate),
    templateModify: method(operations.templateModify, documentedSubCodes.templateModify),
    templateQuery: method(operations.templateQuery, documentedSubCodes.templateQuery),
    templateBatchQuery: method(operations.templateBatchQuery, documentedSubCodes.templateBatchQuery),
    formTemplateSet: method(operations.formTemplateSet, documentedSubCodes.formTemplateSet),
    activateUrlApply: method(operations.activateUrlApply, documentedSubCodes.activateUrlApply),
    activateFormQuery: userMethod(operations.activateFormQuery, documentedSubCodes.activateFormQuery),
    cardOpen: userMethod(operations.cardOpen, documentedSubCodes.cardOpen),
    cardQuery: method(operations.cardQuery, documentedSubCodes.cardQuery),
    cardUpdate: method(operations.cardUpdate, documentedSubCodes.cardUpdate),
    cardDelete: method(operations.cardDelete, documentedSubCodes.cardDelete),
    messageNotify: method(operations.messageNotify, documentedSubCodes.messageNotify),
    imageUpload: method(operations.imageUpload, documentedSubCodes.imageUpload)
  })
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MemberCards, never, AlipayClient> = Layer.effect(MemberCards, make)

/**
 * ISV mode: run an effect with another merchant's `app_auth_token` (sent as `alipay-app-auth-token` in v3,
 * `app_auth_token` in v2). Pipeable: `cards.cardQuery(req).pipe(MemberCards.withAppAuthToken(token))`.
 *
 * @since 0.1.0
 * @category overrides
 */
export const withAppAuthToken: {
  (token: Redacted.Redacted<string>): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, token: Redacted.Redacted<string>): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, token: Redacted.Redacted<string>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, Overrides.currentOverrides, (overrides) => ({ ...overrides, appAuthToken: token }))
)

/**
 * Run an effect over another protocol than the configured one (`"v3"` REST or `"v2"` gateway.do).
 *
 * @since 0.1.0
 * @category overrides
 */
export const withProtocol: {
  (protocol: Protocol): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, protocol: Protocol): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, protocol: Protocol): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, Overrides.currentOverrides, (overrides) => ({ ...overrides, protocol }))
)

/**
 * Run an effect with another per-attempt timeout than the configured one.
 *
 * @since 0.1.0
 * @category overrides
 */
export const withTimeout: {
  (timeout: Duration.DurationInput): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R> =>
    Effect.locallyWith(
      self,
      Overrides.currentOverrides,
      (overrides) => ({ ...overrides, timeout: Duration.decode(timeout) })
    )
)

/**
 * The per-call overrides in effect for the current fiber (set with {@link withAppAuthToken},
 * {@link withProtocol}, {@link withTimeout}); absent fields mean "as configured".
 *
 * @since 0.1.0
 * @category overrides
 */
export interface CallOverrides extends Overrides.CallOverrides {}

/**
 * Reads the per-call overrides in effect for the current fiber. Other implementations of `MemberCards.Service`
 * (the testkit's fake) read them here to honour the overrides exactly like the real gateway.
 *
 * @since 0.1.0
 * @category overrides
 */
export const currentOverrides: Effect.Effect<CallOverrides> = FiberRef.get(Overrides.currentOverrides)

/**
 * The `app_auth_token` set with {@link withAppAuthToken} for the current fiber, if any (the configured
 * `appAuthToken` is not included).
 *
 * @since 0.1.0
 * @category overrides
 */
export const currentAppAuthToken: Effect.Effect<Option.Option<Redacted.Redacted<string>>> = Effect.map(
  currentOverrides,
  (overrides) => Option.fromNullable(overrides.appAuthToken)
)
