/**
 * Typed errors of the signing package. None of them ever carries key bytes, tokens or plaintext secrets.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Key text could not be turned into a key, or a key of the wrong kind was given.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidKeyMaterial extends Schema.TaggedError<InvalidKeyMaterial>()("InvalidKeyMaterial", {
  reason: Schema.String,
  hint: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.reason}. ${this.hint}`
  }
}

/**
 * A certificate (or certificate bundle) could not be read.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCertificate extends Schema.TaggedError<InvalidCertificate>()("InvalidCertificate", {
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid certificate: ${this.reason}`
  }
}

/**
 * The AES content-encryption key is not base64 of 16, 24 or 32 bytes.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAesKey extends Schema.TaggedError<InvalidAesKey>()("InvalidAesKey", {
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid AES key: ${this.reason}. Use the console's 接口内容加密密钥 (base64 of 16 bytes).`
  }
}

/**
 * Signed content came without a signature.
 *
 * @since 0.1.0
 * @category errors
 */
export class SignatureMissing extends Schema.TaggedError<SignatureMissing>()("SignatureMissing", {
  what: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Signature missing: ${this.what}`
  }
}

/**
 * The signature does not verify with the given public key.
 *
 * @since 0.1.0
 * @category errors
 */
export class SignatureInvalid extends Schema.TaggedError<SignatureInvalid>()("SignatureInvalid", {
  what: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Signature invalid: ${this.what}. Check that you verify with the Alipay public key (not the app public key) and the configured sign_type.`
  }
}

/**
 * A v2 response body is not the expected JSON shape.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>()("MalformedResponse", {
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Malformed response: ${this.reason}`
  }
}

/**
 * The response node key occurs more than once at the top level (possible forgery).
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateResponseKey extends Schema.TaggedError<DuplicateResponseKey>()("DuplicateResponseKey", {
  key: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `The response key "${this.key}" occurs more than once; the response is rejected`
  }
}

/**
 * Decryption failed (wrong key, bad padding, not base64, not UTF-8).
 *
 * @since 0.1.0
 * @category errors
 */
export class DecryptionFailed extends Schema.TaggedError<DecryptionFailed>()("DecryptionFailed", {
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Decryption failed: ${this.reason}. Check the AES key (接口内容加密密钥).`
  }
}

/**
 * A v3 response lacks a required signature header.
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingHeader extends Schema.TaggedError<MissingHeader>()("MissingHeader", {
  header: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Missing response header ${this.header}; check that the endpoint is a /v3 URL, not gateway.do`
  }
}

/**
 * The Alipay certificate SN in a response differs from the configured Alipay certificate.
 *
 * @since 0.1.0
 * @category errors
 */
export class CertSnMismatch extends Schema.TaggedError<CertSnMismatch>()("CertSnMismatch", {
  expected: Schema.String,
  actual: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Alipay certificate SN mismatch: expected ${this.expected}, got ${this.actual}; Alipay may have rotated its certificate (download it with alipay.open.app.alipaycert.download)`
  }
}

/**
 * A notification names a charset we cannot decode or encode.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedCharset extends Schema.TaggedError<UnsupportedCharset>()("UnsupportedCharset", {
  charset: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Unsupported charset "${this.charset}"; supported: utf-8, gbk, gb2312, gb18030`
  }
}

/**
 * A notification form body could not be decoded.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedNotification extends Schema.TaggedError<MalformedNotification>()("MalformedNotification", {
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Malformed notification: ${this.reason}`
  }
}

/**
 * The crypto backend failed to sign.
 *
 * @since 0.1.0
 * @category errors
 */
export class SigningFailed extends Schema.TaggedError<SigningFailed>()("SigningFailed", {
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Signing failed: ${this.reason}`
  }
}
