/**
 * image.upload: the images templates refer to (logo, background, front image).
 *
 * @internal
 */
import * as Image from "@membercard/domain/Image"
import { Either } from "effect"
import type { ImageRecord } from "../../AlipayModel.js"
import { pad } from "../util.js"
import { decodeWith, fail, type Handler } from "./handler.js"
import { nextCounter, setIn } from "./state.js"

export const imageUpload: Handler<"imageUpload"> = (request, env, state) => {
  const bytes = request.image_content.bytes
  const detected = Image.detectFormat(bytes)
  // UNCONFIRMED: Alipay's content detection is not documented; bytes of no known format are INVALID_FILE_BYTES,
  // bytes of another format than image_type are UNKNOWN_FORMAT.
  if (detected === undefined) return fail(env, "INVALID_FILE_BYTES")
  const declared = request.image_type === "jpeg" ? "jpg" : request.image_type
  if (detected !== declared) return fail(env, "UNKNOWN_FORMAT")
  const [n, s1] = nextCounter(state)
  const image_id = `MCIMG${pad(n, 27)}`
  const image_url = `https://oalipay-dl-django.alicdn.com/rest/1.0/image?fileIds=${image_id}&zoom=original`
  const record: ImageRecord = {
    image_id,
    image_url,
    image_type: request.image_type,
    image_name: request.image_name,
    size: bytes.length,
    bytes
  }
  return Either.map(decodeWith(env, Image.ImageUploadResponse, { image_id, image_url }), (response) => ({
    value: response,
    state: { ...s1, images: setIn(s1.images, image_id, record) }
  }))
}
