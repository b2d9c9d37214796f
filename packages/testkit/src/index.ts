/**
 * @since 0.1.0
 */
export {}

/**
 * The model of Alipay's member card service (state, rules, control hooks).
 *
 * @since 0.1.0
 */
export * as AlipayModel from "./AlipayModel.js"

/**
 * The fake `MemberCards` layer and its `Control` service.
 *
 * @since 0.1.0
 */
export * as MemberCardsTest from "./MemberCardsTest.js"

/**
 * Setting the test clock to a Beijing time.
 *
 * @since 0.1.0
 */
export * as TestNow from "./TestNow.js"

/**
 * The wire emulator: the model behind a real HTTP server speaking Alipay's v2 and v3 protocols.
 *
 * @since 0.1.0
 */
export * as Emulator from "./Emulator.js"

/**
 * RSA key pairs generated at test time, and a gateway configuration for them.
 *
 * @since 0.1.0
 */
export * as TestKeys from "./TestKeys.js"

/**
 * Arbitraries of valid (and named-invalid) requests for property tests.
 *
 * @since 0.1.0
 */
export * as Arbitraries from "./Arbitraries.js"
