import * as Limits from "../Limits.js"

/**
 * The messages of the card rules: owned here so that `Card` can use them without loading `TemplateValidation`
 * (and its `FieldRules`/`CardNumber` imports) on a cold import; `TemplateValidation.cardRuleMessages` is this.
 */
export const cardRuleMessages = {
  frontTextListMax: `must have at most ${Limits.frontTextListMax} items (card-face text lines)`,
  mdcodeRequiredWhenSuccess: "is required when code_status is SUCCESS"
} as const
