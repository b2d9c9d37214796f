import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, FastCheck, Option, Schema } from "effect"
import * as OpenCardSpi from "../src/OpenCardSpi.js"

const params = (overrides: Record<string, string> = {}): Record<string, string> => ({
  method: "spi.alipay.user.opencard.get",
  charset: "utf-8",
  version: "1.0",
  biz_app_id: "2021000000000001",
  utc_timestamp: "1733300000",
  sign_type: "RSA2",
  sign: "c2lnbg==",
  user_id: "2088102000000001",
  template_id: "20200312000000000414103000300846",
  out_serial_no: "1621923366000",
  biz_card_no: "000001",
  user_info: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"},{\"OPEN_FORM_FIELD_NAME\":\"张三\"},{\"X_NEW\":\"v\"}]",
  ...overrides
})

const decodeUserInfo = Schema.decodeUnknownEither(OpenCardSpi.UserInfoJson)
const encodeUserInfo = Schema.encodeEither(OpenCardSpi.UserInfoJson)

describe("OpenCardSpi request", () => {
  it("decodes the documented fields, types user_info, ignores unknown parameters", () => {
    const request = Either.getOrThrow(OpenCardSpi.decodeRequest(params({ x_unknown: "1", future_field: "y" })))
    expect(request.out_serial_no).toBe("1621923366000")
    expect(request.biz_card_no).toBe("000001")
    expect(request.user_info.OPEN_FORM_FIELD_MOBILE).toBe("13800000000")
    expect(request.user_info.OPEN_FORM_FIELD_NAME).toBe("张三")
    expect(request.user_info["X_NEW"]).toBe("v")
    expect("x_unknown" in request).toBe(false)
  })

  it("requires template_id, out_serial_no, biz_card_no, user_info, utc_timestamp and the method", () => {
    for (const name of ["template_id", "out_serial_no", "biz_card_no", "user_info", "utc_timestamp", "method"]) {
      const { [name]: _, ...rest } = params()
      expect([name, Either.isLeft(OpenCardSpi.decodeRequest(rest))]).toEqual([name, true])
      expect([name, Either.isLeft(OpenCardSpi.decodeRequest({ ...rest, [name]: "" }))]).toEqual([name, true])
    }
    expect(Either.isLeft(OpenCardSpi.decodeRequest(params({ user_info: "{not json" })))).toBe(true)
  })

  it("tolerates business fields inside biz_content (top-level parameters win)", () => {
    const { biz_card_no: _, out_serial_no: __, ...system } = params()
    const request = Either.getOrThrow(
      OpenCardSpi.decodeRequest({
        ...system,
        biz_content: JSON.stringify({ biz_card_no: "000009", out_serial_no: "S9", template_id: "ignored" })
      })
    )
    expect(request.biz_card_no).toBe("000009")
    expect(request.out_serial_no).toBe("S9")
    expect(request.template_id).toBe("20200312000000000414103000300846")
  })

  it("utc_timestamp: epoch seconds, epoch milliseconds and yyyy-MM-dd HH:mm:ss (Beijing time) are the same instant", () => {
    const seconds = OpenCardSpi.parseTimestamp("1733306400")
    const millis = OpenCardSpi.parseTimestamp("1733306400000")
    const text = OpenCardSpi.parseTimestamp("2024-12-04 18:00:00")
    expect(Option.map(seconds, DateTime.toEpochMillis)).toEqual(Option.some(1733306400000))
    expect(Option.map(millis, DateTime.toEpochMillis)).toEqual(Option.some(1733306400000))
    expect(Option.map(text, DateTime.toEpochMillis)).toEqual(Option.some(1733306400000))
    for (const bad of ["", "abc", "2024-13-01 00:00:00", "12345678901234", "1733306400.5"]) {
      expect([bad, Option.isNone(OpenCardSpi.parseTimestamp(bad))]).toEqual([bad, true])
    }
    expect(Either.isRight(OpenCardSpi.decodeRequest(params({ utc_timestamp: "2024-12-04 18:00:00" })))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.decodeRequest(params({ utc_timestamp: "yesterday" })))).toBe(true)
  })

  it.prop("parseTimestamp reads every whole second written in either form", [
    FastCheck.integer({ min: 0, max: 4_000_000_000 })
  ], ([s]) => {
    const at = Option.getOrThrow(OpenCardSpi.parseTimestamp(String(s)))
    expect(DateTime.toEpochMillis(at)).toBe(s * 1000)
    return true
  })

  it.prop("user_info round trip: encode → decode gives the values back (known and unknown codes)", [
    FastCheck.dictionary(
      FastCheck.oneof(
        FastCheck.constantFrom("OPEN_FORM_FIELD_MOBILE", "OPEN_FORM_FIELD_NAME", "OPEN_FORM_FIELD_CERT_TYPE"),
        FastCheck.stringMatching(/^[A-Z_]{1,20}$/)
      ),
      FastCheck.string()
    )
  ], ([values]) => {
    const text = Either.getOrThrow(encodeUserInfo(values))
    expect(Either.getOrThrow(decodeUserInfo(text))).toEqual(values)
    return true
  })

  it("user_info: a single object and non-string values are accepted", () => {
    expect(Either.getOrThrow(decodeUserInfo("{\"OPEN_FORM_FIELD_GENDER\":\"MALE\",\"N\":1}"))).toEqual({
      OPEN_FORM_FIELD_GENDER: "MALE",
      N: "1"
    })
  })
})

describe("OpenCardSpi answer", () => {
  const request = Either.getOrThrow(OpenCardSpi.decodeRequest(params()))

  it("success echoes biz_card_no; the answer text is compact JSON in schema order", () => {
    const card = Either.getOrThrow(OpenCardSpi.validateCardData({ external_card_no: "EXT0001", point: "88" }))
    const answer = OpenCardSpi.success(request, card)
    expect(Either.getOrThrow(OpenCardSpi.answerText(answer))).toBe(
      "{\"code\":\"10000\",\"msg\":\"Success\",\"card_info\":{\"biz_card_no\":\"000001\",\"external_card_no\":\"EXT0001\",\"point\":\"88\"}}"
    )
    const received = Either.getOrThrow(
      OpenCardSpi.decodeReceivedAnswer(Either.getOrThrow(OpenCardSpi.answerText(answer)))
    )
    expect(OpenCardSpi.opensCard(request, received)).toBe(true)
    expect(OpenCardSpi.opensCard({ ...request, biz_card_no: "000002" as typeof request.biz_card_no }, received)).toBe(
      false
    )
  })

  it("card data is checked against Alipay's limits on both sides of each limit", () => {
    expect(Either.isRight(OpenCardSpi.validateCardData({ external_card_no: "E".repeat(64) }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.validateCardData({ external_card_no: "E".repeat(65) }))).toBe(true)
    expect(Either.isRight(OpenCardSpi.validateCardData({ external_card_no: "E", level: "L".repeat(64) }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.validateCardData({ external_card_no: "E", level: "L".repeat(65) }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.validateCardData({ level: "VIP1" }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.validateCardData({ external_card_no: "E", biz_card_no: "1" }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.validateCardData({ external_card_no: "E", point: "-1" }))).toBe(true)
  })

  it("refusals: 40004 / Business Failed with the merchant's sub_code; limits checked; SYSTEM_ERROR is retryable", () => {
    expect(Either.getOrThrow(OpenCardSpi.answerText(OpenCardSpi.failure("USER_BLOCKED", "用户不可开卡")))).toBe(
      "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"USER_BLOCKED\",\"sub_msg\":\"用户不可开卡\"}"
    )
    expect(Either.isLeft(OpenCardSpi.answerText(OpenCardSpi.failure("", "x")))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.answerText(OpenCardSpi.failure("X".repeat(65), "x")))).toBe(true)
    expect(Either.isRight(OpenCardSpi.answerText(OpenCardSpi.failure("X".repeat(64), "x".repeat(256))))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.answerText(OpenCardSpi.failure("X", "x".repeat(257))))).toBe(true)
    expect(OpenCardSpi.systemError.sub_code).toBe("SYSTEM_ERROR")
  })

  it("the 3.0 callback: auth_code and request_id required and non-empty, the rest optional", () => {
    expect(Either.isRight(OpenCardSpi.decodeCallback({ auth_code: "a", request_id: "r", extra: "1" }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.decodeCallback({ auth_code: "", request_id: "r" }))).toBe(true)
    expect(Either.isLeft(OpenCardSpi.decodeCallback({ request_id: "r" }))).toBe(true)
  })
})
