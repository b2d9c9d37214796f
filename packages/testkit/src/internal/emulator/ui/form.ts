/**
 * The open form (开卡表单) as the Alipay app shows it: one input per configured field, named by its field code
 * (`OPEN_FORM_FIELD_MOBILE` …), Chinese labels, the user chosen on the page.
 *
 * @internal
 */
import type { FormConfig, MintedUser, TemplateRecord } from "../../../AlipayModel.js"
import { type Html, html } from "./html.js"

interface FieldView {
  readonly label: string
  readonly type: "text" | "tel" | "email" | "date"
  readonly placeholder: string
  readonly options?: ReadonlyArray<string>
}

/** Labels as the Alipay app shows them (English hints in the placeholder where the format matters). */
const fields: Readonly<Record<string, FieldView>> = {
  OPEN_FORM_FIELD_MOBILE: { label: "手机号", type: "tel", placeholder: "13800138000" },
  OPEN_FORM_FIELD_GENDER: { label: "性别", type: "text", placeholder: "", options: ["男", "女"] },
  OPEN_FORM_FIELD_NAME: { label: "姓名", type: "text", placeholder: "张三" },
  OPEN_FORM_FIELD_BIRTHDAY: { label: "生日", type: "text", placeholder: "MM-dd, e.g. 01-31" },
  OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR: { label: "生日", type: "text", placeholder: "yyyy-MM-dd, e.g. 1990-01-31" },
  OPEN_FORM_FIELD_IDCARD: { label: "身份证号", type: "text", placeholder: "110101199001011234" },
  OPEN_FORM_FIELD_EMAIL: { label: "邮箱", type: "email", placeholder: "user@example.com" },
  OPEN_FORM_FIELD_ADDRESS: { label: "地址", type: "text", placeholder: "浙江省杭州市西湖区" },
  OPEN_FORM_FIELD_CITY: { label: "城市", type: "text", placeholder: "杭州市" },
  OPEN_FORM_FIELD_IS_STUDENT: { label: "是否学生", type: "text", placeholder: "", options: ["false", "true"] },
  OPEN_FORM_FIELD_MEMBER_GRADE: { label: "会员等级", type: "text", placeholder: "golden" },
  OPEN_FORM_FIELD_CERT_TYPE: {
    label: "证件类型",
    type: "text",
    placeholder: "",
    options: ["0", "1", "2", "3", "4", "5", "6"]
  }
}

const viewOf = (code: string): FieldView => fields[code] ?? { label: code, type: "text", placeholder: "" }

/** The values of the configured fields in a submitted form (blank optional fields left out). */
export const valuesOf = (form: FormConfig, body: Readonly<Record<string, string>>): {
  readonly values: Record<string, string>
  readonly missing: ReadonlyArray<string>
} => {
  const values: Record<string, string> = {}
  const missing: Array<string> = []
  for (const code of form.required) {
    const value = (body[code] ?? "").trim()
    if (value === "") missing.push(code)
    else values[code] = value
  }
  for (const code of form.optional) {
    const value = (body[code] ?? "").trim()
    if (value !== "") values[code] = value
  }
  return { values, missing }
}

const input = (code: string, required: boolean, value: string | undefined): Html => {
  const view = viewOf(code)
  const id = `f-${code}`
  const control = view.options === undefined
    ? html`<input id="${id}" name="${code}" type="${view.type}" placeholder="${view.placeholder}" value="${
      value ?? ""
    }"${required ? html` required` : ""}>`
    : html`<select id="${id}" name="${code}"${required ? html` required` : ""}>${
      required ? "" : html`<option value=""></option>`
    }${view.options.map((o) => html`<option${o === value ? html` selected` : ""}>${o}</option>`)}</select>`
  return html`<label for="${id}">${view.label}${
    required ? html` <span class="error">*</span>` : ""
  } <span class="muted">${code}</span></label>${control}`
}

/** The user picker: a GET form that reloads the page with `?user_id=` (no script). */
export const userPicker = (
  action: string,
  hidden: Readonly<Record<string, string>>,
  users: ReadonlyArray<MintedUser>,
  chosen: string | undefined
): Html =>
  html`<form method="get" action="${action}" class="box">
${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<label for="user_id">支付宝用户 (Alipay user)</label>
<select id="user_id" name="user_id">${
    users.map((u) =>
      html`<option value="${u.user_id}"${u.user_id === chosen ? html` selected` : ""}>${u.user_id}</option>`
    )
  }</select> <button type="submit">选择 (choose)</button></form>
<form method="post" action="/__emulator/ui/users" class="box"><input type="hidden" name="return" value="${action}?${
    new URLSearchParams(hidden).toString()
  }"><button type="submit" data-testid="new-user">新用户 (mint a new user)</button></form>`

/** The form itself: configured fields, a submit button (`data-testid="submit"`). */
export const openForm = (options: {
  readonly action: string
  readonly hidden: Readonly<Record<string, string>>
  readonly form: FormConfig
  readonly values?: Readonly<Record<string, string>>
  readonly missing?: ReadonlyArray<string>
  readonly submitText: string
}): Html => {
  const { action, form, hidden, missing = [], values = {} } = options
  return html`<form method="post" action="${action}" class="claim box">
${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
${
    missing.length > 0
      ? html`<p class="error" role="alert">请填写: ${missing.map((c) => viewOf(c).label).join("、")}</p>`
      : ""
  }
${form.required.map((c) => input(c, true, values[c]))}
${form.optional.map((c) => input(c, false, values[c]))}
<p><button type="submit" class="primary" data-testid="submit">${options.submitText}</button></p>
<p class="muted">提交即授权商家获取以上信息 (submitting authorises the merchant to read these values)</p></form>`
}

/** The card header of a form page: what the user is about to claim or open. */
export const cardHeader = (template: TemplateRecord): Html => {
  const style = template.body.template_style_info
  return html`<div class="box"><p><strong>${style.card_show_name}</strong>${
    style.brand_name === undefined ? "" : html` · ${style.brand_name}`
  }</p><p class="muted">template_id ${template.template_id}</p></div>`
}

/**
 * The body of a user's form page (3.0 claim, 3.1 open): the card header, the user picker, then the form once a
 * user is chosen.
 */
export const userFormBody = (options: {
  readonly template: TemplateRecord
  readonly action: string
  /** query parameters the picker keeps (besides `user_id`) */
  readonly pickerQuery: Readonly<Record<string, string>>
  readonly users: ReadonlyArray<MintedUser>
  readonly userId: string | undefined
  readonly form: FormConfig
  /** hidden fields of the form besides `user_id` */
  readonly hidden: Readonly<Record<string, string>>
  readonly values: Readonly<Record<string, string>>
  readonly missing: ReadonlyArray<string>
  readonly submitText: string
}): Html => {
  const { action, template, userId } = options
  const picker = userPicker(action, options.pickerQuery, options.users, userId)
  return userId === undefined
    ? html`${cardHeader(template)}${picker}<p class="muted">先选择一个用户 (choose a user first)</p>`
    : html`${cardHeader(template)}${picker}${
      openForm({
        action,
        hidden: { ...options.hidden, user_id: userId },
        form: options.form,
        values: options.values,
        missing: options.missing,
        submitText: options.submitText
      })
    }`
}
