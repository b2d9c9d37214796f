/**
 * Arbitraries (fast-check, via `effect/FastCheck`) for users' own property tests:
 *
 * - `requests`: a **valid** request of every operation. Derived from the domain's schemas (`effect/Arbitrary`);
 *   the template requests are built so that the cross-field rules hold too (`TemplateValidation` accepts every
 *   generated template: numbering fits in 32 characters, md* write-off types carry `mdcode_notify_conf`, column
 *   codes are unique, field rules are well-formed, …).
 * - `invalidTemplateCreate` / `invalidCardOpen`: wire objects with exactly one broken field, and the path of
 *   that field (`field`), for testing that bad input is rejected with the right path.
 *
 * @since 0.1.0
 */
import * as Image from "@membercard/domain/Image"
import * as Limits from "@membercard/domain/Limits"
import * as Money from "@membercard/domain/Money"
import * as Operations from "@membercard/domain/Operations"
import * as OperationSchemas from "@membercard/domain/OperationSchemas"
import * as Template from "@membercard/domain/Template"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import { Arbitrary, FastCheck, Option, Schema } from "effect"
import type * as AlipayModel from "./AlipayModel.js"
import * as References from "./internal/model/references.js"

type Wire = Readonly<Record<string, unknown>>

const alnum = (min: number, max: number): FastCheck.Arbitrary<string> =>
  FastCheck.string({
    unit: FastCheck.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    minLength: min,
    maxLength: max
  })

const text = (min: number, max: number): FastCheck.Arbitrary<string> =>
  FastCheck.string({ minLength: min, maxLength: max }).filter((s) => s.trim().length >= min)

const pad2 = (n: number): string => String(n).padStart(2, "0")

/**
 * A valid Alipay date-time `yyyy-MM-dd HH:mm:ss` between 2000 and 2049.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dateTime: FastCheck.Arbitrary<string> = FastCheck.tuple(
  FastCheck.integer({ min: 2000, max: 2049 }),
  FastCheck.integer({ min: 1, max: 12 }),
  FastCheck.integer({ min: 1, max: 28 }),
  FastCheck.integer({ min: 0, max: 23 }),
  FastCheck.integer({ min: 0, max: 59 }),
  FastCheck.integer({ min: 0, max: 59 })
).map(([y, mo, d, h, mi, s]) => `${y}-${pad2(mo)}-${pad2(d)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}`)

/**
 * An amount in yuan (`"124.89"`, `"0"`), also valid as points.
 *
 * @since 0.1.0
 * @category constructors
 */
export const amount: FastCheck.Arbitrary<string> = FastCheck.integer({ min: 0, max: 100_000_000 }).map(
  Money.formatHundredthsShort
)

// image ids must come from an upload: the ids of Alipay's samples count as uploaded by every merchant
const imageId = FastCheck.constantFrom(...References.SAMPLE_IMAGE_IDS)

/**
 * A valid `field_rule_list`: at most one rule per field, each well-formed for its field kind.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fieldRuleList: FastCheck.Arbitrary<ReadonlyArray<Wire>> = FastCheck.uniqueArray(
  FastCheck.constantFrom("Balance", "Point", "Level", "OpenDate", "ValidDate"),
  { maxLength: 5 }
).chain((fields) =>
  FastCheck.tuple(...fields.map((field_name): FastCheck.Arbitrary<Wire> => {
    const assign = FastCheck.constant({ field_name, rule_name: "ASSIGN_FROM_REQUEST", rule_value: field_name })
    switch (field_name) {
      case "Balance":
      case "Point":
        return FastCheck.oneof(amount.map((rule_value) => ({ field_name, rule_name: "CONST", rule_value })), assign)
      case "Level":
        return FastCheck.oneof(
          alnum(1, 16).map((rule_value) => ({ field_name, rule_name: "CONST", rule_value })),
          assign
        )
      default:
        return FastCheck.oneof(
          FastCheck.tuple(FastCheck.integer({ min: 0, max: 400 }), FastCheck.constantFrom("d", "m")).map((
            [n, unit]
          ) => ({
            field_name,
            rule_name: "DATE_IN_FUTURE",
            rule_value: `${unit === "m" ? Math.min(n, 120) : n}${unit}`
          })),
          dateTime.map((rule_value) => ({ field_name, rule_name: "CONST", rule_value })),
          assign
        )
    }
  }))
)

const numbering = alnum(0, 10).chain((prefix) =>
  FastCheck.integer({ min: Limits.bizNoSuffixLenMin, max: Math.min(Limits.bizNoSuffixLenMax, 32 - prefix.length) }).map(
    (len) => ({ biz_no_prefix: prefix, biz_no_suffix_len: String(len) })
  )
)

// Every write-off type of the domain's enum but the FAQ-only `none`.
const writeOff = FastCheck.constantFrom(
  ...Template.WriteOffType.literals.filter((type) => type !== "none")
).map((type): Wire =>
  TemplateValidation.merchantDynamicWriteOffTypes.includes(type)
    ? { write_off_type: type, mdcode_notify_conf: { url: "https://merchant.example/mdcode" } }
    : { write_off_type: type }
)

const columns = FastCheck.uniqueArray(
  FastCheck.constantFrom("BALANCE", "POINT", "LEVEL", "TELEPHONE", "BENEFIT", "COUPON", "STORE", "GUIDE"),
  { maxLength: 6 }
).chain((codes) =>
  FastCheck.tuple(
    ...codes.map((code) =>
      FastCheck.record({ title: text(1, 16) }).map(({ title }) => ({ code, title, operate_type: "staticinfo" }))
    )
  )
)

const levels = FastCheck.uniqueArray(alnum(1, 8), { maxLength: 3 }).map((codes) =>
  codes.map((level) => ({
    level,
    level_show_name: `L-${level}`,
    level_icon: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    level_desc: "desc"
  }))
)

const actions = FastCheck.integer({ min: 0, max: Math.min(3, Limits.cardActionListMax) }).map((n) =>
  Array.from(
    { length: n },
    (_, i) => ({ code: `ACTION_${i}`, text: `按钮${i}`, url: `https://merchant.example/a${i}` })
  )
)

const benefits = FastCheck.array(FastCheck.tuple(dateTime, dateTime, text(1, 16)), { maxLength: 2 }).map((list) =>
  list.map(([a, b, title]) => ({
    title,
    benefit_desc: ["desc"],
    start_date: a < b ? a : b,
    end_date: a < b ? b : a
  }))
)

/**
 * A valid template.create request as a wire object (what goes into `biz_content` / the v3 body).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templateCreateWire: FastCheck.Arbitrary<Wire> = FastCheck.record({
  request_id: alnum(1, Limits.requestIdMax),
  numbering,
  writeOff,
  style: FastCheck.record({
    card_show_name: text(1, 10),
    logo_id: imageId,
    background_id: imageId,
    bg_color: FastCheck.constantFrom("rgb(55,112,179)", "rgb(0,0,0)", "#FFFFFF"),
    front_text_list_enable: FastCheck.boolean()
  }),
  column_info_list: columns,
  field_rule_list: fieldRuleList,
  card_level_conf: levels,
  card_action_list: actions,
  template_benefit_info: benefits,
  // shop ids must belong to the merchant: Alipay's sample shop belongs to every merchant
  shop_ids: FastCheck.subarray([...References.SAMPLE_SHOP_IDS])
}).map((r) => ({
  request_id: r.request_id,
  card_type: "OUT_MEMBER_CARD",
  ...r.numbering,
  ...r.writeOff,
  template_style_info: r.style,
  column_info_list: r.column_info_list,
  field_rule_list: r.field_rule_list,
  ...(r.card_level_conf.length === 0 ? {} : { card_level_conf: r.card_level_conf }),
  ...(r.card_action_list.length === 0 ? {} : { card_action_list: r.card_action_list }),
  ...(r.template_benefit_info.length === 0 ? {} : { template_benefit_info: r.template_benefit_info }),
  ...(r.shop_ids.length === 0 ? {} : { shop_ids: r.shop_ids })
}))

const decoded = <A, I>(schema: Schema.Schema<A, I, never>, wire: FastCheck.Arbitrary<Wire>): FastCheck.Arbitrary<A> =>
  wire.map((w) => Schema.decodeUnknownOption(schema)(w)).filter(Option.isSome).map((o) => o.value)

/**
 * A valid template.create request (schema and cross-field rules).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templateCreate: FastCheck.Arbitrary<Template.TemplateCreateRequest> = decoded(
  Template.TemplateCreateRequest,
  templateCreateWire
).filter((t) => TemplateValidation.templateCreateIssues(t).length === 0)

/**
 * A valid template.modify request for `template_id` (or a generated id). `field_rule_list` is left out (Alipay
 * ignores it on modify).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templateModify = (template_id?: string): FastCheck.Arbitrary<Template.TemplateModifyRequest> =>
  decoded(
    Template.TemplateModifyRequest,
    FastCheck.tuple(templateCreateWire, alnum(32, 32)).map(([wire, id]) => {
      const { card_type: _c, field_rule_list: _f, ...rest } = wire
      return { ...rest, template_id: template_id ?? id }
    })
  ).filter((t) => TemplateValidation.templateModifyIssues(t).length === 0)

const magic: Readonly<Record<string, ReadonlyArray<number>>> = {
  jpg: [0xff, 0xd8, 0xff, 0xe0],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  bmp: [0x42, 0x4d],
  mp4: [0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70]
}

/**
 * Bytes Alipay recognises as an image / video of `image_type` (the format's signature, then random bytes).
 *
 * @since 0.1.0
 * @category constructors
 */
export const imageBytes = (image_type: Image.ImageType): FastCheck.Arbitrary<Uint8Array> =>
  FastCheck.uint8Array({ minLength: 0, maxLength: 256 }).map((tail) =>
    Uint8Array.from([...(magic[image_type] ?? []), ...tail])
  )

/**
 * A valid image.upload request whose bytes match `image_type` (so the model accepts it).
 *
 * @since 0.1.0
 * @category constructors
 */
export const imageUpload: FastCheck.Arbitrary<Image.ImageUploadRequest> = Arbitrary.make(Image.ImageUploadFields).chain(
  (fields) =>
    imageBytes(fields.image_type).map((bytes): Image.ImageUploadRequest => ({ ...fields, image_content: { bytes } }))
)

type Requests = { readonly [N in AlipayModel.Name]: FastCheck.Arbitrary<AlipayModel.RequestOf<N>> }

/** The operations whose schema alone does not make a request the model accepts (cross-field rules, bytes). */
const crafted: Partial<Requests> = { templateCreate, templateModify: templateModify(), imageUpload }

/**
 * A valid request of every operation of the domain table: the crafted ones above (templates, images), every
 * other one derived from its request schema, so a new table row needs no edit here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const requests: Requests = Object.fromEntries(
  Operations.all.map((op) => [
    op.name,
    crafted[op.name] ?? Arbitrary.make(OperationSchemas.of(op).request as Schema.Schema<unknown, unknown, never>)
  ])
) as unknown as Requests

/**
 * A card.open `card_ext_info` carrying every field the field rules can read (valid values), so that any
 * generated template's rules evaluate.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fullCardExtInfo: FastCheck.Arbitrary<Wire> = FastCheck.record({
  external_card_no: alnum(1, 64),
  open_date: dateTime,
  valid_date: dateTime,
  level: alnum(1, 16),
  point: amount,
  balance: amount
})

/**
 * A request with exactly one broken field: the wire object, the path of the broken field, and whether the
 * schema (`"schema"`, rejected before sending) or a cross-field rule (`"rule"`, Alipay answers
 * `INVALID_PARAMETER`) catches it.
 *
 * @since 0.1.0
 * @category constructors
 */
export interface Invalid {
  readonly wire: Wire
  readonly field: string
  readonly kind: "schema" | "rule"
}

type Breaker = (wire: Wire) => Invalid

const breakersOfTemplate: ReadonlyArray<FastCheck.Arbitrary<Breaker>> = [
  FastCheck.constant((w: Wire) => ({ wire: { ...w, request_id: "" }, field: "request_id", kind: "schema" as const })),
  text(11, 20).map((name) => (w: Wire) => ({
    wire: { ...w, template_style_info: { ...(w.template_style_info as Wire), card_show_name: name } },
    field: "template_style_info.card_show_name",
    kind: "schema" as const
  })),
  FastCheck.constantFrom("7", "33", "x").map((len) => (w: Wire) => ({
    wire: { ...w, biz_no_suffix_len: len },
    field: "biz_no_suffix_len",
    kind: "schema" as const
  })),
  FastCheck.constantFrom("laser", "QRCODE").map((type) => (w: Wire) => ({
    wire: { ...w, write_off_type: type },
    field: "write_off_type",
    kind: "schema" as const
  })),
  FastCheck.constant((w: Wire) => ({
    wire: { ...w, card_type: "INNER_CARD" },
    field: "card_type",
    kind: "schema" as const
  })),
  FastCheck.constant((w: Wire) => {
    const { mdcode_notify_conf: _m, ...rest } = w
    return { wire: { ...rest, write_off_type: "mdqrcode" }, field: "mdcode_notify_conf", kind: "rule" as const }
  }),
  FastCheck.constant((w: Wire) => ({
    wire: {
      ...w,
      column_info_list: [{ code: "DUP", title: "a" }, { code: "DUP", title: "b" }]
    },
    field: "column_info_list",
    kind: "rule" as const
  })),
  FastCheck.constant((w: Wire) => ({
    wire: { ...w, field_rule_list: [{ field_name: "Point", rule_name: "DATE_IN_FUTURE", rule_value: "10d" }] },
    field: "field_rule_list",
    kind: "rule" as const
  }))
]

/**
 * An invalid template.create request naming its broken field.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidTemplateCreate: FastCheck.Arbitrary<Invalid> = FastCheck.tuple(
  templateCreateWire,
  FastCheck.oneof(...breakersOfTemplate)
).map(([wire, breaker]) => breaker(wire))

/**
 * A valid card.open request as a wire object for a template and an Alipay user id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const cardOpenWire = (template_id: string, user_id: string): FastCheck.Arbitrary<Wire> =>
  FastCheck.record({ out_serial_no: alnum(1, 64), card_ext_info: fullCardExtInfo }).map((r) => ({
    out_serial_no: r.out_serial_no,
    card_template_id: template_id,
    card_user_info: { user_uni_id_type: "UID", user_uni_id: user_id },
    card_ext_info: r.card_ext_info
  }))

/**
 * An invalid card.open request (schema-level) naming its broken field.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidCardOpen = (template_id: string, user_id: string): FastCheck.Arbitrary<Invalid> =>
  FastCheck.tuple(
    cardOpenWire(template_id, user_id),
    FastCheck.constantFrom(
      (w: Wire): Invalid => ({ wire: { ...w, out_serial_no: "x".repeat(65) }, field: "out_serial_no", kind: "schema" }),
      (w: Wire): Invalid => ({
        wire: { ...w, card_user_info: { user_uni_id_type: "UID", user_uni_id: "1234" } },
        field: "card_user_info.user_uni_id",
        kind: "schema"
      }),
      (w: Wire): Invalid => ({
        wire: { ...w, card_ext_info: { ...(w.card_ext_info as Wire), point: "-1" } },
        field: "card_ext_info.point",
        kind: "schema"
      }),
      (w: Wire): Invalid => ({
        wire: { ...w, card_ext_info: { ...(w.card_ext_info as Wire), external_card_no: "" } },
        field: "card_ext_info.external_card_no",
        kind: "schema"
      })
    )
  ).map(([wire, breaker]) => breaker(wire))
