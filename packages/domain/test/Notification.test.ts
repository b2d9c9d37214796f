import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import * as fs from "node:fs"
import * as Notification from "../src/Notification.js"
import * as OpenForm from "../src/OpenForm.js"
import * as Validation from "../src/Validation.js"
import { sharedPath } from "./util/Shared.js"

const n1BizContent = {
  template_id: "20200312000000000414103000300846",
  biz_card_no: "000001",
  external_card_no: "EXT0001",
  success: "true",
  user_id: "2088902351536970"
}

const n1 = {
  notify_id: "5608cccc09ddb39d41c2e3c06e3d9fejh2",
  utc_timestamp: "1514210452731",
  msg_method: "alipay.user.opencard.result.notify",
  app_id: "2014060600164699",
  version: "1.1",
  biz_content: JSON.stringify(n1BizContent),
  sign: "c2lnbg==",
  sign_type: "RSA2",
  charset: "utf-8"
}

const spiBizContent = {
  user_id: "2088902351536970",
  template_id: "20200312000000000414103000300846",
  out_serial_no: "1621923366000",
  biz_card_no: "000001",
  user_info: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"}]"
}

const spi = {
  method: "spi.alipay.user.opencard.get",
  charset: "utf-8",
  version: "1.0",
  biz_app_id: "2021000000000001",
  invoke_app_id: "2021000000000002",
  utc_timestamp: "1621923366000",
  sign_type: "RSA2",
  sign: "c2lnbg==",
  biz_content: JSON.stringify(spiBizContent)
}

const tag = (params: Record<string, string>): string =>
  Either.match(Notification.decode(params), { onLeft: () => "error", onRight: (r) => r._tag })

describe("Notification: N1 alipay.user.opencard.result.notify", () => {
  it("§5.1 message decodes with its biz_content", () => {
    const decoded = Either.getOrThrow(Notification.decode(n1))
    expect(decoded._tag).toBe("OpenCardResult")
    if (decoded._tag !== "OpenCardResult") return
    expect(decoded.notification.biz_content).toEqual(n1BizContent)
    expect(Notification.isOpenCardSuccess(decoded.notification.biz_content)).toBe(true)
  })

  it("success is read from the string", () => {
    const content = (success: string | undefined) => ({ template_id: "t", biz_card_no: "b", success }) as never
    expect(Notification.isOpenCardSuccess(content("TRUE"))).toBe(true)
    expect(Notification.isOpenCardSuccess(content("false"))).toBe(false)
    expect(Notification.isOpenCardSuccess(content(undefined))).toBe(false)
  })

  it("is tolerant: unknown params and biz_content keys are ignored, no length checks", () => {
    const decoded = Either.getOrThrow(Notification.decode({
      ...n1,
      brand_new_param: "x",
      biz_content: JSON.stringify({ ...n1BizContent, biz_card_no: "9".repeat(80), new_key: 1 })
    }))
    if (decoded._tag !== "OpenCardResult") return expect.unreachable()
    expect(Object.keys(decoded.notification)).not.toContain("brand_new_param")
    expect(decoded.notification.biz_content.biz_card_no.length).toBe(80)
  })

  it("a broken biz_content is an error naming biz_content", () => {
    const result = Notification.decode({ ...n1, biz_content: "{" })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) expect(result.left.issues[0]?.path).toBe("biz_content")
    const missing = Notification.decode({ ...n1, biz_content: JSON.stringify({ success: "true" }) })
    expect(Either.isLeft(missing)).toBe(true)
  })
})

describe("Notification: N2 spi.alipay.user.opencard.get", () => {
  it("§5.2 request decodes (biz_content form)", () => {
    const decoded = Either.getOrThrow(Notification.decode(spi))
    if (decoded._tag !== "OpenCardGetSpi") return expect.unreachable()
    expect(decoded.request.biz_content.biz_card_no).toBe("000001")
    expect(Either.getOrThrow(OpenForm.parseInfos(decoded.request.biz_content.user_info ?? ""))).toEqual({
      OPEN_FORM_FIELD_MOBILE: "13800000000"
    })
  })

  it("business parameters at the top level are accepted too", () => {
    const { biz_content: _, ...common } = spi
    const flat = { ...common, ...spiBizContent }
    const decoded = Either.getOrThrow(Notification.decode(flat))
    if (decoded._tag !== "OpenCardGetSpi") return expect.unreachable()
    expect(decoded.request.biz_content.out_serial_no).toBe("1621923366000")
    expect(Either.getOrThrow(Notification.spiBusinessParams(flat)).biz_card_no).toBe("000001")
    expect(Either.getOrThrow(Notification.spiBusinessParams(spi)).template_id).toBe(spiBizContent.template_id)
  })

  it("the reply echoes biz_card_no and is strict", () => {
    const request = Either.getOrThrow(Notification.spiBusinessParams(spi))
    const reply = Notification.makeSpiReply(
      Schema.decodeUnknownSync(Notification.SpiCardInfo)({
        biz_card_no: "000001",
        external_card_no: "EXT0001",
        level: "VIP1",
        point: "88",
        balance: "124.89"
      })
    )
    expect(Notification.echoesBizCardNo(request, reply)).toBe(true)
    expect(Either.isRight(
      Validation.validate(Notification.OpenCardGetSpiReply)(
        Schema.encodeSync(Notification.OpenCardGetSpiReply)(reply)
      )
    )).toBe(true)
    const other = Notification.makeSpiReply(
      Schema.decodeUnknownSync(Notification.SpiCardInfo)({ biz_card_no: "000002", external_card_no: "E" })
    )
    expect(Notification.echoesBizCardNo(request, other)).toBe(false)
    const bad = Validation.validate(Notification.OpenCardGetSpiReply)({
      code: "10000",
      msg: "Success",
      card_info: { biz_card_no: "1".repeat(33), external_card_no: "E" }
    })
    expect(Either.isLeft(bad) && bad.left.issues.some((i) => i.path === "card_info.biz_card_no")).toBe(true)
    const noExternal = Validation.validate(Notification.OpenCardGetSpiReply)({
      code: "10000",
      msg: "Success",
      card_info: { biz_card_no: "000001" }
    })
    expect(Either.isLeft(noExternal)).toBe(true)
  })
})

describe("Notification: N3 merchant dynamic code", () => {
  it("§5.3 request decodes with ext_params kept", () => {
    const decoded = Either.getOrThrow(Notification.decode({
      BizCardNo: "000001",
      shop: "S1",
      sign: "c2lnbg==",
      sign_type: "RSA2",
      charset: "GBK"
    }))
    if (decoded._tag !== "MdCodeNotify") return expect.unreachable()
    expect(decoded.request.BizCardNo).toBe("000001")
    expect(decoded.request["shop"]).toBe("S1")
  })

  it("the reply is `success`; the fixed key and charset are the documented ones", () => {
    expect(Schema.decodeUnknownSync(Notification.MdCodeNotifyReply)("success")).toBe("success")
    expect(Either.isLeft(Schema.decodeUnknownEither(Notification.MdCodeNotifyReply)("ok"))).toBe(true)
    expect(Notification.MDCODE_NOTIFY_CHARSET).toBe("GBK")
    expect(Notification.MDCODE_NOTIFY_PUBLIC_KEY.startsWith("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk77o")).toBe(
      true
    )
    expect(Notification.MDCODE_NOTIFY_PUBLIC_KEY.endsWith("zwIDAQAB")).toBe(true)
    expect(Buffer.from(Notification.MDCODE_NOTIFY_PUBLIC_KEY, "base64").length).toBe(294)
  })
})

describe("Notification: generic", () => {
  it("every notification of the shared vectors decodes (as Other, typed common fields)", () => {
    const vectors = JSON.parse(fs.readFileSync(sharedPath("vectors", "notify.json"), "utf8")) as {
      cases: ReadonlyArray<{ params: Record<string, string> }>
    }
    expect(vectors.cases.length).toBeGreaterThan(3)
    for (const c of vectors.cases) {
      const decoded = Either.getOrThrow(Notification.decode(c.params))
      expect(decoded._tag).toBe("Other")
      if (decoded._tag === "Other") expect(decoded.notification.notify_id).toBe(c.params["notify_id"])
      expect(Notification.nameOf(c.params)).toBe(c.params["method"] ?? c.params["notify_type"])
    }
  })

  it("a `__proto__` parameter is dropped, never merged into the prototype", () => {
    const params = JSON.parse("{\"__proto__\":\"x\",\"notify_id\":\"1\"}") as Record<string, string>
    const decoded = Either.getOrThrow(Notification.decode(params))
    if (decoded._tag !== "Other") return expect.unreachable()
    expect(Object.prototype.hasOwnProperty.call(decoded.notification, "__proto__")).toBe(false)
    expect(decoded.notification.notify_id).toBe("1")
  })

  it("names: msg_method, then method, then notify_type", () => {
    expect(Notification.nameOf({ msg_method: "a", method: "b", notify_type: "c" })).toBe("a")
    expect(Notification.nameOf({ method: "b", notify_type: "c" })).toBe("b")
    expect(Notification.nameOf({ notify_type: "c" })).toBe("c")
    expect(Notification.nameOf({})).toBeUndefined()
  })

  it.prop("any string parameters decode to something typed", [
    FastCheck.dictionary(FastCheck.string(), FastCheck.string())
  ], ([params]) => {
    const result = Notification.decode(params)
    const known = params["msg_method"] === Notification.OPEN_CARD_RESULT_NOTIFY ||
      params["method"] === Notification.OPEN_CARD_GET_SPI || params["BizCardNo"] !== undefined
    if (!known) expect(tag(params)).toBe("Other")
    else expect(Either.isRight(result) || Either.isLeft(result)).toBe(true)
  })
})

describe("Notification: round trips", () => {
  const roundTrip = <A, I>(name: string, schema: Schema.Schema<A, I, never>) =>
    it.prop(`${name} round-trips`, [Arbitrary.make(schema)], ([value]) => {
      // Schema drops a `__proto__` key on decode (prototype-pollution guard); that is wanted for posted params
      FastCheck.pre(!Object.prototype.hasOwnProperty.call(value, "__proto__"))
      expect(Schema.decodeUnknownSync(schema)(Schema.encodeSync(schema)(value))).toEqual(value)
    })
  roundTrip("OpenCardResultNotify", Notification.OpenCardResultNotify)
  roundTrip("OpenCardGetSpiRequest", Notification.OpenCardGetSpiRequest)
  roundTrip("MdCodeNotifyRequest", Notification.MdCodeNotifyRequest)
  roundTrip("GenericNotification", Notification.GenericNotification)
  roundTrip("OpenCardGetSpiReply", Notification.OpenCardGetSpiReply)
  it.prop(
    "N1 encoded params decode back through decode()",
    [Arbitrary.make(Notification.OpenCardResultNotify)],
    ([n]) => {
      const params = Schema.encodeSync(Notification.OpenCardResultNotify)(n)
      const decoded = Either.getOrThrow(Notification.decode(params as Record<string, string>))
      expect(decoded._tag).toBe("OpenCardResult")
    }
  )
})
