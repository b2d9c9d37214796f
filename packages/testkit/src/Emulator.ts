/**
 * The wire emulator: the model of Alipay's member card service behind a real HTTP server that speaks the v2
 * gateway (`POST /gateway.do`) and the v3 REST routes (`/v3/alipay/...`) as Alipay does — request signatures
 * verified with the app public key, answers signed with the emulator's Alipay key, notifications posted as signed
 * forms — plus a control API under `/__emulator/`. Any client in any language can use it; in-process it is a
 * layer.
 *
 * A little over the house's ~500 lines: mostly the documented `Options` and `Service` interfaces (the
 * emulator's contract); the routes live in `internal/emulator/`, and `serve` (wiring them to the model) is the
 * part to move there if this module grows.
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as Aes from "@membercard/signing/Aes"
import * as Keys from "@membercard/signing/Keys"
import { type Clock, Context, Effect, Either, Layer, Option, Redacted, Ref, Schema, type Scope } from "effect"
import { generateKeyPairSync, randomBytes } from "node:crypto"
import { createServer } from "node:http"
import * as AlipayModel from "./AlipayModel.js"
import * as Certificates from "./internal/certificates.js"
import { closeAtOnce } from "./internal/closeAtOnce.js"
import * as App from "./internal/emulator/app.js"
import * as CertMode from "./internal/emulator/certMode.js"
import * as EmulatorClock from "./internal/emulator/clock.js"
import * as Control from "./internal/emulator/control.js"
import * as Deliveries from "./internal/emulator/delivery.js"
import * as Faults from "./internal/emulator/faults.js"
import type * as Http from "./internal/emulator/http.js"
import * as Spi from "./internal/emulator/spi.js"
import * as V3 from "./internal/emulator/v3.js"

/**
 * The emulator cannot start or cannot do what was asked (bad key material, port in use, unparsable time…).
 *
 * @since 0.1.0
 * @category errors
 */
export class EmulatorError extends Schema.TaggedError<EmulatorError>("@membercard/testkit/EmulatorError")(
  "EmulatorError",
  { reason: Schema.String }
) {
  override get message(): string {
    return this.reason
  }
}

/**
 * Key material given to the emulator (PEM or bare base64). The emulator needs the app PUBLIC key (to verify
 * requests) and its Alipay PRIVATE key (to sign answers); the other two halves are optional and only
 * handed back to clients (`gatewayOptions`).
 *
 * @since 0.1.0
 * @category models
 */
export interface KeysInput {
  readonly appPublicKey: string
  readonly alipayPrivateKey: string | Redacted.Redacted<string>
  readonly appPrivateKey?: string | Redacted.Redacted<string> | undefined
  readonly alipayPublicKey?: string | undefined
  /**
   * The key N3 dynamic-code requests are signed with (standing for Alipay's fixed mdcode key, whose private half
   * is not ours); a per-process key when absent. Its public half: `keys.mdcodePublicKey`.
   */
  readonly mdcodePrivateKey?: string | Redacted.Redacted<string> | undefined
}

/**
 * The emulator's keys, as PEM text: what a client needs is `appPrivateKey` and `alipayPublicKey`.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorKeys {
  /** Known when the keys were generated or given. */
  readonly appPrivateKey: Option.Option<Redacted.Redacted<string>>
  readonly appPublicKey: string
  readonly alipayPrivateKey: Redacted.Redacted<string>
  readonly alipayPublicKey: string
  /** The AES content key, when configured. */
  readonly encryptKey: Option.Option<Redacted.Redacted<string>>
  /** The public key (PEM) N3 dynamic-code requests are signed with (`Notifications.mdcodeHttpApp`'s `publicKey`). */
  readonly mdcodePublicKey: string
}

/**
 * Options of {@link make} / {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Listen address, default `127.0.0.1`. */
  readonly host?: string | undefined
  /**
   * The merchant app id the emulator serves, default `AlipayModel.DEFAULT_APP_ID` ({@link make}) or the model's
   * `appId` ({@link layerWithModel}, where a different value is an `EmulatorError`).
   */
  readonly appId?: string | undefined
  /** Keys to use; fresh RSA-2048 pairs are generated when absent. */
  readonly keys?: KeysInput | undefined
  /**
   * The app's AES content key (接口内容加密密钥, base64 of 16 bytes). With it, encrypted calls (v2
   * `encrypt_type=AES`, v3 `alipay-encrypt-type: AES`) are decrypted and answered encrypted; without it they are
   * refused with `isv.decryption-error-unknown`.
   */
  readonly encryptKey?: string | Redacted.Redacted<string> | undefined
  /**
   * Certificate mode (公钥证书模式): `true` generates a root bundle, an Alipay certificate and an app certificate
   * for the emulator's key pairs (~2 s); or give `certificates` (e.g. generated once per suite) and `onRotate`
   * (called with the new set after `POST /__emulator/certs/rotate`, e.g. to write the new Alipay certificate).
   * Then every request must carry the right `app_cert_sn` / `alipay_root_cert_sn` (v2) or `app_cert_sn` in the
   * Authorization header and `alipay-root-cert-sn` (v3); answers carry `alipay_cert_sn` / `alipay-sn`.
   */
  readonly certMode?: boolean | CertModeOptions | undefined
  /** Options of the model the emulator creates (ignored by {@link layerWithModel}). */
  readonly model?: Omit<AlipayModel.Options, "appId"> | undefined
  /**
   * The merchant's open-card SPI address (3.1 flow): where `spi.alipay.user.opencard.get` is posted when a user
   * opens a card of a template with `spi_app_id` (`POST /__emulator/users/{user_id}/open-card`). Also settable at
   * run time (`setSpiUrl`, `POST /__emulator/spi`).
   */
  readonly spiUrl?: string | undefined
}

/**
 * The certificates of certificate mode (see `Options.certMode`).
 *
 * @since 0.1.0
 * @category models
 */
export type TestCertificates = Certificates.TestCertificates

/**
 * Options of certificate mode.
 *
 * @since 0.1.0
 * @category models
 */
export interface CertModeOptions {
  readonly certificates?: TestCertificates | undefined
  readonly onRotate?: ((certificates: TestCertificates) => Effect.Effect<void>) | undefined
}

/**
 * A fault to inject (see the control API `POST /__emulator/faults`).
 *
 * @since 0.1.0
 * @category models
 */
export type Fault = Faults.Fault

/**
 * The schema of a {@link Fault} (the JSON body of `POST /__emulator/faults`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Fault: Schema.Schema<Fault, Schema.Schema.Encoded<typeof Faults.FaultSchema>> = Faults.FaultSchema

/**
 * What happened to one delivered notification (`status`/`response` are the receiver's answer; `null` when it
 * could not be posted or no URL was known).
 *
 * @since 0.1.0
 * @category models
 */
export type Delivery = Deliveries.Delivery

/**
 * UNCONFIRMED: the status of a v3 request whose signature does not verify (401; see the internal note).
 *
 * @since 0.1.0
 * @category constants
 */
export const V3_INVALID_SIGNATURE_STATUS: number = V3.V3_INVALID_SIGNATURE_STATUS

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Emulator {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** `http://127.0.0.1:PORT` — the v3 endpoint. */
    readonly endpoint: string
    /** `http://127.0.0.1:PORT/gateway.do` — the v2 gateway. */
    readonly gatewayUrl: string
    readonly port: number
    readonly appId: string
    readonly keys: EmulatorKeys
    /** The model behind the wire (inspect state, mint users, submit forms…). */
    readonly model: AlipayModel.AlipayModel.Service
    /**
     * Sets the emulator's clock to a Beijing wall time `yyyy-MM-dd HH:mm:ss`. It keeps running from there, unless
     * `frozen` (then it stays until the next `setNow` / `reset`).
     */
    readonly setNow: (now: string, options?: { readonly frozen?: boolean }) => Effect.Effect<void, EmulatorError>
    /** Queues a fault for the next call(s) of an operation. */
    readonly injectFault: (fault: Fault) => Effect.Effect<void>
    /** Sets the merchant's open-card SPI address (as `POST /__emulator/spi`). */
    readonly setSpiUrl: (url: string) => Effect.Effect<void, EmulatorError>
    /**
     * The user opens a card of a template with `spi_app_id` through the SPI (as
     * `POST /__emulator/users/{user_id}/open-card`): `OPENED` or `FAILED` with the reason.
     */
    readonly openCard: (
      input: AlipayModel.OpenCardInput
    ) => Effect.Effect<AlipayModel.OpenCardResult, EmulatorError>
    /** Drains the outbox and posts each notification, signed, to `url` (or the template's `notify_url`). */
    readonly deliverNotifications: (url?: string) => Effect.Effect<ReadonlyArray<Delivery>>
    /** The signed form parameters of a queued notification, as they would be posted. */
    readonly notificationParams: (entry: AlipayModel.OutboxEntry) => Effect.Effect<Record<string, string>>
    /** Empty model, no faults, clock back to its base. */
    readonly reset: Effect.Effect<void>
    /** Certificate mode: the certificates in force (none in key mode). */
    readonly certificates: Effect.Effect<Option.Option<TestCertificates>>
    /** Certificate mode: a new Alipay certificate (new SN, new key), like `POST /__emulator/certs/rotate`. */
    readonly rotateAlipayCert: Effect.Effect<TestCertificates, EmulatorError>
    /**
     * Gateway options pointing at the emulator with its keys (merge `overrides` on top); in certificate mode the
     * three certificates (of the moment) instead of Alipay's public key.
     */
    readonly gatewayOptions: (overrides?: Partial<AlipayConfig.Options>) => AlipayConfig.Options
  }
}

/**
 * A running wire emulator: Alipay's v2 and v3 protocols, the control API and the user pages over HTTP on loopback.
 *
 * @since 0.1.0
 * @category services
 */
export class Emulator extends Context.Tag("@membercard/testkit/Emulator")<Emulator, Emulator.Service>() {}

/**
 * A fresh RSA-2048 pair as PEM (`spki` public, `pkcs8` private).
 *
 * @since 0.1.0
 * @category constructors
 */
export const generateKeyPair: Effect.Effect<{ readonly publicKey: string; readonly privateKey: string }> = Effect.sync(
  () =>
    generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" }
    })
)

/**
 * A fresh AES-128 content key, base64 (what the console's 接口内容加密密钥 looks like).
 *
 * @since 0.1.0
 * @category constructors
 */
export const generateEncryptKey: Effect.Effect<string> = Effect.sync(() => randomBytes(16).toString("base64"))

/**
 * Fresh app and Alipay pairs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generateKeys: Effect.Effect<KeysInput> = Effect.gen(function*() {
  const app = yield* generateKeyPair
  const alipay = yield* generateKeyPair
  return {
    appPublicKey: app.publicKey,
    appPrivateKey: Redacted.make(app.privateKey),
    alipayPrivateKey: Redacted.make(alipay.privateKey),
    alipayPublicKey: alipay.publicKey
  }
})

const keyFailure = (which: string) => (error: { readonly reason: string }) =>
  new EmulatorError({ reason: `${which}: ${error.reason}` })

const reveal = (k: string | Redacted.Redacted<string>): string => typeof k === "string" ? k : Redacted.value(k)

const urlHost = (host: string): string => host.includes(":") ? `[${host}]` : host

/** The model with every effect run on the emulator's clock (so direct calls agree with calls over the wire). */
const clocked = (model: AlipayModel.AlipayModel.Service, clock: Clock.Clock): AlipayModel.AlipayModel.Service => {
  const on = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.withClock(effect, clock)
  return {
    ...model,
    execute: (operation, request, ctx) => on(model.execute(operation, request, ctx)),
    mintUser: (options) => on(model.mintUser(options)),
    mintAppAuthToken: on(model.mintAppAuthToken),
    submitActivateForm: (input) => on(model.submitActivateForm(input)),
    showDynamicCode: (biz_card_no) => on(model.showDynamicCode(biz_card_no)),
    walletView: (biz_card_no) => on(model.walletView(biz_card_no)),
    wallet: (user_id) => on(model.wallet(user_id)),
    viewCard: (user_id, biz_card_no) => on(model.viewCard(user_id, biz_card_no)),
    removeCard: (user_id, biz_card_no) => on(model.removeCard(user_id, biz_card_no)),
    addShop: (shop) => on(model.addShop(shop)),
    deliver: (request) => on(model.deliver(request)),
    deliveries: on(model.deliveries),
    state: on(model.state),
    outbox: on(model.outbox),
    takeOutbox: on(model.takeOutbox),
    failNext: (operation, rejection) => on(model.failNext(operation, rejection)),
    delayNext: (operation, duration) => on(model.delayNext(operation, duration)),
    reset: on(model.reset),
    openCard: (input, call, deliverN1) => on(model.openCard(input, call, deliverN1)),
    loseNextSpiAnswer: model.loseNextSpiAnswer
  }
}

const serve = (
  model: AlipayModel.AlipayModel.Service,
  options: Options
): Effect.Effect<Emulator.Service, EmulatorError, Scope.Scope> =>
  Effect.gen(function*() {
    const input = options.keys ?? (yield* generateKeys)
    const appPublicKey = yield* Either.mapLeft(Keys.parsePublicKey(input.appPublicKey), keyFailure("appPublicKey"))
    const alipayPrivateKey = yield* Either.mapLeft(
      Keys.parsePrivateKey(input.alipayPrivateKey),
      keyFailure("alipayPrivateKey")
    )
    const mdcodePrivateKey = input.mdcodePrivateKey === undefined
      ? undefined
      : yield* Either.mapLeft(Keys.parsePrivateKey(reveal(input.mdcodePrivateKey)), keyFailure("mdcodePrivateKey"))
    const certOptions: CertModeOptions | undefined = options.certMode === true
      ? {}
      : options.certMode === false
      ? undefined
      : options.certMode
    const certificates = certOptions === undefined
      ? undefined
      : certOptions.certificates ?? (yield* Certificates.generate({
        appId: model.appId,
        alipayKeys: {
          privateKey: Redacted.make(reveal(input.alipayPrivateKey)),
          publicKey: String(Keys.publicKeyOf(alipayPrivateKey).keyObject.export({ type: "spki", format: "pem" }))
        },
        ...(input.appPrivateKey === undefined
          ? {}
          : { appKeys: { privateKey: Redacted.make(reveal(input.appPrivateKey)), publicKey: input.appPublicKey } })
      }).pipe(Effect.mapError((e) => new EmulatorError({ reason: e.message }))))
    const cert = certificates === undefined ? undefined : yield* Either.mapLeft(
      CertMode.make(certificates, (rotated) =>
        Effect.zipRight(
          Effect.flatMap(
            Effect.orDie(Keys.privateKey(Redacted.value(rotated.alipayCert.keys.privateKey))),
            (key) => model.useKeys({ alipayPrivateKey: key })
          ),
          certOptions?.onRotate?.(rotated) ?? Effect.void
        )),
      (reason) => new EmulatorError({ reason })
    )
    yield* model.useKeys({
      alipayPrivateKey: cert === undefined ? alipayPrivateKey : cert.current().alipayKey,
      ...(mdcodePrivateKey === undefined ? {} : { mdcodePrivateKey })
    })
    const mdcodePublicKey = yield* model.mdcodePublicKey
    const aesKey = options.encryptKey === undefined
      ? Option.none()
      : Option.some(yield* Either.mapLeft(Aes.parseAesKey(options.encryptKey), keyFailure("encryptKey")))
    const alipayPublicPem = input.alipayPublicKey ??
      String(Keys.publicKeyOf(alipayPrivateKey).keyObject.export({ type: "spki", format: "pem" }))
    const keys: EmulatorKeys = {
      appPrivateKey: Option.map(
        Option.fromNullable(input.appPrivateKey),
        (k) => typeof k === "string" ? Redacted.make(k) : k
      ),
      appPublicKey: input.appPublicKey,
      alipayPrivateKey: Redacted.make(reveal(input.alipayPrivateKey)),
      alipayPublicKey: alipayPublicPem,
      encryptKey: Option.map(
        Option.fromNullable(options.encryptKey),
        (k) => typeof k === "string" ? Redacted.make(k) : k
      ),
      mdcodePublicKey
    }
    const appId = model.appId
    if (options.appId !== undefined && options.appId !== appId) {
      return yield* new EmulatorError({
        reason: `appId ${options.appId} differs from the model's appId ${appId} (one app id for wire and model)`
      })
    }
    const host = options.host ?? "127.0.0.1"
    const clock = EmulatorClock.makeClock(yield* Effect.clock)
    const notifier = yield* HttpClient.HttpClient.pipe(Effect.provide(FetchHttpClient.layer))
    const env: Http.ServerEnv = {
      appId,
      appPublicKey,
      alipayPrivateKey,
      model,
      clock,
      faults: yield* Ref.make<ReadonlyArray<Fault>>([]),
      traceCounter: yield* Ref.make(0),
      aesKey,
      notifier,
      spiUrl: yield* Ref.make<string | undefined>(options.spiUrl),
      cert
    }
    const nodeServer = createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, {
      port: options.port ?? 0,
      host,
      // 1,000 concurrent clients must not overflow the accept queue (node's default is 511)
      backlog: 4096
    }).pipe(
      Effect.mapError((e) =>
        new EmulatorError({ reason: `cannot listen on ${host}:${options.port ?? 0}: ${e.message}` })
      )
    )
    yield* server.serve(App.app(env))
    // closing the emulator never waits on a client
    yield* closeAtOnce(nodeServer)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const endpoint = `http://${urlHost(host)}:${port}`
    return Emulator.of({
      endpoint,
      gatewayUrl: `${endpoint}/gateway.do`,
      port,
      appId,
      keys,
      model: clocked(model, clock.clock),
      setNow: (now, setOptions) =>
        Control.setNow(env, now, setOptions?.frozen === true)
          ? Effect.void
          : Effect.fail(new EmulatorError({ reason: `now must be yyyy-MM-dd HH:mm:ss (Beijing time), got ${now}` })),
      injectFault: (fault) => Ref.update(env.faults, (all) => [...all, fault]),
      setSpiUrl: (url) =>
        Effect.flatMap(
          Spi.setSpiUrl(env, url),
          (ok) => ok ? Effect.void : Effect.fail(new EmulatorError({ reason: `not an absolute http(s) URL: ${url}` }))
        ),
      openCard: (input) =>
        Spi.openCard(env, input).pipe(
          Effect.mapError((e) => new EmulatorError({ reason: typeof e === "string" ? e : e.reason })),
          Effect.withClock(env.clock.clock)
        ),
      deliverNotifications: (url) => Deliveries.deliverOutbox(env, url).pipe(Effect.withClock(env.clock.clock)),
      notificationParams: (entry) => Deliveries.notificationParams(env, entry),
      reset: Effect.gen(function*() {
        yield* model.reset
        yield* Ref.set(env.faults, [])
        env.clock.reset()
      }),
      certificates: Effect.sync(() => Option.fromNullable(cert?.current().certificates)),
      rotateAlipayCert: cert === undefined
        ? Effect.fail(new EmulatorError({ reason: "not in certificate mode (Options.certMode / --cert-mode)" }))
        : Effect.map(
          Effect.mapError(cert.rotate, (e) => new EmulatorError({ reason: e.message })),
          (state) => state.certificates
        ),
      gatewayOptions: (overrides) => ({
        appId,
        endpoint,
        gatewayUrl: `${endpoint}/gateway.do`,
        ...(cert === undefined
          ? {
            appPrivateKey: Option.getOrElse(keys.appPrivateKey, () => Redacted.make("")),
            alipayPublicKey: Redacted.make(keys.alipayPublicKey)
          }
          : {
            appPrivateKey: cert.current().certificates.appCert.keys.privateKey,
            certificates: {
              appCert: cert.current().certificates.appCert.file,
              alipayPublicCert: cert.current().certificates.alipayCert.file,
              alipayRootCert: cert.current().certificates.rootCert
            }
          }),
        ...(Option.isSome(keys.encryptKey) ? { encryptKey: keys.encryptKey.value } : {}),
        ...overrides
      })
    })
  })

/**
 * Starts an emulator on a fresh model; the server stops when the scope closes, at once: it stops listening and
 * drops every open connection (a kept-alive client, a browser's late request, a request still in flight), so
 * closing never waits on a client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<Emulator.Service, EmulatorError, Scope.Scope> = Effect.fn(
  "Emulator.make"
)(function*(options: Options = {}) {
  const model = yield* AlipayModel.make({ ...options.model, appId: options.appId ?? AlipayModel.DEFAULT_APP_ID })
  return yield* serve(model, options)
})

/**
 * The emulator as a layer (its model is `service.model`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Emulator, EmulatorError> =>
  Layer.scoped(Emulator, make(options))

/**
 * The emulator on the `AlipayModel` of the context (share one model between the fake and the wire). It serves
 * the model's `appId` (the model puts it in URLs and notifications; the emulator checks it on requests).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithModel = (options: Options = {}): Layer.Layer<Emulator, EmulatorError, AlipayModel.AlipayModel> =>
  Layer.scoped(Emulator, Effect.flatMap(AlipayModel.AlipayModel, (model) => serve(model, options)))

/**
 * The gateway's `MemberCards` wired to the emulator over real HTTP (`FetchHttpClient`) with real signatures.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemberCards = (
  overrides?: Partial<AlipayConfig.Options>
): Layer.Layer<MemberCards.MemberCards, AlipayConfig.AlipayConfigError, Emulator> =>
  MemberCards.layer.pipe(
    Layer.provide(AlipayClient.layer),
    Layer.provide(
      Layer.unwrapEffect(Effect.map(Emulator, (emulator) => AlipayConfig.layer(emulator.gatewayOptions(overrides))))
    ),
    Layer.provide(FetchHttpClient.layer)
  )
