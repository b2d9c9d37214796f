/**
 * The gateway as one namespace barrel, for convenience: importing it loads every module of the package (the
 * outbound client and the inbound notification / SPI handlers with their stores and the platform's server
 * modules). The fast path, and the one to use in a program that only calls Alipay, is the deep imports:
 * `@membercard/gateway/MemberCards`, `@membercard/gateway/AlipayClient`, `@membercard/gateway/AlipayConfig`
 * (and `@membercard/gateway/Notifications` / `@membercard/gateway/OpenCardSpi` where the inbound handlers are
 * served): only the modules a call needs are then on the import path, and the handlers load with the module that
 * serves them (`bench/cold.ts` measures both paths).
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
