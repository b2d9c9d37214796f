/**
 * The control actions: what users and merchants do outside the API (a new user, a new ISV merchant, the claim
 * form submitted in the Alipay app, a dynamic code shown in the wallet, the wallet's view of a card).
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import { Clock, DateTime, Effect, Ref } from "effect"
import type { DynamicCode, FormSubmission, MintedUser, ModelState } from "../../AlipayModel.js"
import { compactDateTime, defined, pad } from "../util.js"
import { ControlError } from "./answer.js"
import { formOf, requiredFormValues } from "./handler.js"
import { mintAuthCode } from "./oauth.js"
import { nextCounter, setIn } from "./state.js"
import { renderWallet } from "./wallet.js"

/** The control actions on a model's state. */
export const makeControl = (
  ref: Ref.Ref<ModelState>,
  config: { readonly appId: string; readonly dynamicTtlMs: number }
) => {
  const { appId, dynamicTtlMs } = config
  const mintUser = (mint: { readonly userId?: string; readonly openId?: string } = {}) =>
    Ref.modify(ref, (state): [MintedUser, ModelState] => {
      const [n, s1] = nextCounter(state)
      const user: MintedUser = {
        user_id: mint.userId ?? `2088${pad(n, 12)}`,
        open_id: mint.openId ?? `074a${pad(n, 12)}OpenIdFake${pad(n, 6)}`,
        auth_token: `authusrB${pad(n, 24)}`
      }
      return [user, {
        ...s1,
        users: setIn(s1.users, user.user_id, user),
        tokens: setIn(s1.tokens, user.auth_token, user.user_id)
      }]
    })

  const mintAppAuthToken = Ref.modify(ref, (state): [string, ModelState] => {
    const [n, s1] = nextCounter(state)
    const token = `202611BB${pad(n, 24)}`
    return [token, { ...s1, appTokens: setIn(s1.appTokens, token, `merchant-${n}`) }]
  })

  const submitActivateForm = (input: {
    readonly template_id: string
    readonly auth_token: string
    readonly values?: Readonly<Record<string, string>>
  }) =>
    Effect.flatMap(
      Clock.currentTimeMillis,
      (nowMs) =>
        Effect.flatten(Ref.modify(ref, (state): [Effect.Effect<FormSubmission, ControlError>, ModelState] => {
          const failWith = (reason: string): [Effect.Effect<FormSubmission, ControlError>, ModelState] => [
            Effect.fail(new ControlError({ reason })),
            state
          ]
          const template = state.templates.get(input.template_id)
          if (template === undefined) {
            return failWith(`no template ${input.template_id}`)
          }
          const applied = state.activateUrls.filter((a) => a.template_id === input.template_id).at(-1)
          if (applied === undefined) {
            return failWith(`no claim URL for template ${input.template_id}: call activateurl.apply first`)
          }
          const userId = state.tokens.get(input.auth_token)
          if (userId === undefined) return failWith("unknown auth_token: mint the user first")
          const form = formOf(state, template) ?? { required: [], optional: [] }
          const given = input.values ?? {}
          const values = requiredFormValues(form, given)
          for (const code of form.optional) {
            const value = given[code]
            if (value !== undefined) values[code] = value
          }
          // the callback's auth_code, exchangeable once with alipay.system.oauth.token (oauth.ts)
          const [auth_code, s0] = mintAuthCode(state, userId, nowMs)
          const [n, s1] = nextCounter(s0)
          const now = DateTime.unsafeMake(nowMs)
          const request_id = `${compactDateTime(now)}${pad(n, 15)}`
          const callback_url = applied.callback === undefined ?
            undefined :
            `${applied.callback}?${
              new URLSearchParams(defined({
                app_id: appId,
                auth_code,
                template_id: input.template_id,
                request_id,
                scope: "auth_base,auth_user,auth_ecard",
                state: "bWNhcmQ=",
                out_string: applied.out_string
              }) as Record<string, string>).toString()
            }`
          const submission: FormSubmission = {
            request_id,
            auth_code,
            auth_token: input.auth_token,
            template_id: input.template_id,
            user_id: userId,
            values,
            submitted_at: nowMs,
            ...(applied.out_string === undefined ? {} : { out_string: applied.out_string }),
            ...(callback_url === undefined ? {} : { callback_url })
          }
          // the holder who was shown the form again (formtemplate.set / activateurl.apply again) has filled it in
          const shown = [...s1.cards.values()].find((c) =>
            c.user_id === userId && c.template_id === input.template_id && c.form_prompt === true
          )
          const cards = shown === undefined
            ? s1.cards
            : setIn(s1.cards, shown.biz_card_no, { ...shown, form_prompt: false })
          return [Effect.succeed(submission), {
            ...s1,
            cards,
            submissions: setIn(s1.submissions, request_id, submission)
          }]
        }))
    )

  const showDynamicCode = (biz_card_no: string) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
      Effect.flatten(Ref.modify(ref, (state): readonly [
        Effect.Effect<
          { readonly code: string; readonly kind: "D_QR_CODE" | "D_BAR_CODE"; readonly expires_at: string },
          ControlError
        >,
        ModelState
      ] => {
        const card = state.cards.get(biz_card_no)
        const template = card === undefined ? undefined : state.templates.get(card.template_id)
        if (card === undefined || card.status._tag !== "Active" || template === undefined) {
          return [Effect.fail(new ControlError({ reason: `no active card ${biz_card_no}` })), state] as const
        }
        const type = template.body.write_off_type
        if (type !== "dqrcode" && type !== "dbarcode") {
          return [
            Effect.fail(new ControlError({ reason: `template ${template.template_id} has write_off_type ${type}` })),
            state
          ] as const
        }
        const [n, s1] = nextCounter(state)
        const code: DynamicCode = {
          code: `28${pad(n, 16)}`,
          kind: type === "dqrcode" ? "D_QR_CODE" : "D_BAR_CODE",
          biz_card_no,
          expiresAt: nowMs + dynamicTtlMs
        }
        return [
          Effect.succeed({
            code: code.code,
            kind: code.kind,
            expires_at: AlipayDateTime.format(DateTime.unsafeMake(code.expiresAt))
          }),
          { ...s1, dynamicCodes: setIn(s1.dynamicCodes, code.code, code) }
        ] as const
      })))

  const walletView = (biz_card_no: string) =>
    Effect.flatMap(Ref.get(ref), (state) => {
      const card = state.cards.get(biz_card_no)
      const template = card === undefined ? undefined : state.templates.get(card.template_id)
      if (card === undefined || template === undefined) {
        return Effect.fail(new ControlError({ reason: `no card ${biz_card_no}` }))
      }
      return Effect.succeed(renderWallet(card, template))
    })

  return { mintUser, mintAppAuthToken, submitActivateForm, showDynamicCode, walletView }
}
