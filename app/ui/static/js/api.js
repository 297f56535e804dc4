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

  /**
   * A draft as a job (POST /drafts): its progress events go to `onProgress` (the job record:
   * status, progress.step, progress.chunk of progress.chunks) until it is done; answers the
   * DraftResult, or throws the job's problem. The events are read with fetch, not EventSource,
   * so the API key goes along.
   */
  async draftJob(request, onProgress, signal) {
    const job = await this.json("/drafts", { method: "POST", ...request, signal });
    onProgress(job);
    const path = `/drafts/${encodeURIComponent(job.id)}`;
    try {
      await this.followEvents(`${path}/events`, onProgress, signal);
    } catch (error) {
      if (error instanceof Cancelled || (error instanceof ApiError && error.status === 404)) {
        throw error;
      }
      await this.pollJob(path, onProgress, signal); // the stream broke: ask until it is done
    }
    const record = await this.json(path, { signal });
    if (record.status === "failed") {
      const problem = record.error || {};
      throw new ApiError({
        status: problem.status || 500,
        title: problem.title || "The draft failed",
        detail: problem.detail || "",
        hint: problem.hint || "",
      });
    }
    return record.result;
  }

  async followEvents(path, onProgress, signal) {
    const response = await this.request(path, { accept: "text/event-stream", signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (error.name === "AbortError") throw new Cancelled("cancelled");
        throw error;
      }
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseEvent(frame);
        if (event.data) onProgress(JSON.parse(event.data));
        if (event.name === "done" || event.name === "failed") return;
      }
    }
  }

  async pollJob(path, onProgress, signal) {
    for (;;) {
      const record = await this.json(path, { signal });
      onProgress(record);
      if (record.status === "done" || record.status === "failed") return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function parseEvent(frame) {
  const event = { name: "message", data: "" };
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) event.name = line.slice(6).trim();
    else if (line.startsWith("data:")) event.data += line.slice(5).trim();
  }
  return event;
}

const STEP_WORDS = {
  queued: "waiting in the queue",
  parsing: "parsing and redacting the chat",
  extracting: "extracting the report",
  judging: "asking the LLM judge",
  repairing: "repairing what failed",
  verifying: "checking every claim",
  rendering: "rendering the draft",
  done: "done",
};

/** "extracting the report, chunk 2 of 5" from a job record's progress. */
export function progressText(record) {
  const progress = record.progress || {};
  const words = STEP_WORDS[progress.step] || progress.step || record.status;
  if (progress.chunks) return `${words}, chunk ${progress.chunk || 0} of ${progress.chunks}`;
  return words;
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
