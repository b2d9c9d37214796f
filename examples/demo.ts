/**
 * The whole product in one run: `pnpm demo`.
 *
 * Starts the wire emulator (a model of Alipay's member card service behind a real HTTP server, with its own RSA
 * keys) in this process on a free loopback port, then walks every step of a member card's life through
 * `MemberCards` — first over the v3 REST protocol, then over the v2 gateway — with real signatures both ways:
 * template with field rules, open-card form, activate URL, a user claims and opens a card, points and balance,
 * query, a message on the card, the open-card notification received by our notification handler, a typed
 * error caught on purpose, and the card deleted. Then both ways of issuing cards to users, with the library's
 * handlers behind a real local HTTP server (examples/openCard.ts): the 3.1 flow (the user opens a card, the
 * emulator calls our `OpenCardSpi` handler, N1 arrives, the card is updated and queried by its Alipay
 * `biz_card_no`) and the 3.0 flow (claim link → callback → `alipay.system.oauth.token` → form → `card.open`).
 *
 * With `ALIPAY_APP_ID` (and the other `ALIPAY_*` variables of `AlipayConfig.layerFromEnv`) set, the same demo
 * targets that environment (e.g. Alipay's sandbox) instead. The steps that need an Alipay user (open, update,
 * query, message, delete) then need `DEMO_USER_ID` and `DEMO_USER_AUTH_TOKEN` (a user access token of that user,
 * with the `auth_user` scope) and a form the user submitted (`DEMO_FORM_REQUEST_ID`); without them they are skipped.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import type * as Notifications from "@membercard/gateway/Notifications"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import * as Emulator from "@membercard/testkit/Emulator"
import { Config, Console, Context, Data, Effect, Layer, Option, Queue, Redacted } from "effect"
import { pathToFileURL } from "node:url"
import * as Notify from "./notifications.js"
import * as OpenCard from "./openCard.js"
import * as Requests from "./requests.js"

// -------------------------------------------------------------------------------------------------------------
// Where the demo runs: the in-process emulator, or a real Alipay environment
// -------------------------------------------------------------------------------------------------------------

/** An Alipay user the demo opens a card for. */
export interface DemoUser {
  readonly userId: string
  readonly authToken: Redacted.Redacted<string>
}

/** What the demo needs from the place it runs against, besides `MemberCards`. */
export interface Target {
  readonly name: string
  /** A user who can receive a card (the emulator mints one; on Alipay it comes from the environment). */
  readonly user: Effect.Effect<Option.Option<DemoUser>>
  /** The user opens the activate URL and submits the form; the `request_id` of the callback. */
  readonly submitForm: (templateId: string, user: DemoUser) => Effect.Effect<Option.Option<string>>
  /** Alipay posts the queued notifications to `url`; `None` where we cannot make it do so (a real Alipay). */
  readonly deliverNotifications: (url: string) => Effect.Effect<Option.Option<number>>
}

/** @internal */
export class DemoTarget extends Context.Tag("examples/DemoTarget")<DemoTarget, Target>() {}

/** A failure of the demo itself (an expected step did not happen). */
export class DemoFailure extends Data.TaggedError("DemoFailure")<{ readonly reason: string }> {}

// -------------------------------------------------------------------------------------------------------------
// Transcript
// -------------------------------------------------------------------------------------------------------------

const short = (value: unknown, max = 150): string => {
  const text = JSON.stringify(value, (_key, v: unknown) => v instanceof Uint8Array ? `<${v.length} bytes>` : v) ??
    "undefined"
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

const line = (text: string) => Console.log(text)

/** One call: what was sent, what came back. */
const call = <Req, A, E, R>(label: string, request: Req, run: (request: Req) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    yield* line(`  → ${label.padEnd(18)} ${short(request)}`)
    const started = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const result = yield* run(request)
    const ended = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    yield* line(`  ← ${"".padEnd(18)} ${short(result)}  (${ended - started} ms)`)
    return result
  })

const need = <A>(value: A | undefined, what: string): Effect.Effect<A, DemoFailure> =>
  value === undefined
    ? Effect.fail(new DemoFailure({ reason: `expected ${what} in Alipay's answer` }))
    : Effect.succeed(value)

/**
 * The next open-card result (N1) for `bizCardNo` among the received notifications (others, such as the card's
 * open notification N4 to the same address, are passed over).
 */
const takeOpenCardResult = (events: Queue.Queue<Notifications.NotificationEvent>, bizCardNo: string) =>
  Effect.gen(function*() {
    for (;;) {
      const event = yield* Queue.take(events)
      if (event._tag === "OpenCardResult" && event.notification.biz_content.biz_card_no === bizCardNo) return event
    }
  }).pipe(
    Effect.timeoutFail({
      duration: "5 seconds",
      onTimeout: () => new DemoFailure({ reason: `the open-card notification of ${bizCardNo} did not arrive` })
    })
  )

// -------------------------------------------------------------------------------------------------------------
// The walk-through, once per protocol
// -------------------------------------------------------------------------------------------------------------

const walk = (
  protocol: AlipayConfig.Protocol,
  notifications: { readonly url: string; readonly events: Queue.Queue<Notifications.NotificationEvent> }
) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const target = yield* DemoTarget
    const runId = `${protocol}${yield* Effect.clockWith((clock) => clock.currentTimeMillis)}`
    yield* line(`\n══ ${target.name} · protocol ${protocol} ══`)

    yield* line("0. upload the card's logo (multipart)")
    const image = yield* call("imageUpload", yield* Requests.imageUpload(Requests.PNG_1X1), cards.imageUpload)

    yield* line("1. a member card template with field rules (CONST, ASSIGN_FROM_REQUEST, DATE_IN_FUTURE)")
    const templateRequest = yield* Requests.templateCreate({
      requestId: runId,
      notifyUrl: notifications.url,
      ...(image.image_id === undefined ? {} : { imageId: image.image_id })
    })
    const { template_id } = yield* call("templateCreate", templateRequest, cards.templateCreate)

    yield* line("2. the open-card form (mobile required; name, gender optional)")
    yield* call("formTemplateSet", yield* Requests.formTemplateSet(template_id), cards.formTemplateSet)

    yield* line("3. the link users open in the Alipay app to claim the card")
    const applied = yield* call(
      "activateUrlApply",
      yield* Requests.activateUrlApply(template_id, `demo-${protocol}`),
      cards.activateUrlApply
    )
    yield* line(`   apply_card_url: ${decodeURIComponent(applied.apply_card_url).slice(0, 110)}…`)

    yield* line("4. a typed error on purpose: query a template that does not exist")
    const missing = yield* Requests.templateQuery("20260000000000000000000000000000")
    yield* line(`  → ${"templateQuery".padEnd(18)} ${short(missing)}`)
    const caught = yield* cards.templateQuery(missing).pipe(
      Effect.as("no error?"),
      Effect.catchTag("TEMPLATE_NOT_EXIT", (error) =>
        Effect.succeed(`caught ${error._tag} (code ${error.code}, ${error.subMsg ?? error.msg}) with Effect.catchTag`))
    )
    yield* line(`  ✗ ${"".padEnd(18)} ${caught}`)
    if (!caught.startsWith("caught TEMPLATE_NOT_EXIT")) {
      return yield* Effect.fail(
        new DemoFailure({ reason: "templateQuery of an unknown template did not fail with TEMPLATE_NOT_EXIT" })
      )
    }

    const user = yield* target.user
    if (Option.isNone(user)) {
      yield* line("5–10. skipped: no Alipay user to open a card for (set DEMO_USER_ID and DEMO_USER_AUTH_TOKEN)")
      return
    }
    const { authToken, userId } = user.value
    yield* line(`5. user ${userId} opens the link and submits the form; we read what they entered`)
    const formRequestId = yield* target.submitForm(template_id, user.value)
    if (Option.isSome(formRequestId)) {
      const form = yield* call(
        "activateFormQuery",
        yield* Requests.activateFormQuery(template_id, formRequestId.value),
        (request) =>
          cards.activateFormQuery(request, authToken)
      )
      yield* line(`   the user entered: ${form.infos}`)
    } else {
      yield* line("   (no submitted form: set DEMO_FORM_REQUEST_ID after the user submitted it)")
    }

    yield* line(
      "6. open the card (100 points, 50.00 balance from the request; level VIP1 and valid date from the rules)"
    )
    const openRequest = yield* Requests.cardOpen({
      templateId: template_id,
      userId,
      serialNo: `open-${runId}`,
      externalCardNo: `EXT-${runId}`
    })
    const opened = yield* call("cardOpen", openRequest, (request) =>
      cards.cardOpen(request, authToken)).pipe(
        Effect.map(Option.some),
        // without a submitted form (a real Alipay, no DEMO_FORM_REQUEST_ID) this answer is the expected one
        Effect.catchTag("OPEN_CARD_NEED_OPENFORM", (error) =>
          Option.isNone(formRequestId)
            ? Effect.as(
              line(`  ✗ ${"".padEnd(18)} ${error._tag}: the user must submit the form first (open the link above)`),
              Option.none()
            )
            : Effect.fail(error))
      )
    if (Option.isNone(opened)) {
      yield* line("7–10. skipped: no card was opened")
      return
    }
    const cardInfo = opened.value.card_info
    const bizCardNo = yield* need(cardInfo?.biz_card_no, "card_info.biz_card_no")
    yield* line(`   card ${bizCardNo}: level ${cardInfo?.level ?? "?"}, valid until ${cardInfo?.valid_date ?? "?"}`)

    yield* line("7. a purchase: points 100 → 120, balance 50.00 → 32.50; then query the card")
    const occurTime = yield* AlipayDateTime.now
    yield* call(
      "cardUpdate",
      yield* Requests.cardUpdate({ bizCardNo, occurTime, point: "120", balance: "32.50" }),
      cards.cardUpdate
    )
    const queried = yield* call("cardQuery", yield* Requests.cardQuery(bizCardNo), cards.cardQuery)
    if (queried.card_info?.point !== "120" || queried.card_info?.balance !== "32.50") {
      return yield* Effect.fail(
        new DemoFailure({ reason: `card query shows ${short(queried.card_info)}, expected 120 / 32.50` })
      )
    }

    yield* line("8. a message on the card")
    yield* call(
      "messageNotify",
      yield* Requests.messageNotify({ bizCardNo, occurTime, notifyNo: `msg-${runId}` }),
      cards.messageNotify
    )

    yield* line(`9. Alipay notifies the opening to ${notifications.url}; our verified handler receives it`)
    const delivered = yield* target.deliverNotifications(notifications.url)
    if (Option.isNone(delivered)) {
      yield* line("   (a real Alipay posts it to the template's notify_url: expose your server publicly to see it)")
    } else {
      const event = yield* takeOpenCardResult(notifications.events, bizCardNo)
      const summary = event._tag === "OpenCardResult"
        ? `OpenCardResult for ${event.notification.biz_content.biz_card_no}, success=${event.notification.biz_content.success}`
        : event._tag
      yield* line(
        `  ⇐ notification       ${summary} (signature verified, answered "success"; ${delivered.value} posted)`
      )
    }

    yield* line("10. delete the card (the user unbound it)")
    yield* call(
      "cardDelete",
      yield* Requests.cardDelete({ bizCardNo, serialNo: `del-${runId}` }),
      cards.cardDelete
    )
    const gone = yield* cards.cardQuery(yield* Requests.cardQuery(bizCardNo)).pipe(
      Effect.as("still there"),
      Effect.catchTag("CARD_NOT_EXIT", (error) => Effect.succeed(`gone: cardQuery now fails with ${error._tag}`))
    )
    yield* line(`   ${gone}`)
  }).pipe(MemberCards.withProtocol(protocol))

// -------------------------------------------------------------------------------------------------------------
// Issuing cards: the 3.1 flow (SPI) and the 3.0 flow (callback + oauth.token), the user played by the emulator
// -------------------------------------------------------------------------------------------------------------

const openCardFlows = (
  emulator: Emulator.Emulator.Service,
  notifications: { readonly url: string; readonly events: Queue.Queue<Notifications.NotificationEvent> }
) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const runId = `oc${yield* Effect.clockWith((clock) => clock.currentTimeMillis)}`
    const merchant = yield* OpenCard.listen
    yield* line(`\n══ issuing cards · merchant server ${merchant.spiUrl.replace(OpenCard.SPI_PATH, "")} ══`)

    yield* line("11. 3.1 flow (current, 极速版): a template whose cards open through our SPI (spi_app_id)")
    const spiTemplate = yield* Requests.templateCreate({
      requestId: `${runId}1`,
      notifyUrl: notifications.url,
      spiAppId: emulator.appId
    })
    const { template_id: spiTemplateId } = yield* call("templateCreate", spiTemplate, cards.templateCreate)
    yield* emulator.setSpiUrl(merchant.spiUrl)
    yield* line(`   the app's SPI address: ${merchant.spiUrl} (OpenCardSpi.httpApp around our handler)`)
    const alice = yield* emulator.model.mintUser()
    yield* line(
      `12. user ${alice.user_id} submits the open-card form in Alipay: Alipay calls our SPI, we answer the card`
    )
    const opened = yield* emulator.openCard({
      user_id: alice.user_id,
      template_id: spiTemplateId,
      form: { OPEN_FORM_FIELD_MOBILE: "13912345678", OPEN_FORM_FIELD_NAME: "王五" }
    })
    yield* line(`  ⇐ user sees          ${short(opened)}`)
    if (opened.result !== "OPENED") {
      return yield* Effect.fail(new DemoFailure({ reason: `the SPI opening failed: ${opened.reason}` }))
    }
    const event = yield* takeOpenCardResult(notifications.events, opened.biz_card_no)
    const n1 = event._tag === "OpenCardResult" ? event.notification.biz_content : undefined
    if (n1?.biz_card_no !== opened.biz_card_no) {
      return yield* Effect.fail(new DemoFailure({ reason: `unexpected notification ${short(event)}` }))
    }
    yield* line(
      `  ⇐ notification       OpenCardResult for ${n1.biz_card_no}, success=${n1.success} (signature verified)`
    )
    yield* line("13. the card lives under Alipay's biz_card_no from the SPI request: update it, query it")
    yield* call(
      "cardUpdate",
      yield* Requests.cardUpdate({
        bizCardNo: opened.biz_card_no,
        occurTime: yield* AlipayDateTime.now,
        point: "150",
        balance: "10.00"
      }),
      cards.cardUpdate
    )
    const spiCard = yield* call("cardQuery", yield* Requests.cardQuery(opened.biz_card_no), cards.cardQuery)
    if (spiCard.card_info?.point !== "150") {
      return yield* Effect.fail(new DemoFailure({ reason: `SPI card shows ${short(spiCard.card_info)}` }))
    }
    yield* line(`   3.1 card ${opened.biz_card_no}: external_card_no ${spiCard.card_info.external_card_no ?? "?"}`)

    yield* line("14. 3.0 flow (history): claim link → callback → oauth.token → activateform.query → card.open")
    const { template_id: claimTemplateId } = yield* call(
      "templateCreate",
      yield* Requests.templateCreate({ requestId: `${runId}2` }),
      cards.templateCreate
    )
    yield* call("formTemplateSet", yield* Requests.formTemplateSet(claimTemplateId), cards.formTemplateSet)
    const applyRequest = {
      ...(yield* Requests.activateUrlApply(claimTemplateId, "demo-3.0")),
      callback: merchant.callbackUrl
    }
    yield* call("activateUrlApply", applyRequest, cards.activateUrlApply)
    const bob = yield* emulator.model.mintUser()
    const submission = yield* emulator.model.submitActivateForm({
      template_id: claimTemplateId,
      auth_token: bob.auth_token,
      values: { OPEN_FORM_FIELD_MOBILE: "13700000000" }
    }).pipe(Effect.orDie)
    const callbackUrl = yield* need(submission.callback_url, "a callback URL")
    yield* line(`15. user ${bob.user_id} submits the form; Alipay sends the browser to our callback:`)
    yield* line(`   ${callbackUrl.slice(0, 140)}…`)
    const page = yield* HttpClient.HttpClient.pipe(
      Effect.flatMap((client) => client.get(callbackUrl)),
      Effect.flatMap((response) => response.text),
      Effect.scoped,
      Effect.provide(FetchHttpClient.layer),
      Effect.mapError((error) => new DemoFailure({ reason: `callback: ${error.message}` }))
    )
    yield* line(`  ⇐ the user's browser  ${page}  (OpenCardCallback: oauth.token, activateform.query, card.open)`)
    const claimed = /card (\S+) opened/.exec(page)?.[1]
    const claimedNo = yield* need(claimed, "a card number on the callback page")
    const claimedCard = yield* call("cardQuery", yield* Requests.cardQuery(claimedNo), cards.cardQuery)
    yield* line(`   3.0 card ${claimedNo}: level ${claimedCard.card_info?.level ?? "?"}`)
  }).pipe(Effect.provide(SpiAnswerStore.layerMemory()))

/**
 * The demo: the walk-through on v3, then on v2. Needs `MemberCards`, the `AlipayConfig` it uses (the
 * notification handler verifies with it) and a {@link DemoTarget}.
 */
export const program = Effect.gen(function*() {
  const events = yield* Queue.unbounded<Notifications.NotificationEvent>()
  const { url } = yield* Notify.listen((event) => Queue.offer(events, event).pipe(Effect.asVoid)).pipe(
    Effect.provide(NotificationStore.layerMemory())
  )
  yield* walk("v3", { url, events })
  yield* walk("v2", { url, events })
  const emulator = yield* Effect.serviceOption(Emulator.Emulator)
  if (Option.isSome(emulator)) {
    yield* openCardFlows(emulator.value, { url, events })
  } else {
    yield* line(
      "\n11–15. issuing cards (3.1 SPI, 3.0 callback) needs a user in the Alipay app: see examples/openCard.ts"
    )
  }
  yield* line("\n✓ demo finished: every step answered as expected, on both protocols")
}).pipe(Effect.scoped)

// -------------------------------------------------------------------------------------------------------------
// Targets
// -------------------------------------------------------------------------------------------------------------

/** The target of an emulator in the context. */
export const emulatorTarget: Layer.Layer<DemoTarget, never, Emulator.Emulator> = Layer.effect(
  DemoTarget,
  Effect.map(Emulator.Emulator, (emulator) => ({
    name: `wire emulator at ${emulator.endpoint}`,
    user: Effect.map(
      emulator.model.mintUser(),
      (u) => Option.some({ userId: u.user_id, authToken: Redacted.make(u.auth_token) })
    ),
    submitForm: (templateId, user) =>
      emulator.model.submitActivateForm({
        template_id: templateId,
        auth_token: Redacted.value(user.authToken),
        values: { OPEN_FORM_FIELD_MOBILE: "13912345678", OPEN_FORM_FIELD_NAME: "张三" }
      }).pipe(Effect.map((submission) => Option.some(submission.request_id)), Effect.orDie),
    deliverNotifications: (url) =>
      Effect.map(emulator.deliverNotifications(url), (deliveries) => Option.some(deliveries.length))
  }))
)

/**
 * Everything the demo needs, against a fresh in-process emulator (fresh keys, free loopback port): the
 * emulator, `MemberCards` wired to it over HTTP, its `AlipayConfig`, and the target.
 */
export const EmulatorLive = Layer.mergeAll(
  emulatorTarget,
  MemberCards.layer.pipe(
    Layer.provide(AlipayClient.layer),
    Layer.provide(FetchHttpClient.layer),
    Layer.provideMerge(
      Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) => AlipayConfig.layer(emulator.gatewayOptions())))
    )
  )
).pipe(Layer.provideMerge(Emulator.layer()))

/** The target of a real Alipay environment (`ALIPAY_*`), with an optional demo user from the environment. */
export const EnvironmentLive = Layer.mergeAll(
  Layer.effect(
    DemoTarget,
    Effect.gen(function*() {
      const userId = yield* Config.option(Config.string("DEMO_USER_ID"))
      const authToken = yield* Config.option(Config.redacted("DEMO_USER_AUTH_TOKEN"))
      const formRequestId = yield* Config.option(Config.string("DEMO_FORM_REQUEST_ID"))
      const environment = yield* Config.withDefault(Config.string("ALIPAY_ENVIRONMENT"), "production")
      const endpoint = yield* Config.option(Config.string("ALIPAY_ENDPOINT"))
      return {
        name: `Alipay (${environment}${Option.match(endpoint, { onNone: () => "", onSome: (e) => ` at ${e}` })})`,
        user: Effect.succeed(Option.zipWith(userId, authToken, (id, token) => ({ userId: id, authToken: token }))),
        submitForm: () => Effect.succeed(formRequestId),
        deliverNotifications: () => Effect.succeed(Option.none())
      }
    })
  ),
  MemberCards.layer.pipe(
    Layer.provide(AlipayClient.layer),
    Layer.provide(FetchHttpClient.layer),
    Layer.provideMerge(AlipayConfig.layerFromEnv)
  )
)

/** `ALIPAY_APP_ID` set → that environment; otherwise the in-process emulator. */
export const main = Effect.gen(function*() {
  const appId = yield* Config.option(Config.string("ALIPAY_APP_ID"))
  yield* line(
    Option.isSome(appId)
      ? `membercard demo: ALIPAY_APP_ID is set, running against Alipay (app ${appId.value})`
      : "membercard demo: starting the wire emulator in-process (unset ALIPAY_APP_ID: set it to target the sandbox)"
  )
  return yield* Option.isSome(appId) ? Effect.provide(program, EnvironmentLive) : Effect.provide(program, EmulatorLive)
})

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  NodeRuntime.runMain(main, { disableErrorReporting: false })
}
