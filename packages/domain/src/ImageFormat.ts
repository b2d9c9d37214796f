/**
 * The file formats `image.upload` takes and their media types, as plain data: no schema, so that the gateway's
 * multipart encoder reads them without loading the image schemas. `Image` re-exports all of it.
 *
 * @since 0.1.0
 */

/**
 * Image formats used by this product, plus `mp4` (the doc's video example).
 *
 * UNCONFIRMED: the complete list Alipay accepts; the doc names "jpg or mp4" and the member card product uses
 * bmp, png, jpeg, jpg, gif.
 *
 * @since 0.1.0
 * @category constants
 */
export const imageTypes = ["bmp", "png", "jpeg", "jpg", "gif", "mp4"] as const

/**
 * A file format of {@link imageTypes} (the type of `Image.ImageType`).
 *
 * @since 0.1.0
 * @category models
 */
export type ImageFormat = (typeof imageTypes)[number]

/**
 * Is the type a video (larger size limit)?
 *
 * @since 0.1.0
 * @category guards
 */
export const isVideo = (type: ImageFormat): boolean => type === "mp4"

/**
 * MIME content type for the multipart file part.
 *
 * @since 0.1.0
 * @category utils
 */
export const contentTypeFor = (type: ImageFormat): string => {
  switch (type) {
    case "bmp":
      return "image/bmp"
    case "png":
      return "image/png"
    case "jpeg":
    case "jpg":
      return "image/jpeg"
    case "gif":
      return "image/gif"
    case "mp4":
      return "video/mp4"
  }
}
