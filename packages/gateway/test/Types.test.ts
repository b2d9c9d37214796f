import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as AlipayCode from "@membercard/domain/AlipayCode"
import type * as Card from "@membercard/domain/Card"
import type * as OAuth from "@membercard/domain/OAuth"
import type * as Operations from "@membercard/domain/Operations"
import { type Cause, type Effect, Effect as Eff, type Layer, type Redacted, Redacted as Red, type Schema } from "effect"
import type * as AC from "../src/AlipayClient.js"
import type * as AlipayClient from "../src/AlipayClient.js"
import type * as AlipayConfig from "../src/AlipayConfig.js"
import type * as AlipayError from "../src/AlipayError.js"
import * as MC from "../src/MemberCards.js"
import type * as MemberCards from "../src/MemberCards.js"

type Service = MemberCards.MemberCards.Service
type ErrorOfMethod<K extends keyof Service> = Effect.Effect.Error<ReturnType<Service[K]>>
type ContextOfMethod<K extends keyof Service> = Effect.Effect.Context<ReturnType<Service[K]>>
type Common = AlipayError.CommonError

describe("type-level", () => {
  it("no method requires anything (R = never)", () => {
    expectTypeOf<ContextOfMethod<"templateCreate">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"templateModify">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"templateQuery">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"templateBatchQuery">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"formTemplateSet">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"activateUrlApply">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"activateFormQuery">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"cardOpen">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"cardQuery">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"cardUpdate">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"cardDelete">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"messageNotify">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"imageUpload">>().toEqualTypeOf<never>()
    expectTypeOf<ContextOfMethod<"systemOauthToken">>().toEqualTypeOf<never>()
  })

  it("each method's error union is exact", () => {
    expectTypeOf<ErrorOfMethod<"templateCreate">>().toEqualTypeOf<
      Common | AlipayError.TemplateNotExit | AlipayError.NoCardType | AlipayError.TemplateOverLimit
    >()
    expectTypeOf<ErrorOfMethod<"templateModify">>().toEqualTypeOf<Common | AlipayError.TemplateNotExit>()
    expectTypeOf<ErrorOfMethod<"templateQuery">>().toEqualTypeOf<Common | AlipayError.TemplateNotExit>()
    expectTypeOf<ErrorOfMethod<"templateBatchQuery">>().toEqualTypeOf<Common>()
    expectTypeOf<ErrorOfMethod<"formTemplateSet">>().toEqualTypeOf<
      | Common
      | AlipayError.CardTemplateNotExist
      | AlipayError.DuplicateFormField
      | AlipayError.FormFieldInvalid
      | AlipayError.OpenFormSetFail
      | AlipayError.DuplicateBirthdayField
      | AlipayError.DuplicateCertNo
      | AlipayError.InvalidCertTypeAndNo
      | AlipayError.IllegalNullArgument
    >()
    expectTypeOf<ErrorOfMethod<"activateUrlApply">>().toEqualTypeOf<
      | Common
      | AlipayError.CardTemplateNotExist
      | AlipayError.OpenFormTemplateNotExist
      | AlipayError.IllegalArgumentOutString
      | AlipayError.IllegalNullArgument
    >()
    expectTypeOf<ErrorOfMethod<"activateFormQuery">>().toEqualTypeOf<
      | Common
      | AlipayError.OpenProfileQueryFail
      | AlipayError.RequestIdExpire
      | AlipayError.RequestIdInvalid
      | AlipayError.IllegalNullArgument
    >()
    expectTypeOf<ErrorOfMethod<"cardOpen">>().toEqualTypeOf<
      | Common
      | AlipayError.TemplateNotExit
      | AlipayError.NoCardType
      | AlipayError.OpenCardNeedOpenform
      | AlipayError.OpenCardConcurrently
      | AlipayError.UserAuthFail
      | AlipayError.CardHasOpened
      | AlipayError.PaidOuterCardLackTemplateConfig
    >()
    expectTypeOf<ErrorOfMethod<"cardQuery">>().toEqualTypeOf<
      Common | AlipayError.CardNotExit | AlipayError.NoCardType
    >()
    expectTypeOf<ErrorOfMethod<"cardUpdate">>().toEqualTypeOf<
      Common | AlipayError.CardNotExit | AlipayError.NoCardType | AlipayError.PaidOuterCardLackTemplateConfigOnUpdate
    >()
    expectTypeOf<ErrorOfMethod<"cardDelete">>().toEqualTypeOf<
      Common | AlipayError.CardNotExit | AlipayError.NoCardType | AlipayError.CardIsDeletedAlready
    >()
    expectTypeOf<ErrorOfMethod<"messageNotify">>().toEqualTypeOf<Common | AlipayError.CardNotExit>()
    expectTypeOf<ErrorOfMethod<"imageUpload">>().toEqualTypeOf<
      | Common
      | AlipayError.IsvInvalidArguments
      | AlipayError.IsvExceedMaxSize
      | AlipayError.IsvUnknownFomat
      | AlipayError.IsvImageUnsafe
      | AlipayError.IsvUnknownError
      | AlipayError.InvalidParam
      | AlipayError.ExceedMaxSize
      | AlipayError.UnknownFormat
      | AlipayError.InvalidFileBytes
      | AlipayError.CapacityExceeded
    >()
  })

  it("systemOauthToken: derived from its table row (OAuth schemas, its four sub-codes)", () => {
    expectTypeOf<ErrorOfMethod<"systemOauthToken">>().toEqualTypeOf<
      | Common
      | AlipayError.IsvCodeInvalid
      | AlipayError.IsvRefreshTokenInvalid
      | AlipayError.IsvRefreshTokenTimeOut
      | AlipayError.IsvGrantTypeInvalid
    >()
    expectTypeOf<Parameters<Service["systemOauthToken"]>>().toEqualTypeOf<[request: OAuth.OAuthTokenRequest]>()
    expectTypeOf<Effect.Effect.Success<ReturnType<Service["systemOauthToken"]>>>().toEqualTypeOf<
      OAuth.OAuthTokenResponse
    >()
    expectTypeOf<MemberCards.SystemOauthTokenError>().toEqualTypeOf<ErrorOfMethod<"systemOauthToken">>()
    expectTypeOf<AlipayError.IsvCodeInvalid["_tag"]>().toEqualTypeOf<"isv.code-invalid">()
  })

  it("the service has exactly one method per table operation", () => {
    expectTypeOf<keyof Service>().toEqualTypeOf<Operations.Name>()
  })

  it("AlipayClient.execute and validateRequest follow the table's schemas", () => {
    type Exec = AlipayClient.Service["execute"]
    expectTypeOf<ReturnType<typeof AC.validateRequest<typeof Operations.cardQuery>>>().toEqualTypeOf<
      Effect.Effect<Card.CardQueryRequest, AlipayError.AlipayRequestRejected>
    >()
    expectTypeOf<AlipayClient.ErrorOf<typeof Operations.cardQuery>>().toEqualTypeOf<ErrorOfMethod<"cardQuery">>()
    expectTypeOf<Parameters<Exec>[0]>().toEqualTypeOf<Operations.Any>()
  })

  it("tags are Alipay's own codes", () => {
    expectTypeOf<AlipayError.TemplateNotExit["_tag"]>().toEqualTypeOf<"TEMPLATE_NOT_EXIT">()
    expectTypeOf<AlipayError.CardNotExit["_tag"]>().toEqualTypeOf<"CARD_NOT_EXIT">()
    expectTypeOf<AlipayError.IsvUnknownFomat["_tag"]>().toEqualTypeOf<"isv.unknown-fomat">()
    expectTypeOf<AlipayError.AlipayServiceUnavailable["_tag"]>().toEqualTypeOf<"AlipayServiceUnavailable">()
    expectTypeOf<typeof AlipayError.TemplateNotExit._tag>().toEqualTypeOf<"TEMPLATE_NOT_EXIT">()
  })

  it("answer errors (built by AnswerError) carry the type id, the answer fields and decode to themselves", () => {
    expectTypeOf<AlipayError.TemplateNotExit[AlipayError.TypeId]>().toEqualTypeOf<AlipayError.TypeId>()
    expectTypeOf<AlipayError.TemplateNotExit["subCode"]>().toEqualTypeOf<string | undefined>()
    expectTypeOf<AlipayError.AlipayBusinessError["httpStatus"]>().toEqualTypeOf<number | undefined>()
    expectTypeOf<Schema.Schema.Type<typeof AlipayError.TemplateNotExit>>().toEqualTypeOf<AlipayError.TemplateNotExit>()
    expectTypeOf<ConstructorParameters<typeof AlipayError.CardNotExit>[0]>().toEqualTypeOf<AlipayError.AnswerFields>()
    expectTypeOf<AlipayError.BusinessErrorOf<"CARD_NOT_EXIT">>().toEqualTypeOf<AlipayError.CardNotExit>()
    expectTypeOf<Exclude<AlipayError.AnyBusinessSubCodeError, AlipayError.AlipayError>>().toEqualTypeOf<never>()
    expectTypeOf<AlipayError.TemplateNotExit>().toMatchTypeOf<Cause.YieldableError>()
  })

  it("documented sub-codes are derived from the domain's operation table (minus the common two)", () => {
    expectTypeOf<MemberCards.DocumentedSubCodeOf<"cardQuery">>().toEqualTypeOf<"CARD_NOT_EXIT" | "NO_CARD_TYPE">()
    expectTypeOf<MemberCards.DocumentedSubCodeOf<"templateBatchQuery">>().toEqualTypeOf<never>()
    expectTypeOf<(typeof MC.documentedSubCodes)["messageNotify"]>().toEqualTypeOf<ReadonlyArray<"CARD_NOT_EXIT">>()
  })

  it("the business sub-codes are exactly the domain catalogue's", () => {
    expectTypeOf<AlipayError.BusinessSubCode>().toEqualTypeOf<AlipayCode.BusinessSubCode>()
  })

  it("user-authorised methods take the token as Redacted; requests/responses come from the domain", () => {
    expectTypeOf<Parameters<Service["cardOpen"]>>().toEqualTypeOf<
      [request: Card.CardOpenRequest, userAuthToken: Redacted.Redacted<string>]
    >()
    expectTypeOf<Effect.Effect.Success<ReturnType<Service["cardOpen"]>>>().toEqualTypeOf<Card.CardOpenResponse>()
    expectTypeOf<Parameters<Service["cardQuery"]>>().toEqualTypeOf<[request: Card.CardQueryRequest]>()
  })

  it("layers: MemberCards needs only AlipayClient; AlipayClient needs config + HttpClient", () => {
    expectTypeOf<typeof MC.layer>().toEqualTypeOf<
      Layer.Layer<MemberCards.MemberCards, never, AlipayClient.AlipayClient>
    >()
    expectTypeOf<typeof AC.layer>().toEqualTypeOf<
      Layer.Layer<AlipayClient.AlipayClient, never, AlipayConfig.AlipayConfig | HttpClient.HttpClient>
    >()
  })

  it("withAppAuthToken / withProtocol / withTimeout keep A, E and R", () => {
    type Fx = Effect.Effect<number, AlipayError.CardNotExit, "Needs">
    const fx = Eff.succeed(1) as Fx
    const token = Red.make("t")
    expectTypeOf(fx.pipe(MC.withAppAuthToken(token))).toEqualTypeOf<Fx>()
    expectTypeOf(MC.withAppAuthToken(fx, token)).toEqualTypeOf<Fx>()
    expectTypeOf(fx.pipe(MC.withProtocol("v2"))).toEqualTypeOf<Fx>()
    expectTypeOf(fx.pipe(MC.withTimeout("1 second"))).toEqualTypeOf<Fx>()
  })
})
