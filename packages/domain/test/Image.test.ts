import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import * as Image from "../src/Image.js"
import * as Validation from "../src/Validation.js"

const issues = (input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(Image.ImageUploadRequest)(input), { onLeft: (e) => e.issues, onRight: () => [] })

const expectIssue = (input: unknown, path: string, message: string) => {
  const found = issues(input)
  expect(found.some((i) => i.path === path && i.message.includes(message)), JSON.stringify(found)).toBe(true)
}

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])
const example = {
  image_type: "jpg",
  image_name: "海底捞",
  image_pid: "2088021822217233",
  image_content: { bytes: jpeg }
}

describe("Image: request", () => {
  it("§4.12 example validates", () => {
    expect(issues(example)).toEqual([])
  })

  it("image_type is a known format (≤ 8)", () => {
    for (const t of Image.imageTypes) expect(issues({ ...example, image_type: t })).toEqual([])
    expectIssue({ ...example, image_type: "tiff" }, "image_type", "jpg")
    expectIssue({ ...example, image_type: "JPG" }, "image_type", "jpg")
  })

  it("image_name [1,128]", () => {
    expect(issues({ ...example, image_name: "n".repeat(128) })).toEqual([])
    expectIssue({ ...example, image_name: "n".repeat(129) }, "image_name", "128")
    expectIssue({ ...example, image_name: "" }, "image_name", "empty")
  })

  it("image_pid ≤ 16", () => {
    expect(issues({ ...example, image_pid: "2".repeat(16) })).toEqual([])
    expectIssue({ ...example, image_pid: "2".repeat(17) }, "image_pid", "16")
  })

  it("images ≤ 5 MB (5242880 bytes)", () => {
    expect(Image.imageMaxBytes).toBe(5242880)
    expect(issues({ ...example, image_content: { bytes: new Uint8Array(Image.imageMaxBytes) } })).toEqual([])
    expectIssue(
      { ...example, image_content: { bytes: new Uint8Array(Image.imageMaxBytes + 1) } },
      "image_content.bytes",
      "at most 5242880 bytes"
    )
  })

  it("videos (mp4) ≤ 50 MB", () => {
    const big = new Uint8Array(Image.imageMaxBytes + 1)
    expect(issues({ ...example, image_type: "mp4", image_content: { bytes: big } })).toEqual([])
    expectIssue(
      { ...example, image_type: "mp4", image_content: { bytes: new Uint8Array(Image.videoMaxBytes + 1) } },
      "image_content.bytes",
      `at most ${Image.videoMaxBytes} bytes`
    )
  })

  it("the file is required and not empty", () => {
    const { image_content: _, ...noFile } = example
    expect(issues(noFile).map((i) => i.path)).toContain("image_content")
    expectIssue({ ...example, image_content: { bytes: new Uint8Array(0) } }, "image_content.bytes", "empty")
    expect(issues({ ...example, image_content: { bytes: [1, 2, 3] } }).map((i) => i.path)).toContain(
      "image_content.bytes"
    )
  })

  it("toParts defaults the file name and content type", () => {
    const req = Either.getOrThrow(Validation.validate(Image.ImageUploadRequest)(example))
    const parts = Image.toParts(req)
    expect(parts.fields).toEqual({ image_type: "jpg", image_name: "海底捞", image_pid: "2088021822217233" })
    expect(parts.file).toEqual({
      name: "image_content",
      bytes: jpeg,
      fileName: "海底捞.jpg",
      contentType: "image/jpeg"
    })
    const named = Either.getOrThrow(
      Validation.validate(Image.ImageUploadRequest)({
        ...example,
        image_type: "png",
        image_content: { bytes: jpeg, file_name: "a.png", content_type: "image/x-png" }
      })
    )
    expect(Image.toParts(named).file.fileName).toBe("a.png")
    expect(Image.toParts(named).file.contentType).toBe("image/x-png")
  })

  it("content types", () => {
    expect(Image.contentTypeFor("jpeg")).toBe("image/jpeg")
    expect(Image.contentTypeFor("png")).toBe("image/png")
    expect(Image.contentTypeFor("gif")).toBe("image/gif")
    expect(Image.contentTypeFor("bmp")).toBe("image/bmp")
    expect(Image.contentTypeFor("mp4")).toBe("video/mp4")
  })

  it("detectFormat reads magic bytes", () => {
    expect(Image.detectFormat(jpeg)).toBe("jpg")
    expect(Image.detectFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("png")
    expect(Image.detectFormat(new TextEncoder().encode("GIF89a"))).toBe("gif")
    expect(Image.detectFormat(new TextEncoder().encode("BM...."))).toBe("bmp")
    expect(Image.detectFormat(new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d]))).toBe("mp4")
    expect(Image.detectFormat(new Uint8Array([1, 2, 3]))).toBeUndefined()
    expect(Image.detectFormat(new Uint8Array([]))).toBeUndefined()
  })
})

describe("Image: response", () => {
  it("§4.12 response example decodes, tolerant of extra fields and long ids", () => {
    const res = Either.getOrThrow(
      Validation.decodeReceived(Image.ImageUploadResponse)({
        image_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
        image_url: "http://oalipay-dl-django.alicdn.com/rest/1.0/image?fileIds=1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
        extra: 1
      })
    )
    expect(res.image_id).toBe("1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC")
    expect(
      Either.isRight(Validation.decodeReceived(Image.ImageUploadResponse)({ image_id: "x".repeat(100) }))
    ).toBe(true)
  })
})

describe("Image: round trips", () => {
  it.prop("ImageUploadRequest", [Arbitrary.make(Image.ImageUploadRequest)], ([req]) => {
    const encoded = Schema.encodeSync(Image.ImageUploadRequest)(req)
    expect(Either.getOrThrow(Validation.validate(Image.ImageUploadRequest)(encoded))).toEqual(req)
  })
  it.prop("ImageUploadResponse", [Arbitrary.make(Image.ImageUploadResponse)], ([res]) => {
    expect(Schema.decodeUnknownSync(Image.ImageUploadResponse)(Schema.encodeSync(Image.ImageUploadResponse)(res)))
      .toEqual(res)
  })
  it.prop("size limit holds for any length around it", [
    FastCheck.constantFrom(...Image.imageTypes),
    FastCheck.integer({ min: -3, max: 3 })
  ], ([type, delta]) => {
    const size = Image.maxBytesFor(type) + delta
    const ok = issues({ ...example, image_type: type, image_content: { bytes: new Uint8Array(size) } }).length === 0
    expect(ok).toBe(size <= Image.maxBytesFor(type))
  }, { fastCheck: { numRuns: 20 } })
})
