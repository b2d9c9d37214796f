import * as ImageFormat from "@membercard/domain/ImageFormat"
import { isRecord, str } from "./wire.js"

/** @internal */
export interface FilePart {
  readonly name: string
  readonly bytes: Uint8Array
  readonly filename: string
  readonly type: string
}

const imageTypes: ReadonlyArray<ImageFormat.ImageFormat> = ImageFormat.imageTypes

const isFile = (u: unknown): u is Uint8Array | { readonly bytes: Uint8Array } =>
  u instanceof Uint8Array || (isRecord(u) && u["bytes"] instanceof Uint8Array)

/**
 * Splits an encoded request into its plain fields and its file parts.
 *
 * @internal
 */
export const splitFiles = (wire: Readonly<Record<string, unknown>>): {
  readonly fields: Record<string, unknown>
  readonly files: ReadonlyArray<FilePart>
} => {
  const fields: Record<string, unknown> = {}
  const files: Array<FilePart> = []
  for (const key of Object.keys(wire)) {
    const value = wire[key]
    if (value === undefined) continue
    if (isFile(value)) {
      const bytes = value instanceof Uint8Array ? value : value.bytes
      const meta: Readonly<Record<string, unknown>> = value instanceof Uint8Array ? {} : value
      // Defaults as the domain's `Image.toParts`: `<image_name>.<image_type>` and the type's media type.
      const ext = str(wire["image_type"])
      const known = imageTypes.find((t) => t === ext)
      files.push({
        name: key,
        bytes,
        filename: str(meta["file_name"]) ?? `${str(wire["image_name"]) ?? key}.${ext ?? "bin"}`,
        type: str(meta["content_type"]) ??
          (known === undefined ? "application/octet-stream" : ImageFormat.contentTypeFor(known))
      })
    } else {
      fields[key] = value
    }
  }
  return { fields, files }
}

/**
 * A multipart body: text parts (optionally typed, e.g. v3's `data` part as `application/json`) then file parts.
 *
 * @internal
 */
export const toFormData = (
  parts: ReadonlyArray<{ readonly name: string; readonly value: string; readonly type?: string }>,
  files: ReadonlyArray<FilePart>
): FormData => {
  const form = new FormData()
  for (const part of parts) {
    if (part.type === undefined) form.append(part.name, part.value)
    else form.append(part.name, new Blob([part.value], { type: part.type }))
  }
  for (const file of files) {
    form.append(file.name, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.filename)
  }
  return form
}
