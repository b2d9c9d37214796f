import * as Operations from "@membercard/domain/Operations"
import * as OperationSchemas from "@membercard/domain/OperationSchemas"
import { Arbitrary, type Effect, FastCheck, Redacted, type Schema } from "effect"
import type * as MemberCards from "../src/MemberCards.js"

const operations = Operations.byName

export type Name = MemberCards.OperationName
export const names = Object.keys(operations) as Array<Name>

export const USER_TOKEN = "authusrB7c1e2d3f4a5b6c7d8e9f00112233"
export const APP_AUTH_TOKEN = "202511BB5f0e8d7c6b5a4d3c2b1a0f9e8d7c6X"

/** One valid request per operation (from the domain's request schemas). */
export const sampleRequest = (name: Name): unknown =>
  FastCheck.sample(
    Arbitrary.make(OperationSchemas.of(operations[name]).request as unknown as Schema.Schema<unknown, unknown, never>),
    { numRuns: 1, seed: 3 }
  )[0]

type AnyMethod = (
  request: unknown,
  token?: Redacted.Redacted<string>
) => Effect.Effect<unknown, { readonly _tag: string }>

/** Calls a method by name with a sample request (and the user token where the method takes one). */
export const callByName = (
  cards: MemberCards.MemberCards.Service,
  name: Name,
  request: unknown = sampleRequest(name)
) => (cards[name] as unknown as AnyMethod)(request, Redacted.make(USER_TOKEN))

/** Success body fields that decode with each operation's response schema. */
export const successFields = (name: Name): Record<string, unknown> =>
  name === "templateCreate" || name === "templateModify" ? { template_id: "20170308000000000058101000300045" } : {}
