/**
 * The model's state: a fresh state, in-place updates, copies for readers.
 *
 * The state's collections are updated in place (inside one atomic `Ref.modify`, only once every check of an
 * operation has passed), so that an operation costs O(1) whatever the number of cards and a read copies
 * nothing; `snapshot` (what `AlipayModel.state` hands out) copies.
 *
 * @internal
 */
import type { CardRecord, ModelState } from "../../AlipayModel.js"

export const freshState = (): ModelState => ({
  counter: 0,
  appTokens: new Map(),
  users: new Map(),
  tokens: new Map(),
  templates: new Map(),
  cards: new Map(),
  cardsByUser: new Map(),
  forms: new Map(),
  activateUrls: [],
  submissions: new Map(),
  images: new Map(),
  messages: [],
  dynamicCodes: new Map(),
  idempotency: new Map(),
  outbox: [],
  mdcodeOutbox: [],
  pendingDeliveries: [],
  shops: new Map(),
  authCodes: new Map(),
  accessTokens: new Map(),
  refreshTokens: new Map(),
  spiCalls: [],
  n1Deliveries: []
})

export const setIn = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  map instanceof Map ? map.set(key, value) : new Map(map).set(key, value)

export const append = <T>(list: ReadonlyArray<T>, item: T): ReadonlyArray<T> => {
  ;(list as Array<T>).push(item)
  return list
}

export const snapshot = (state: ModelState): ModelState => ({
  ...state,
  appTokens: new Map(state.appTokens),
  users: new Map(state.users),
  tokens: new Map(state.tokens),
  templates: new Map(state.templates),
  cards: new Map(state.cards),
  cardsByUser: new Map(state.cardsByUser),
  forms: new Map(state.forms),
  activateUrls: [...state.activateUrls],
  submissions: new Map(state.submissions),
  images: new Map(state.images),
  messages: [...state.messages],
  dynamicCodes: new Map(state.dynamicCodes),
  idempotency: new Map(state.idempotency),
  outbox: [...state.outbox],
  mdcodeOutbox: [...state.mdcodeOutbox],
  pendingDeliveries: [...state.pendingDeliveries],
  shops: new Map(state.shops),
  authCodes: new Map(state.authCodes),
  accessTokens: new Map(state.accessTokens),
  refreshTokens: new Map(state.refreshTokens),
  spiCalls: [...state.spiCalls],
  n1Deliveries: [...state.n1Deliveries]
})

export const cardsOfUser = (state: ModelState, user: string): Array<CardRecord> =>
  (state.cardsByUser.get(user) ?? []).flatMap((no) => {
    const card = state.cards.get(no)
    return card === undefined ? [] : [card]
  })

export const nextCounter = (
  state: ModelState
): [number, ModelState] => [state.counter + 1, { ...state, counter: state.counter + 1 }]
