/**
 * Reading the shared vector files: a file as JSON, and typed access to its fields (a field of the wrong kind fails
 * the test that reads it), plus the vectors' PEM keys.
 */
import { expect } from "@effect/vitest"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Aes from "../../src/Aes.js"
import * as Keys from "../../src/Keys.js"
import * as V3 from "../../src/V3.js"
import { vectorsDir } from "./VectorsDir.js"

/** A JSON object of a vector file. */
export type Json = Record<string, unknown>

/** One vector file (path relative to the vectors directory), parsed. */
export const read = (file: string): Json => JSON.parse(fs.readFileSync(path.join(vectorsDir, file), "utf8")) as Json

/** The string field `k` of `o`; fails the test when it is not a string. */
export const s = (o: unknown, k: string): string => {
  const v = (o as Json)[k]
  if (typeof v !== "string") expect.fail(`field ${k} is not a string`)
  return v
}

/** The array field `k` of `o`; fails the test when it is not an array. */
export const arr = (o: unknown, k: string): Array<Json> => {
  const v = (o as Json)[k]
  if (!Array.isArray(v)) expect.fail(`field ${k} is not an array`)
  return v as Array<Json>
}

/** The object field `k` of `o`. */
export const obj = (o: unknown, k: string): Json => (o as Json)[k] as Json

/** A private key of the vectors (a PEM that must parse). */
export const priv = (text: string): Keys.PrivateKey => Either.getOrThrow(Keys.parsePrivateKey(text))

/** A public key of the vectors (a PEM that must parse). */
export const pub = (text: string): Keys.PublicKey => Either.getOrThrow(Keys.parsePublicKey(text))

/** The four keys of a vector file's `keys` group: the app's and Alipay's key pairs. */
export const keysOf = (data: Json) => {
  const keys = obj(data, "keys")
  return {
    app: priv(s(obj(keys, "app"), "private_key_pkcs1_pem")),
    appPub: pub(s(obj(keys, "app"), "public_key_spki_pem")),
    alipay: priv(s(obj(keys, "alipay"), "private_key_pkcs1_pem")),
    alipayPub: pub(s(obj(keys, "alipay"), "public_key_spki_pem"))
  }
}

/** A string input of a v3 request case, `undefined` where the case gives `null`. */
export const v3Input = (c: Json, k: string): string | undefined => {
  const inputs = obj(c, "inputs")
  return inputs[k] === null ? undefined : s(inputs, k)
}

/**
 * The body a v3 request case sends: its multipart fields, its JSON object or nothing, AES-encrypted when the case
 * has an `aes` key.
 */
export const v3Body = (c: Json): string => {
  const inputs = obj(c, "inputs")
  const fields = inputs["multipart_fields"] as Record<string, unknown> | null
  const bodyObject = inputs["body_object"]
  const aes = obj(c, "aes")
  const plain = fields !== null ? V3.multipartData(fields) : bodyObject === null ? "" : JSON.stringify(bodyObject)
  return aes === undefined ? plain : Aes.encrypt(plain, Either.getOrThrow(Aes.parseAesKey(s(aes, "key_base64"))))
}

/** The `V3.signRequest` options of a v3 request case, signing `body` with `privateKey`. */
export const v3SignOptions = (c: Json, privateKey: Keys.PrivateKey, body: string): V3.SignRequestOptions => {
  const inputs = obj(c, "inputs")
  return {
    appId: s(inputs, "app_id"),
    privateKey,
    method: s(c, "http_method"),
    target: s(c, "request_target"),
    body,
    appAuthToken: v3Input(c, "app_auth_token"),
    appCertSn: v3Input(c, "app_cert_sn"),
    additionalAuthInfo: v3Input(c, "additional_auth_info"),
    nonce: s(inputs, "nonce"),
    timestampMs: Number(s(inputs, "timestamp_ms"))
  }
}
