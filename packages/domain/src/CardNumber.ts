/**
 * Business card numbers (`biz_card_no`, spec §6.1): `biz_no_prefix` + a suffix of `biz_no_suffix_len`
 * characters, the suffix being {@link RESERVED_DIGITS} followed by the per-template sequence, left-padded with `0`.
 * When the sequence outgrows its width the suffix simply gets longer (current SDK text), as long as the whole
 * number stays within `Limits.bizCardNoMax` (32) characters.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import * as Ids from "./Ids.js"
import * as Limits from "./Limits.js"
import type { Issue } from "./Validation.js"
import { InvalidInput } from "./Validation.js"

/**
 * The two system-reserved digits at the start of every suffix.
 *
 * UNCONFIRMED (spec §9.10): Alipay reserves 2 digits but never documents their values; the doc examples
 * (`000001`, `0000001`) start with zeros, so the fake uses `"00"`.
 *
 * @since 0.1.0
 * @category constants
 */
export const RESERVED_DIGITS = "00"

/**
 * Characters allowed in `biz_no_prefix`.
 *
 * UNCONFIRMED: Alipay gives no charset; card numbers are rendered as barcodes and typed by cashiers, so we allow
 * ASCII letters and digits only (the doc example is `prex`).
 *
 * @since 0.1.0
 * @category constants
 */
export const PREFIX_PATTERN = /^[A-Za-z0-9]*$/

/**
 * Structural input: the numbering part of a template (both create request and stored template fit).
 * `biz_no_suffix_len` travels as a numeric string (`"10"`); numbers are accepted too.
 *
 * @since 0.1.0
 * @category models
 */
export interface NumberingLike {
  readonly biz_no_prefix?: string | undefined
  readonly biz_no_suffix_len?: string | number | undefined
}

/**
 * A validated numbering scheme.
 *
 * @since 0.1.0
 * @category models
 */
export interface Numbering {
  readonly prefix: string
  readonly suffixLength: number
}

/**
 * The parts of a business card number.
 *
 * @since 0.1.0
 * @category models
 */
export interface ParsedCardNumber {
  readonly prefix: string
  readonly reserved: string
  readonly sequence: number
}

/**
 * `generate` could not produce a number: the sequence is not a positive safe integer, or prefix + reserved +
 * sequence would exceed `Limits.bizCardNoMax` characters.
 *
 * @since 0.1.0
 * @category errors
 */
export class SequenceExhausted extends Schema.TaggedError<SequenceExhausted>(
  "@membercard/domain/CardNumber/SequenceExhausted"
)("SequenceExhausted", {
  prefix: Schema.String,
  suffixLength: Schema.Number,
  sequence: Schema.Number,
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `cannot number card ${this.sequence} with prefix "${this.prefix}" and biz_no_suffix_len ${this.suffixLength}: ${this.reason}`
  }
}

/**
 * `parse` was given a number that this template could not have issued.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedCardNumber extends Schema.TaggedError<MalformedCardNumber>(
  "@membercard/domain/CardNumber/MalformedCardNumber"
)("MalformedCardNumber", { biz_card_no: Schema.String, reason: Schema.String }) {
  /** @since 0.1.0 */
  override get message(): string {
    return `biz_card_no "${this.biz_card_no}" ${this.reason}`
  }
}

const decodeBizCardNo = Schema.decodeEither(Ids.BizCardNo)

const suffixLenPattern = /^\d{1,2}$/

/**
 * Every problem of a numbering scheme, as issues under `basePath` (`""` for the request root):
 * prefix charset and length (`Limits.bizNoPrefixMax`), suffix length a number in
 * [`Limits.bizNoSuffixLenMin`, `Limits.bizNoSuffixLenMax`], and prefix + suffix ≤ `Limits.bizCardNoMax`.
 * A missing `biz_no_suffix_len` is reported only when `requireSuffixLength` is set.
 *
 * @since 0.1.0
 * @category validation
 */
export const numberingIssues = (
  input: NumberingLike,
  options: { readonly basePath?: string; readonly requireSuffixLength?: boolean } = {}
): Array<Issue> => {
  const at = (field: string) =>
    options.basePath === undefined || options.basePath === "" ? field : `${options.basePath}.${field}`
  const issues: Array<Issue> = []
  const prefix = input.biz_no_prefix ?? ""
  if (prefix.length > Limits.bizNoPrefixMax) {
    issues.push({
      path: at("biz_no_prefix"),
      message: `must be at most ${Limits.bizNoPrefixMax} characters (got ${prefix.length})`
    })
  }
  if (!PREFIX_PATTERN.test(prefix)) {
    issues.push({ path: at("biz_no_prefix"), message: "must contain only ASCII letters and digits" })
  }
  const raw = input.biz_no_suffix_len
  if (raw === undefined) {
    if (options.requireSuffixLength === true) issues.push({ path: at("biz_no_suffix_len"), message: "is required" })
    return issues
  }
  const text = String(raw)
  if (!suffixLenPattern.test(text)) {
    issues.push({ path: at("biz_no_suffix_len"), message: `must be a whole number of digits, got "${text}"` })
    return issues
  }
  const len = Number(text)
  if (len < Limits.bizNoSuffixLenMin || len > Limits.bizNoSuffixLenMax) {
    issues.push({
      path: at("biz_no_suffix_len"),
      message: `must be between ${Limits.bizNoSuffixLenMin} and ${Limits.bizNoSuffixLenMax} (got ${len})`
    })
  } else if (prefix.length + len > Limits.bizCardNoMax) {
    issues.push({
      path: at("biz_no_suffix_len"),
      message: `biz_no_prefix (${prefix.length}) + biz_no_suffix_len (${len}) must be at most ${Limits.bizCardNoMax}`
    })
  }
  return issues
}

/**
 * Validates a template's numbering; all problems at once as `InvalidInput`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateNumbering = (input: NumberingLike): Either.Either<Numbering, InvalidInput> => {
  const issues = numberingIssues(input, { requireSuffixLength: true })
  return issues.length > 0
    ? Either.left(new InvalidInput({ issues }))
    : Either.right({ prefix: input.biz_no_prefix ?? "", suffixLength: Number(input.biz_no_suffix_len) })
}

/**
 * Width of the zero-padded sequence part of the suffix.
 *
 * @since 0.1.0
 * @category utils
 */
export const sequenceWidth = (numbering: Numbering): number =>
  Math.max(numbering.suffixLength - RESERVED_DIGITS.length, 0)

/**
 * The number of sequence values that fit the suffix without growing it (`10^(len − 2) − 1`).
 *
 * @since 0.1.0
 * @category utils
 */
export const capacity = (numbering: Numbering): number => 10 ** sequenceWidth(numbering) - 1

/**
 * The card number for sequence `seq` (≥ 1): `prefix + RESERVED_DIGITS + zeroPad(seq, suffixLength − 2)`.
 * Exactly `prefix.length + suffixLength` characters while `seq ≤ capacity`; longer afterwards; a
 * {@link SequenceExhausted} error once the total would exceed `Limits.bizCardNoMax` or `seq` is not a positive
 * safe integer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (numbering: Numbering, seq: number): Either.Either<Ids.BizCardNo, SequenceExhausted> => {
  const fail = (reason: string) =>
    Either.left(
      new SequenceExhausted({ prefix: numbering.prefix, suffixLength: numbering.suffixLength, sequence: seq, reason })
    )
  if (!Number.isSafeInteger(seq) || seq < 1) return fail("the sequence must be a positive safe integer")
  const digits = String(seq).padStart(sequenceWidth(numbering), "0")
  const no = `${numbering.prefix}${RESERVED_DIGITS}${digits}`
  return no.length > Limits.bizCardNoMax
    ? fail(`the number would have ${no.length} characters, more than ${Limits.bizCardNoMax}`)
    : Either.mapLeft(decodeBizCardNo(no), (e) =>
      new SequenceExhausted({
        prefix: numbering.prefix,
        suffixLength: numbering.suffixLength,
        sequence: seq,
        reason: e.message
      }))
}

/**
 * Splits a card number issued under `numbering` into prefix, reserved digits and sequence. Fails when the
 * prefix or reserved digits differ, the suffix is shorter than `biz_no_suffix_len`, is not digits, or is not
 * the canonical rendering of its sequence. `parse(generate(n, s)) = s` for every successful `generate`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parse = (no: string, numbering: Numbering): Either.Either<ParsedCardNumber, MalformedCardNumber> => {
  const fail = (reason: string) => Either.left(new MalformedCardNumber({ biz_card_no: no, reason }))
  if (no.length > Limits.bizCardNoMax) return fail(`is longer than ${Limits.bizCardNoMax} characters`)
  if (!no.startsWith(numbering.prefix)) return fail(`does not start with the prefix "${numbering.prefix}"`)
  const suffix = no.slice(numbering.prefix.length)
  if (suffix.length < numbering.suffixLength) {
    return fail(`has a suffix of ${suffix.length} characters, expected ${numbering.suffixLength}`)
  }
  const reserved = suffix.slice(0, RESERVED_DIGITS.length)
  if (reserved !== RESERVED_DIGITS) return fail(`has reserved digits "${reserved}", expected "${RESERVED_DIGITS}"`)
  const digits = suffix.slice(RESERVED_DIGITS.length)
  if (!/^\d+$/.test(digits)) return fail("has a non-digit sequence")
  const sequence = Number(digits)
  if (!Number.isSafeInteger(sequence) || sequence < 1) return fail("has a sequence outside 1..2^53-1")
  if (String(sequence).padStart(sequenceWidth(numbering), "0") !== digits) {
    return fail("is not the canonical zero-padded rendering of its sequence")
  }
  return Either.right({ prefix: numbering.prefix, reserved, sequence })
}

/**
 * {@link validateNumbering} then {@link generate}, for callers holding the template fields.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generateFor = (
  template: NumberingLike,
  seq: number
): Either.Either<Ids.BizCardNo, InvalidInput | SequenceExhausted> =>
  Either.flatMap(validateNumbering(template), (n) => generate(n, seq))
