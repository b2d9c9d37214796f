/**
 * message.notify: a message pushed to a card holder.
 *
 * @internal
 */
import type * as Card from "@membercard/domain/Card"
import * as UpdateSemantics from "@membercard/domain/UpdateSemantics"
import { Either, Option } from "effect"
import type { MessageRecord } from "../../AlipayModel.js"
import { cardOf, fail, type Handler, ok, remember, replay } from "./handler.js"
import { append } from "./state.js"

export const messageNotify: Handler<"messageNotify"> = (request, env, state) => {
  const found = cardOf(state, env, request.target_card_no)
  if (Either.isLeft(UpdateSemantics.requireActive(request.target_card_no, found))) {
    return fail(env, "CARD_NOT_EXIT", "卡不存在")
  }
  const again = replay<Card.MessageNotifyResponse>(env, state, request.notify_no, request, "notify_no")
  if (Option.isSome(again)) return again.value
  const message: MessageRecord = {
    kind: "MessageNotify",
    biz_card_no: request.target_card_no,
    occur_time: request.occur_time,
    ...(request.notify_type === undefined ? {} : { notify_type: request.notify_type }),
    ...(request.notify_info === undefined ? {} : { notify_info: request.notify_info })
  }
  const s1 = { ...state, messages: append(state.messages, message) }
  return ok({}, remember(env, s1, request.notify_no, request, {}))
}
