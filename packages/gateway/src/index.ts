/**
 * The gateway as one namespace barrel, for convenience: importing it loads the outbound client's modules and the
 * public inbound modules (types, errors, store tags, small helpers); the inbound handlers' implementation (the
 * notification / SPI / callback pipelines, signing's notify and SPI verification, the platform's server modules)
 * loads on first use, or when a `NotificationStore` / `SpiAnswerStore` is built. The deep imports
 * (`@membercard/gateway/MemberCards`, `@membercard/gateway/AlipayClient`, `@membercard/gateway/AlipayConfig`)
 * load only what a call needs (`bench/cold.ts` measures both paths).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as AlipayClient from "./AlipayClient.js"

/**
 * @since 0.1.0
 */
export * as AlipayConfig from "./AlipayConfig.js"

/**
 * @since 0.1.0
 */
export * as AlipayError from "./AlipayError.js"

/**
 * @since 0.1.0
 */
export * as MemberCards from "./MemberCards.js"

/**
 * @since 0.1.0
 */
export * as InboundLimits from "./InboundLimits.js"

/**
 * @since 0.1.0
 */
export * as NotificationStore from "./NotificationStore.js"

/**
 * @since 0.1.0
 */
export * as SpiAnswerStore from "./SpiAnswerStore.js"

/**
 * @since 0.1.0
 */
export * as StoreError from "./StoreError.js"

/**
 * @since 0.1.0
 */
export * as Notifications from "./Notifications.js"

/**
 * @since 0.1.0
 */
export * as OpenCardSpi from "./OpenCardSpi.js"

/**
 * @since 0.1.0
 */
export * as OpenCardCallback from "./OpenCardCallback.js"
