// The service's HTTP API as the page uses it: the API key (kept in this tab's memory only),
// problem details (RFC 9457) turned into errors the page can show, and cancelling.

export class ApiError extends Error {
  constructor({ status = 0, title, detail = "", hint = "", requestId = "" }) {
    super(title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.hint = hint;
    this.requestId = requestId;
  }

  static async from(response) {
    const requestId = response.headers.get("x-request-id") || "";
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) {
      try {
        const body = await response.json();
        return new ApiError({
          status: response.status,
          title: body.title || `HTTP ${response.status}`,
          detail: body.detail || "",
          hint: body.hint || "",
          requestId: body.request_id || requestId,
        });
      } catch {
        // fall through: a body that is not the JSON it says it is
      }
    }
    return new ApiError({
      status: response.status,
      title: `The server answered ${response.status} ${response.statusText}`.trim(),
      requestId,
    });
  }
}

export class Cancelled extends Error {}

export class Api {
  constructor() {
    this.key = null;
  }

  async request(path, { method = "GET", body, accept = "application/json", type, signal } = {}) {
    const headers = new Headers({ Accept: accept });
    if (type) headers.set("Content-Type", type);
    if (this.key) headers.set("Authorization", `Bearer ${this.key}`);
    let response;
    try {
      response = await fetch(path, {
        method,
        body,
        headers,
        signal,
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (error) {
      if (error.name === "AbortError") throw new Cancelled("cancelled");
      throw new ApiError({
        title: "The server cannot be reached",
        detail: String(error.message || error),
        hint: "check that `postmortem serve` is still running, then try again",
      });
    }
    if (!response.ok) throw await ApiError.from(response);
    return response;
  }

  async json(path, options) {
    return (await this.request(path, options)).json();
  }

  async text(path, options) {
    return (await this.request(path, options)).text();
  }

  capabilities(signal) {
    return this.json("/capabilities", { signal });
  }
}

function windowFields(options) {
  const fields = {};
  for (const name of ["format", "date", "timezone", "channel", "since", "until"]) {
    if (options[name]) fields[name] = options[name];
  }
  return fields;
}

/** The body of POST /draft for a source ({text} or {file}) and options. */
export function draftRequest(source, options, audience, keepItems) {
  const fields = { ...windowFields(options), audience };
  if (options.engine) fields.engine = options.engine;
  if (options.keep_unverified) fields.keep_unverified = true;
  if (source.file) {
    const form = new FormData();
    form.append("file", source.file, source.file.name);
    for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
    if (keepItems.length) form.append("keep_items", keepItems.join(","));
    return { body: form };
  }
  return {
    body: JSON.stringify({ transcript: source.text, ...fields, keep_items: keepItems }),
    type: "application/json",
  };
}

/** The body of POST /verify: the same source and options, and the draft to check. */
export function verifyRequest(source, options, draft, useJudge) {
  const fields = { ...windowFields(options), use_llm_judge: useJudge };
  if (source.file) {
    const form = new FormData();
    form.append("file", source.file, source.file.name);
    form.append("draft", draft);
    for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
    return { body: form };
  }
  return {
    body: JSON.stringify({ transcript: source.text, draft, ...fields }),
    type: "application/json",
  };
}
