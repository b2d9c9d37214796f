/**
 * End to end over the gateway's lean Node transport: `MemberCards` + `AlipayClient` + `NodeHttpTransport.layer`
 * against the emulator on loopback, real signatures both ways, on both protocols (JSON calls and a multipart upload).
 */
import { describe, expect, layer } from "@effect/vitest"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as NodeHttpTransport from "@membercard/gateway/NodeHttpTransport"
import { Effect, Layer, Redacted } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"

let n = 0
const rid = () => `NHT${String(++n).padStart(10, "0")}`

const cardsOverNode = (protocol: "v2" | "v3") =>
  MemberCards.layer.pipe(
    Layer.provide(AlipayClient.layer),
    Layer.provide(
      Layer.unwrapEffect(
        Effect.map(Emulator.Emulator, (emulator) => AlipayConfig.layer(emulator.gatewayOptions({ protocol })))
      )
    ),
    Layer.provide(NodeHttpTransport.layer)
  )

for (const protocol of ["v3", "v2"] as const) {
  describe(`gateway ⇄ emulator over NodeHttpTransport (${protocol})`, () => {
    layer(cardsOverNode(protocol).pipe(Layer.provideMerge(Emulator.layer())), {
      timeout: 30_000,
      excludeTestServices: true
    })((it) => {
      it.effect("open a card, cardUpdate then cardQuery read back the values; imageUpload (multipart)", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const cards = yield* MemberCards.MemberCards
          const { template_id } = yield* cards.templateCreate(S.template({ request_id: rid() }))
          const user = yield* emulator.model.mintUser()
          const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
          const biz = opened.card_info?.biz_card_no ?? ""
          expect(biz).not.toBe("")
          yield* cards.cardUpdate(S.update(biz, { point: "120.5", balance: "0.01" }))
          const queried = yield* cards.cardQuery(S.query(biz))
          expect([queried.card_info?.point, queried.card_info?.balance]).toEqual(["120.5", "0.01"])
          const image = yield* cards.imageUpload(S.upload(S.pngBytes))
          expect(image.image_id).toMatch(/^MCIMG\d{27}$/)
          // a typed business error still arrives as such
          const missing = yield* Effect.flip(cards.cardQuery(S.query("20261123999999999999999999999999")))
          expect("subCode" in missing ? missing.subCode : missing._tag).toBe("CARD_NOT_EXIT")
        }))
    })
  })
}
