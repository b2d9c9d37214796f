/**
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Aes from "./Aes.js"
/**
 * @since 0.1.0
 */
export * as Cert from "./Cert.js"
/**
 * @since 0.1.0
 */
export * as Keys from "./Keys.js"
/**
 * @since 0.1.0
 */
export * as Notify from "./Notify.js"
/**
 * @since 0.1.0
 */
export * as Signer from "./Signer.js"
/**
 * @since 0.1.0
 */
export * as SigningError from "./SigningError.js"
/**
 * @since 0.1.0
 */
export * as Spi from "./Spi.js"
/**
 * @since 0.1.0
 */
export * as V2 from "./V2.js"
/**
 * @since 0.1.0
 */
export * as V2Response from "./V2Response.js"
/**
 * @since 0.1.0
 */
export * as V3 from "./V3.js"
/**
 * @since 0.1.0
 */
export * as WebCryptoSigner from "./WebCryptoSigner.js"
