import * as Card from "@membercard/domain/Card"
import * as Image from "@membercard/domain/Image"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as Template from "@membercard/domain/Template"
import type { Operation } from "../AlipayClient.js"

const op = <A, I, R, RI>(operation: Operation<A, I, R, RI>): Operation<A, I, R, RI> => operation

/**
 * The member card operations (spec §1 rows 1–13).
 *
 * @internal
 */
export const operations = {
  templateCreate: op({
    name: "templateCreate",
    v2Method: "alipay.marketing.card.template.create",
    verb: "POST",
    path: "/v3/alipay/marketing/card/template/create",
    transport: "body",
    userAuthToken: false,
    request: Template.TemplateCreateRequest,
    response: Template.TemplateCreateResponse,
    // keyed by request_id (a new template needs a new request_id): a retry cannot create a second template.
    safety: "idempotent-write"
  }),
  templateModify: op({
    name: "templateModify",
    v2Method: "alipay.marketing.card.template.modify",
    verb: "POST",
    path: "/v3/alipay/marketing/card/template/modify",
    transport: "body",
    userAuthToken: false,
    request: Template.TemplateModifyRequest,
    response: Template.TemplateModifyResponse,
    // absolute values (the new configuration), keyed by request_id.
    safety: "idempotent-write"
  }),
  templateQuery: op({
    name: "templateQuery",
    v2Method: "alipay.marketing.card.template.query",
    verb: "GET",
    path: "/v3/alipay/marketing/card/template/query",
    transport: "query",
    userAuthToken: false,
    request: Template.TemplateQueryRequest,
    response: Template.TemplateQueryResponse,
    safety: "read"
  }),
  templateBatchQuery: op({
    name: "templateBatchQuery",
    v2Method: "alipay.marketing.card.template.batchquery",
    verb: "POST",
    path: "/v3/alipay/marketing/card/template/batchquery",
    transport: "body",
    userAuthToken: false,
    request: Template.TemplateBatchQueryRequest,
    response: Template.TemplateBatchQueryResponse,
    safety: "read"
  }),
  formTemplateSet: op({
    name: "formTemplateSet",
    v2Method: "alipay.marketing.card.formtemplate.set",
    verb: "POST",
    path: "/v3/alipay/marketing/card/formtemplate/set",
    transport: "body",
    userAuthToken: false,
    request: OpenForm.FormTemplateSetRequest,
    response: OpenForm.FormTemplateSetResponse,
    // sets the whole form configuration (absolute value).
    safety: "idempotent-write"
  }),
  activateUrlApply: op({
    name: "activateUrlApply",
    v2Method: "alipay.marketing.card.activateurl.apply",
    verb: "POST",
    path: "/v3/alipay/marketing/card/activateurl/apply",
    transport: "body",
    userAuthToken: false,
    request: OpenForm.ActivateUrlApplyRequest,
    response: OpenForm.ActivateUrlApplyResponse,
    // returns a link, changes nothing.
    safety: "read"
  }),
  activateFormQuery: op({
    name: "activateFormQuery",
    v2Method: "alipay.marketing.card.activateform.query",
    verb: "GET",
    path: "/v3/alipay/marketing/card/activateform/query",
    transport: "query",
    userAuthToken: true,
    request: OpenForm.ActivateFormQueryRequest,
    response: OpenForm.ActivateFormQueryResponse,
    safety: "read"
  }),
  cardOpen: op({
    name: "cardOpen",
    v2Method: "alipay.marketing.card.open",
    verb: "POST",
    path: "/v3/alipay/marketing/card/open",
    transport: "body",
    userAuthToken: true,
    request: Card.CardOpenRequest,
    response: Card.CardOpenResponse,
    // serial-numbered by out_serial_no; at worst a retry answers CARD_HAS_OPENED (one card per user+template).
    safety: "idempotent-write"
  }),
  cardQuery: op({
    name: "cardQuery",
    v2Method: "alipay.marketing.card.query",
    verb: "POST",
    path: "/v3/alipay/marketing/card/query",
    transport: "body",
    userAuthToken: false,
    request: Card.CardQueryRequest,
    response: Card.CardQueryResponse,
    safety: "read"
  }),
  cardUpdate: op({
    name: "cardUpdate",
    v2Method: "alipay.marketing.card.update",
    verb: "POST",
    path: "/v3/alipay/marketing/card/update",
    transport: "body",
    userAuthToken: false,
    request: Card.CardUpdateRequest,
    response: Card.CardUpdateResponse,
    // absolute values (point, balance, level are set, not incremented).
    safety: "idempotent-write"
  }),
  cardDelete: op({
    name: "cardDelete",
    v2Method: "alipay.marketing.card.delete",
    verb: "DELETE",
    path: "/v3/alipay/marketing/card/delete",
    transport: "query",
    userAuthToken: false,
    request: Card.CardDeleteRequest,
    response: Card.CardDeleteResponse,
    // serial-numbered by out_serial_no; deleting twice at worst answers CARD_IS_DELETED_ALREADY.
    safety: "idempotent-write"
  }),
  messageNotify: op({
    name: "messageNotify",
    v2Method: "alipay.marketing.card.message.notify",
    verb: "POST",
    path: "/v3/alipay/marketing/card/message/notify",
    transport: "body",
    userAuthToken: false,
    request: Card.MessageNotifyRequest,
    response: Card.MessageNotifyResponse,
    // UNCONFIRMED: notify_no is documented as an idempotency key but optional; a duplicate pushes the user a
    // second message, so it is not retried.
    safety: "unsafe-write"
  }),
  imageUpload: op({
    name: "imageUpload",
    v2Method: "alipay.offline.material.image.upload",
    verb: "POST",
    path: "/v3/alipay/offline/material/image/upload",
    transport: "multipart",
    userAuthToken: false,
    request: Image.ImageUploadRequest,
    response: Image.ImageUploadResponse,
    // no serial number: every upload stores a new file.
    safety: "unsafe-write"
  })
} as const
