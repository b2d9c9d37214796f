import * as Schema from "effect/Schema"
const t0 = performance.now()
const context = { operation: Schema.String, traceId: Schema.optionalWith(Schema.String, { exact: true }) }
const answer = { ...context, code: Schema.String, msg: Schema.String, subCode: Schema.optionalWith(Schema.String, { exact: true }),
 subMsg: Schema.optionalWith(Schema.String, { exact: true }), httpStatus: Schema.optionalWith(Schema.Int, { exact: true }),
 links: Schema.optionalWith(Schema.Array(Schema.Struct({ link: Schema.String, desc: Schema.optionalWith(Schema.String, { exact: true }) })), { exact: true }) }
const t1 = performance.now()
const classes = []
for (let i = 0; i < 50; i++) classes.push(class extends Schema.TaggedError()("T" + i, answer) {})
const t2 = performance.now()
const u = Schema.Union(...classes)
const t3 = performance.now()
console.log("fields", (t1-t0).toFixed(2), "50 classes", (t2-t1).toFixed(2), "union", (t3-t2).toFixed(2))
