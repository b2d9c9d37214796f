/**
 * `alipay.offline.material.image.upload` (spec §4.12): upload an image or video, get an `image_id` for
 * `logo_id`, `background_id`, `front_image_id`, …
 *
 * On the wire the non-file fields are top-level form fields (v2) or the JSON part `data` (v3); the file is the
 * multipart part `image_content`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Ids from "./Ids.js"
import { contentTypeFor, imageTypes, isVideo } from "./ImageFormat.js"
import * as Validation from "./Validation.js"

export { contentTypeFor, imageTypes, isVideo } from "./ImageFormat.js"

/** An optional key of a received object: absent, or `null` (read as absent). */
const optionalReceived = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true, nullable: true })

/** An optional key that may be absent but not `undefined` (clean issues, `exactOptionalPropertyTypes`). */
const optionalExact = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * Maximum image size: 5 MB (5242880 bytes, documented max of `image_content`).
 *
 * @since 0.1.0
 * @category constants
 */
export const imageMaxBytes = 5242880

/**
 * Maximum video size: 50 MB.
 *
 * UNCONFIRMED: only the English doc says videos may be ≤ 50 MB; the Chinese field table says 5242880 for
 * `image_content`. We accept 50 MB for `mp4` so that a valid upload is not refused here.
 *
 * @since 0.1.0
 * @category constants
 */
export const videoMaxBytes = 52428800

/**
 * Product rules enforced by the template APIs (not by upload): logo ≤ 1 MB (square, ≥ 500×500).
 *
 * @since 0.1.0
 * @category constants
 */
export const logoMaxBytes = 1048576

/**
 * Product rule: card background ≤ 2 MB (≥ 1020×643).
 *
 * @since 0.1.0
 * @category constants
 */
export const backgroundMaxBytes = 2097152

/**
 * Product rule: card-face personal photo (`front_image_id`) ≤ 1 MB, 230×295 px.
 *
 * @since 0.1.0
 * @category constants
 */
export const frontImageMaxBytes = 1048576

/**
 * Max length of `image_type` (8), `image_name` (128), `image_pid` (16).
 *
 * @since 0.1.0
 * @category constants
 */
export const fieldMax = { image_type: 8, image_name: 128, image_pid: 16 } as const

/**
 * `image_type`: the file format.
 *
 * @since 0.1.0
 * @category models
 */
export const ImageType = Validation.literals(...imageTypes)

/**
 * @since 0.1.0
 * @category models
 */
export type ImageType = typeof ImageType.Type

/**
 * Size limit in bytes for a type.
 *
 * @since 0.1.0
 * @category utils
 */
export const maxBytesFor = (type: ImageType): number => isVideo(type) ? videoMaxBytes : imageMaxBytes

const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>, offset = 0): boolean =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b)

/**
 * Detects the format from the file's magic bytes (`jpg` for JPEG). `undefined` when unknown. Useful for a fake
 * answering `UNKNOWN_FORMAT`; Alipay's own detection is not documented.
 *
 * @since 0.1.0
 * @category utils
 */
export const detectFormat = (bytes: Uint8Array): "jpg" | "png" | "gif" | "bmp" | "mp4" | undefined => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpg"
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png"
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "gif"
  if (startsWith(bytes, [0x42, 0x4d])) return "bmp"
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return "mp4"
  return undefined
}

/**
 * The file of an upload (`image_content`): the bytes, and the file name and content type used for the
 * multipart part (not documented by Alipay; defaults: `image_name` + `.` + `image_type`, `contentTypeFor`).
 *
 * @since 0.1.0
 * @category models
 */
export const ImageContent = Schema.Struct({
  /** The binary content; not empty. */
  bytes: Schema.Uint8ArrayFromSelf.pipe(
    Schema.filter((b) => b.length > 0, { message: () => "must not be empty" }),
    Schema.annotations({ arbitrary: () => (fc) => fc.uint8Array({ minLength: 1, maxLength: 64 }) })
  ),
  /** File name of the multipart part. */
  file_name: optionalExact(Validation.nonEmptyString(256)),
  /** Content type of the multipart part. */
  content_type: optionalExact(Validation.nonEmptyString(128))
}).annotations({ identifier: "ImageContent" })

/**
 * @since 0.1.0
 * @category models
 */
export type ImageContent = typeof ImageContent.Type

/**
 * The non-file fields of the upload (`data` JSON part in v3, form fields in v2).
 *
 * @since 0.1.0
 * @category models
 */
export const ImageUploadFields = Schema.Struct({
  /** Y, 8. Format, e.g. `jpg` or `mp4`. */
  image_type: ImageType,
  /** Y, 128. Name, e.g. `海底捞`. */
  image_name: Validation.nonEmptyString(fieldMax.image_name),
  /** N, 16. Owner partner id; Alipay internal, merchants leave it empty. */
  image_pid: optionalExact(Validation.boundedString(fieldMax.image_pid))
}).annotations({ identifier: "ImageUploadFields" })

/**
 * @since 0.1.0
 * @category models
 */
export type ImageUploadFields = typeof ImageUploadFields.Type

/**
 * Request of image.upload: the non-file fields plus `image_content`. Images ≤ 5 MB (`imageMaxBytes`),
 * videos ≤ 50 MB (`videoMaxBytes`, UNCONFIRMED).
 *
 * @since 0.1.0
 * @category models
 */
export const ImageUploadRequest = Schema.Struct({
  ...ImageUploadFields.fields,
  /** Y, 5242880 bytes. The file. */
  image_content: ImageContent
}).pipe(
  Schema.filter((req) => {
    const max = maxBytesFor(req.image_type)
    return req.image_content.bytes.length > max
      ? { path: ["image_content", "bytes"], message: `must be at most ${max} bytes` }
      : undefined
  })
).annotations({ identifier: "ImageUploadRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type ImageUploadRequest = typeof ImageUploadRequest.Type

/**
 * Splits a request into the JSON fields and the file part (name `image_content`) with defaulted file name
 * and content type.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toParts = (request: ImageUploadRequest): {
  readonly fields: ImageUploadFields
  readonly file: {
    readonly name: "image_content"
    readonly bytes: Uint8Array
    readonly fileName: string
    readonly contentType: string
  }
} => {
  const { image_content, ...fields } = request
  return {
    fields,
    file: {
      name: "image_content",
      bytes: image_content.bytes,
      fileName: image_content.file_name ?? `${request.image_name}.${request.image_type}`,
      contentType: image_content.content_type ?? contentTypeFor(request.image_type)
    }
  }
}

/**
 * Response of image.upload: `image_id` (32 characters in every example) and `image_url` (≤ 512; open only
 * in a new page, anti-hotlinking).
 *
 * @since 0.1.0
 * @category models
 */
export const ImageUploadResponse = Schema.Struct({
  image_id: optionalReceived(Ids.ReceivedImageId),
  image_url: optionalReceived(Schema.String)
}).annotations({ identifier: "ImageUploadResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type ImageUploadResponse = typeof ImageUploadResponse.Type
