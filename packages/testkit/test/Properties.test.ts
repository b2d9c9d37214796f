import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Card from "@membercard/domain/Card"
import * as CardNumber from "@membercard/domain/CardNumber"
import * as FieldRules from "@membercard/domain/FieldRules"
import * as Operations from "@membercard/domain/Operations"
import * as OperationSchemas from "@membercard/domain/OperationSchemas"
import * as Template from "@membercard/domain/Template"
import * as Validation from "@membercard/domain/Validation"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCardsModule from "@membercard/gateway/MemberCards"
import { MemberCards } from "@membercard/gateway/MemberCards"
import { DateTime, Effect, Either, FastCheck, Layer, Schema, TestClock } from "effect"
import * as Arbitraries from "../src/Arbitraries.js"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestKeys from "../src/TestKeys.js"
import * as TestNow from "../src/TestNow.js"
import * as S from "./scenarios/samples.js"

const fake = Effect.provide(MemberCardsTest.layer())

const start = Effect.gen(function*() {
  yield* TestNow.set("2026-11-23 10:00:00")
  return { cards: yield* MemberCards, control: yield* MemberCardsTest.Control }
})

const prefixArb = FastCheck.stringMatching(/^[A-Za-z0-9]{0,10}$/)

describe("numbering", () => {
  it.effect.prop(
    "biz_card_no is unique and always prefix + exactly biz_no_suffix_len characters",
    {
      prefix: prefixArb,
      extra: FastCheck.integer({ min: 0, max: 24 }),
      opens: FastCheck.integer({ min: 1, max: 25 })
    },
    ({ extra, opens, prefix }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        const len = Math.min(8 + extra, 32 - prefix.length)
        const { template_id } = yield* cards.templateCreate(
          S.template({ biz_no_prefix: prefix, biz_no_suffix_len: String(len) })
        )
        const numbers: Array<string> = []
        for (let i = 0; i < opens; i++) {
          const user = yield* control.mintUser()
          const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
          numbers.push(opened.card_info?.biz_card_no ?? "")
        }
        expect(new Set(numbers).size).toBe(opens)
        for (const no of numbers) {
          expect(no.startsWith(prefix)).toBe(true)
          expect(no.length).toBe(prefix.length + len)
          expect(Either.isRight(CardNumber.parse(no, { prefix, suffixLength: len }))).toBe(true)
        }
      }).pipe(fake),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect("two templates with the same prefix never issue the same number", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      const a = yield* cards.templateCreate(S.template({ request_id: "a" }))
      const b = yield* cards.templateCreate(S.template({ request_id: "b" }))
      const user = yield* control.mintUser()
      const x = yield* cards.cardOpen(S.open(a.template_id, user), user.authToken)
      const y = yield* cards.cardOpen(S.open(b.template_id, user), user.authToken)
      expect(x.card_info?.biz_card_no).not.toBe(y.card_info?.biz_card_no)
    }).pipe(fake))
})

describe("idempotency", () => {
  it.effect.prop(
    "a retried serial-numbered write never applies twice",
    { retries: FastCheck.integer({ min: 1, max: 5 }) },
    ({ retries }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        const create = S.template({ request_id: "same" })
        const created = yield* Effect.all(Array.from({ length: retries + 1 }, () => cards.templateCreate(create)))
        expect(new Set(created.map((c) => c.template_id)).size).toBe(1)
        const template_id = created[0]?.template_id ?? ""
        const user = yield* control.mintUser()
        const request = S.open(template_id, user)
        const opened = yield* Effect.all(
          Array.from({ length: retries + 1 }, () => cards.cardOpen(request, user.authToken))
        )
        expect(new Set(opened.map((o) => o.card_info?.biz_card_no)).size).toBe(1)
        const biz = opened[0]?.card_info?.biz_card_no ?? ""
        yield* Effect.all(Array.from({ length: retries + 1 }, () => cards.messageNotify(S.notify(biz, "notify-1"))))
        const deleted = yield* Effect.all(
          Array.from({ length: retries + 1 }, () => cards.cardDelete(S.remove(biz, "USER_UNBUND", "d-1")))
        )
        expect(new Set(deleted.map((d) => d.biz_serial_no)).size).toBe(1)
        const state = yield* control.state
        expect(state.templates.size).toBe(1)
        expect(state.cards.size).toBe(1)
        expect(state.messages.length).toBe(1)
        expect(state.outbox.length).toBe(1)
      }).pipe(fake),
    { fastCheck: { numRuns: 15 } }
  )
})

describe("field rules", () => {
  const someCardExtInfo = FastCheck.record({
    external_card_no: FastCheck.constant("EXT1"),
    open_date: Arbitraries.dateTime,
    valid_date: Arbitraries.dateTime,
    level: FastCheck.stringMatching(/^[A-Z0-9]{1,8}$/),
    point: Arbitraries.amount,
    balance: Arbitraries.amount
  }, { requiredKeys: ["external_card_no"] })

  it.effect.prop(
    "the model's card fields are FieldRules.evaluateFieldRules of the template, request and clock",
    {
      template: Arbitraries.templateCreate,
      ext: someCardExtInfo,
      seconds: FastCheck.integer({ min: 946_684_800, max: 2_208_988_800 })
    },
    ({ ext, seconds, template }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        yield* TestClock.setTime(seconds * 1000)
        const { template_id } = yield* cards.templateCreate(template)
        const user = yield* control.mintUser()
        const request = S.open(template_id, user, { card_ext_info: ext })
        const result = yield* Effect.either(cards.cardOpen(request, user.authToken))
        const now = DateTime.unsafeMake(seconds * 1000)
        const expected = FieldRules.evaluateFieldRules(template.field_rule_list, request.card_ext_info, now)
        if (Either.isLeft(expected)) {
          // a rule reads a field the request lacks: Alipay answers INVALID_PARAMETER
          expect(Either.isLeft(result) && result.left._tag).toBe("INVALID_PARAMETER")
        } else {
          expect(Either.isRight(result)).toBe(true)
          const info = Either.isRight(result) ? result.right.card_info : undefined
          expect({
            open_date: info?.open_date,
            valid_date: info?.valid_date,
            level: info?.level,
            point: info?.point,
            balance: info?.balance
          }).toEqual({
            // UNCONFIRMED default of the model: a card without any open_date is dated now
            open_date: expected.right.open_date ?? AlipayDateTime.format(now),
            valid_date: expected.right.valid_date,
            level: expected.right.level,
            point: expected.right.point,
            balance: expected.right.balance
          })
        }
      }).pipe(fake),
    { fastCheck: { numRuns: 60 } }
  )
})

describe("arbitraries", () => {
  it.effect.prop(
    "generated templates are accepted by the fake (schema and rules)",
    { template: Arbitraries.templateCreate },
    ({ template }) =>
      Effect.gen(function*() {
        const { cards } = yield* start
        const created = yield* cards.templateCreate(template)
        const queried = yield* cards.templateQuery(S.templateQuery(created.template_id))
        expect(queried.field_rule_list.length).toBe(template.field_rule_list.length)
      }).pipe(fake),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop(
    "generated template modifications are accepted",
    { create: Arbitraries.templateCreate, modify: Arbitraries.templateModify() },
    ({ create, modify }) =>
      Effect.gen(function*() {
        const { cards } = yield* start
        const { template_id } = yield* cards.templateCreate(create)
        const request = { ...modify, template_id: S.templateQuery(template_id).template_id }
        const result = yield* Effect.either(cards.templateModify(request))
        expect(Either.isRight(result) ? "ok" : result.left).toBe("ok")
      }).pipe(fake),
    { fastCheck: { numRuns: 30 } }
  )

  it.prop(
    "every operation's generated request passes the gateway's strict encoding",
    Arbitraries.requests,
    (requests) => {
      for (const op of Operations.all) {
        const request: unknown = requests[op.name]
        const schema = OperationSchemas.of(op).request as Schema.Schema<unknown, unknown, never>
        const encoded = Schema.encodeEither(schema, Validation.strictOptions)(request)
        expect(Either.isRight(encoded) ? op.name : [op.name, encoded.left.message]).toBe(op.name)
      }
    },
    { fastCheck: { numRuns: 20 } }
  )

  it.prop(
    "generated invalid templates are rejected, naming the broken field",
    { invalid: Arbitraries.invalidTemplateCreate },
    ({ invalid }) => {
      const decoded = Validation.validate(Template.TemplateCreateRequest)(invalid.wire)
      if (invalid.kind === "schema") {
        expect(Either.isLeft(decoded)).toBe(true)
        if (Either.isLeft(decoded)) {
          expect(decoded.left.issues.some((i) => i.path.startsWith(invalid.field))).toBe(true)
        }
      } else {
        expect(Either.isRight(decoded)).toBe(true)
      }
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.effect.prop(
    "rule-level invalid templates get INVALID_PARAMETER naming the field",
    { invalid: Arbitraries.invalidTemplateCreate.filter((i) => i.kind === "rule") },
    ({ invalid }) =>
      Effect.gen(function*() {
        const { cards } = yield* start
        const request = Schema.decodeUnknownSync(Template.TemplateCreateRequest)(invalid.wire)
        const error = yield* Effect.flip(cards.templateCreate(request))
        expect(error).toBeInstanceOf(AlipayError.InvalidParameter)
        expect(error._tag === "INVALID_PARAMETER" ? error.subMsg : "").toContain(invalid.field)
      }).pipe(fake),
    { fastCheck: { numRuns: 30 } }
  )

  it.effect.prop(
    "generated card.open requests are accepted; invalid ones name the broken field",
    { seed: FastCheck.integer({ min: 0, max: 1000 }) },
    ({ seed }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        const { template_id } = yield* cards.templateCreate(S.template())
        const user = yield* control.mintUser()
        const [wire] = FastCheck.sample(Arbitraries.cardOpenWire(template_id, user.user_id), { seed, numRuns: 1 })
        const request = Schema.decodeUnknownSync(Card.CardOpenRequest)(wire)
        const opened = (yield* cards.cardOpen(request, user.authToken)).card_info?.biz_card_no
        // the template's `biz_no_prefix` + a 10-digit sequence
        expect(opened).toMatch(/^prex\d{10}$/)
        const [invalid] = FastCheck.sample(Arbitraries.invalidCardOpen(template_id, user.user_id), { seed, numRuns: 1 })
        const decoded = invalid === undefined ? undefined : Validation.validate(Card.CardOpenRequest)(invalid.wire)
        expect(
          decoded !== undefined && Either.isLeft(decoded) &&
            decoded.left.issues.some((i) => i.path.startsWith(invalid?.field ?? "?"))
        ).toBe(true)
      }).pipe(fake),
    { fastCheck: { numRuns: 20 } }
  )
})

// The real gateway on a client that must never be reached: what it rejects before sending.
const realGateway = MemberCardsModule.layer.pipe(
  Layer.provide(AlipayClient.layer),
  Layer.provide(TestKeys.layer()),
  Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("the network was reached"))))
)

describe("validation parity with the real gateway", () => {
  it.effect.prop(
    "the fake rejects exactly what the gateway rejects, with the same issues",
    { template: Arbitraries.templateCreate, name: FastCheck.string({ minLength: 11, maxLength: 20 }) },
    ({ name, template }) =>
      Effect.gen(function*() {
        const bad = { ...template, template_style_info: { ...template.template_style_info, card_show_name: name } }
        const viaGateway = yield* Effect.flip(Effect.flatMap(MemberCards, (c) => c.templateCreate(bad))).pipe(
          Effect.provide(realGateway)
        )
        const viaFake = yield* Effect.flip(Effect.flatMap(MemberCards, (c) => c.templateCreate(bad))).pipe(fake)
        expect(viaFake._tag).toBe("AlipayRequestRejected")
        expect(viaGateway._tag).toBe("AlipayRequestRejected")
        if (viaFake._tag === "AlipayRequestRejected" && viaGateway._tag === "AlipayRequestRejected") {
          expect(viaFake.issues).toEqual(viaGateway.issues)
        }
      }),
    { fastCheck: { numRuns: 10 } }
  )
})

describe("TestKeys", () => {
  it.effect("generates the pairs once per process and builds a gateway config", () =>
    Effect.gen(function*() {
      const a = yield* TestKeys.get
      const b = yield* TestKeys.get
      expect(a).toBe(b)
      expect(a.app.publicKey).toContain("BEGIN PUBLIC KEY")
      expect(a.app.publicKey).not.toBe(a.alipay.publicKey)
      expect(String(a.app.privateKey)).not.toContain("PRIVATE KEY")
      const options = yield* TestKeys.config({ protocol: "v2" })
      expect(options.protocol).toBe("v2")
      expect(options.appId).toBe(TestKeys.APP_ID)
    }))
})

type Command =
  | { readonly _tag: "Open"; readonly user: number }
  | { readonly _tag: "Delete"; readonly user: number; readonly reason: "USER_UNBUND" | "CANCEL" | "PRESENT" }

const commandArb: FastCheck.Arbitrary<Command> = FastCheck.oneof(
  FastCheck.integer({ min: 0, max: 2 }).map((user): Command => ({ _tag: "Open", user })),
  FastCheck.record({
    user: FastCheck.integer({ min: 0, max: 2 }),
    reason: FastCheck.constantFrom("USER_UNBUND" as const, "CANCEL" as const, "PRESENT" as const)
  }).map(({ reason, user }): Command => ({ _tag: "Delete", user, reason }))
)

describe("card lifecycle rules", () => {
  it.effect.prop(
    "one active card per user and template; CANCEL blocks re-binding, USER_UNBUND / PRESENT do not",
    { commands: FastCheck.array(commandArb, { minLength: 1, maxLength: 25 }) },
    ({ commands }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        const { template_id } = yield* cards.templateCreate(S.template())
        const users = yield* Effect.all([control.mintUser(), control.mintUser(), control.mintUser()])
        // reference model: per user the last card number, whether it is active, whether re-binding is blocked
        const ref = users.map(() => ({ last: undefined as string | undefined, active: false, blocked: false }))
        let serial = 0
        for (const command of commands) {
          const user = users[command.user]!
          const expected = ref[command.user]!
          serial += 1
          if (command._tag === "Open") {
            const result = yield* Effect.either(
              cards.cardOpen(S.open(template_id, user, { out_serial_no: `s-${serial}` }), user.authToken)
            )
            if (expected.active || expected.blocked) {
              expect(Either.isLeft(result) && result.left._tag).toBe("CARD_HAS_OPENED")
            } else {
              expect(Either.isRight(result)).toBe(true)
              if (Either.isRight(result)) {
                expected.last = result.right.card_info?.biz_card_no
                expected.active = true
              }
            }
          } else if (expected.last !== undefined) {
            const result = yield* Effect.either(
              cards.cardDelete(S.remove(expected.last, command.reason, `d-${serial}`))
            )
            if (expected.active) {
              expect(Either.isRight(result)).toBe(true)
              expected.active = false
              if (command.reason === "CANCEL") expected.blocked = true
            } else {
              expect(Either.isLeft(result) && result.left._tag).toBe("CARD_IS_DELETED_ALREADY")
            }
          }
        }
        const state = yield* control.state
        const active = [...state.cards.values()].filter((c) => c.status._tag === "Active")
        expect(active.length).toBe(ref.filter((r) => r.active).length)
        expect(new Set(active.map((c) => c.user)).size).toBe(active.length)
      }).pipe(fake),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop(
    "shop_ids only grow, field_rule_list is never modified",
    {
      initial: FastCheck.uniqueArray(FastCheck.constantFrom("S1", "S2", "S3", "S4"), { maxLength: 2 }),
      changes: FastCheck.array(
        FastCheck.uniqueArray(FastCheck.constantFrom("S1", "S2", "S3", "S4", "S5"), { maxLength: 3 }),
        {
          maxLength: 4
        }
      ),
      rules: Arbitraries.fieldRuleList
    },
    ({ changes, initial, rules }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        // shop ids must belong to the merchant
        for (const shop_id of ["S1", "S2", "S3", "S4", "S5"]) yield* Effect.orDie(control.addShop({ shop_id }))
        const create = S.template(initial.length === 0 ? {} : { shop_ids: initial })
        const { template_id } = yield* cards.templateCreate(create)
        let expected: ReadonlyArray<string> = initial
        let n = 0
        for (const shop_ids of changes) {
          n += 1
          yield* cards.templateModify(S.modify(template_id, { request_id: `m-${n}`, shop_ids, field_rule_list: rules }))
          expected = [...new Set([...expected, ...shop_ids])]
          const queried = yield* cards.templateQuery(S.templateQuery(template_id))
          expect(queried.shop_ids).toEqual(expected)
          expect(queried.field_rule_list).toEqual(create.field_rule_list)
        }
      }).pipe(fake),
    { fastCheck: { numRuns: 30 } }
  )
})

describe("card.update semantics", () => {
  const changes = FastCheck.record({
    level: FastCheck.stringMatching(/^[A-Z0-9]{1,8}$/),
    point: Arbitraries.amount,
    balance: Arbitraries.amount,
    open_date: Arbitraries.dateTime,
    valid_date: Arbitraries.dateTime,
    external_card_no: FastCheck.stringMatching(/^[A-Z0-9]{1,12}$/)
  }, { requiredKeys: [] })

  it.effect.prop(
    "given fields replace, omitted fields are kept, open_date / valid_date never change",
    { updates: FastCheck.array(changes, { minLength: 1, maxLength: 6 }) },
    ({ updates }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        const { template_id } = yield* cards.templateCreate(S.template())
        const user = yield* control.mintUser()
        const opened = yield* cards.cardOpen(
          S.open(template_id, user, {
            card_ext_info: { external_card_no: "E0", point: "1", balance: "2", valid_date: "2030-01-01 00:00:00" }
          }),
          user.authToken
        )
        const biz = opened.card_info?.biz_card_no ?? ""
        let expected: Record<string, string | undefined> = {
          biz_card_no: opened.card_info?.biz_card_no,
          external_card_no: opened.card_info?.external_card_no,
          level: opened.card_info?.level,
          point: opened.card_info?.point,
          balance: opened.card_info?.balance
        }
        for (const card_info of updates) {
          yield* cards.cardUpdate(S.update(biz, card_info))
          const { open_date: _o, valid_date: _v, ...kept } = card_info
          expected = { ...expected, ...kept }
        }
        const q = yield* cards.cardQuery(S.query(biz))
        const actual: Record<string, string | undefined> = {
          biz_card_no: q.card_info?.biz_card_no,
          external_card_no: q.card_info?.external_card_no,
          open_date: q.card_info?.open_date,
          valid_date: q.card_info?.valid_date,
          level: q.card_info?.level,
          point: q.card_info?.point,
          balance: q.card_info?.balance
        }
        expect(actual).toEqual({
          biz_card_no: expected.biz_card_no,
          external_card_no: expected.external_card_no,
          open_date: opened.card_info?.open_date,
          valid_date: "2030-01-01 00:00:00",
          level: expected.level,
          point: expected.point,
          balance: expected.balance
        })
      }).pipe(fake),
    { fastCheck: { numRuns: 40 } }
  )
})
