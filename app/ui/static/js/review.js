// The review page: paste or drop a chat, draft it, read the draft beside the messages it cites,
// see what the fact check decided, edit and check again, switch audience, copy and download.
// Plain modules, no framework, no build step; everything it loads comes from this server.

import { Api, ApiError, Cancelled, draftRequest, progressText, verifyRequest } from "./api.js";
import { DraftPane, markButton, statusOf } from "./draft.js";
import { showTimeline } from "./timeline.js";
import { TranscriptPane } from "./transcript.js";

const $ = (id) => document.getElementById(id);
const api = new Api();
const AUDIENCE = { engineering: "engineering postmortem", stakeholder: "stakeholder email" };
// The fields each draft prints, by verdict path (a failed field elsewhere cannot be put back
// into it): the engineering draft prints the items' own text, the email their plain wording.
const SHOWN = {
  engineering: (item) =>
    /^(title|summary\.technical\[\d+\]|(impact|timeline|contributing_factors|action_items)\[\d+\]|detection|root_cause|resolution)$/.test(
      item,
    ),
  stakeholder: (item) =>
    /^(plain_title|summary\.plain\[\d+\]|(impact|timeline|action_items)\[\d+\]\.plain|resolution\.plain)$/.test(
      item,
    ),
};

// Statuses whose items ship in a draft (the others are left out, unless put back).
const SHIPS = new Set(["supported", "unconfirmed"]);

const state = {
  capabilities: null,
  file: null, // the file chosen in the form
  source: null, // {text} or {file}: what the shown results were drafted from
  options: null,
  keepItems: [],
  audience: "engineering",
  results: {}, // audience -> DraftResult
  edits: {}, // audience -> edited Markdown
  checks: {}, // audience -> {text, verification, messages}
  timeline: null, // SVG text of the shown report
  controller: null,
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------------------------------------
// Status, errors, the API key
// ---------------------------------------------------------------------------------------------

function say(text) {
  $("status").textContent = text;
}

function showError(error) {
  const box = $("error");
  box.replaceChildren(el("strong", "", error.title || "Something went wrong"));
  if (error.detail) box.append(el("p", "", error.detail));
  if (error.hint) box.append(el("p", "hint", error.hint));
  if (error.requestId) box.append(el("p", "help", `Request id: ${error.requestId}`));
  box.hidden = false;
  if (error.status === 401) askForKey(error);
}

function hideError() {
  $("error").hidden = true;
  $("error").replaceChildren();
}

function askForKey(error) {
  const section = $("key-section");
  section.hidden = false;
  $("key-message").textContent = api.key
    ? `That key was not accepted (${error.detail || error.title}). Enter a valid key.`
    : "This server needs an API key. It is kept in this tab's memory only and sent with each request.";
  $("api-key").focus();
}

async function useKey(event) {
  event.preventDefault();
  api.key = $("api-key").value.trim() || null;
  try {
    await loadCapabilities();
    $("key-section").hidden = true;
    $("api-key").value = "";
    hideError();
    say("API key accepted.");
    $("transcript").focus();
  } catch (error) {
    if (error instanceof ApiError) showError(error);
  }
}

async function loadCapabilities() {
  const capabilities = await api.capabilities();
  state.capabilities = capabilities;
  const llm = capabilities.engines.includes("llm");
  $("engine-row").hidden = !llm;
  if (llm) $("engine").value = capabilities.default_engine;
  return capabilities;
}

function setBusy(on) {
  for (const id of ["draft-button", "check-button", "edit-button"]) $(id).disabled = on;
  for (const input of document.querySelectorAll("input[name=view-audience]")) input.disabled = on;
  for (const button of document.querySelectorAll(".dropped button.restore")) button.disabled = on;
  $("cancel-button").hidden = !on;
  $("result").setAttribute("aria-busy", on ? "true" : "false");
  $("status").classList.toggle("busy", on);
}

/**
 * Run one request with an honest busy state: what is being done and the seconds elapsed, and
 * the step (chunk i of n) when the server reports it (a job); `work(signal, report)` may call
 * `report(text)` with the step.
 */
async function busy(label, work) {
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  const started = performance.now();
  let step = null;
  const tick = () => {
    const seconds = Math.round((performance.now() - started) / 1000);
    const detail = step ?? "one request: the server reports no steps until it answers";
    say(`${label}… ${seconds} s (${detail})`);
  };
  const report = (text) => {
    step = text;
    tick();
  };
  hideError();
  setBusy(true);
  const timer = setInterval(tick, 1000);
  try {
    const pending = work(controller.signal, report); // a job reports its first step at once
    if (step === null) tick();
    const value = await pending;
    say(`${label}: done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return value;
  } catch (error) {
    if (error instanceof Cancelled) {
      say("Cancelled. The server may still finish the work it started; nothing was kept.");
    } else {
      say("");
      showError(error instanceof ApiError ? error : { title: String(error) });
    }
    return null;
  } finally {
    clearInterval(timer);
    if (state.controller === controller) state.controller = null;
    setBusy(false);
  }
}

// ---------------------------------------------------------------------------------------------
// The form: paste, drop or choose a file, options
// ---------------------------------------------------------------------------------------------

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function setFile(file) {
  state.file = file;
  $("file-chosen").hidden = !file;
  $("file-name").textContent = file
    ? `File: ${file.name} (${sizeText(file.size)}), drafted instead of the pasted text.`
    : "";
  if (!file) $("file").value = "";
  if (file) say(`${file.name} is ready: press Draft.`);
}

function readOptions() {
  const options = {};
  for (const name of ["format", "date", "timezone", "channel", "since", "until"]) {
    const value = $(name).value.trim();
    if (value) options[name] = value;
  }
  if (!$("engine-row").hidden) options.engine = $("engine").value;
  options.keep_unverified = $("keep-unverified").checked;
  return options;
}

function formAudience() {
  return document.querySelector("input[name=audience]:checked").value;
}

/** A draft: as a job with progress where the server runs jobs, else one POST /draft. */
function fetchDraft(source, options, audience, keepItems, signal, report) {
  const request = draftRequest(source, options, audience, keepItems);
  if (state.capabilities?.jobs && report) {
    report("sending the chat");
    return api.draftJob(request, (record) => report(progressText(record)), signal);
  }
  return api.json("/draft", { method: "POST", ...request, signal });
}

async function onDraft(event) {
  event.preventDefault();
  const source = state.file ? { file: state.file } : { text: $("transcript").value };
  if (!source.file && !source.text.trim()) {
    showError({
      title: "Nothing to draft",
      detail: "The chat box is empty and no file is chosen.",
      hint: "paste the incident chat, or drop or choose an export file",
    });
    $("transcript").focus();
    return;
  }
  const limit = state.capabilities?.max_upload_bytes;
  if (source.file && limit && source.file.size > limit) {
    showError({
      title: "File too large",
      detail: `${source.file.name} is ${sizeText(source.file.size)}; this server takes at most ${sizeText(limit)}.`,
      hint: "cut the export to the incident's channel or days (or ask for a larger PM_MAX_UPLOAD_BYTES)",
    });
    return;
  }
  const options = readOptions();
  const audience = formAudience();
  const result = await busy(`Drafting the ${AUDIENCE[audience]}`, (signal, report) =>
    fetchDraft(source, options, audience, [], signal, report),
  );
  if (!result) return;
  Object.assign(state, {
    source,
    options,
    audience,
    keepItems: [],
    results: { [audience]: result },
    edits: {},
    checks: {},
    timeline: null,
  });
  $("result").hidden = false;
  showResult();
  $("result").focus();
}

// ---------------------------------------------------------------------------------------------
// The result: notices, the two panes, the timeline, what was left out
// ---------------------------------------------------------------------------------------------

const transcript = new TranscriptPane($("messages"), (id) => draftPane.citing(id));
const draftPane = new DraftPane($("draft-view"), $("claim-details"), {
  onEvidence: (ids) => transcript.highlight(ids),
  onMessage: (id) => {
    const item = transcript.item(id);
    if (item) {
      transcript.highlight([id]);
      transcript.focus(item);
    }
  },
});

function result() {
  return state.results[state.audience];
}

function currentText() {
  const edited = state.edits[state.audience];
  return edited ?? result().draft.text;
}

/** The verdicts that belong to the text shown, or null when it was edited and not checked. */
function currentCheck() {
  const text = currentText();
  const check = state.checks[state.audience];
  if (check && check.text === text) return check;
  if (text === result().draft.text) {
    return { verification: result().verification, messages: result().messages, fresh: true };
  }
  return null;
}

function notices(res) {
  const list = $("warnings");
  list.replaceChildren();
  const add = (text, warn = false) => list.append(el("li", warn ? "warn" : "", text));
  const ingest = res.ingest;
  if (ingest) {
    const mixed = ingest.mixed_with?.length ? ` mixed with ${ingest.mixed_with.join(", ")}` : "";
    const channel = ingest.channel ? `, channel ${ingest.channel}` : "";
    add(`Read as ${ingest.format}${mixed} (${ingest.source}${channel}): ${ingest.messages} messages.`);
    if (ingest.untimed_messages) add(`${ingest.untimed_messages} message(s) carry no time.`, true);
  }
  // The service's own warnings name uncertain attribution and redactions (never the secret).
  for (const warning of res.warnings) add(warning, true);
  for (const record of res.repairs || []) {
    if (record.action === "corrected" && record.outcome === "kept") {
      add(`The LLM corrected ${record.item} after the fact check: “${record.original}” became “${record.corrected}”.`);
    }
  }
  const usage = res.usage;
  if (res.engine === "llm") {
    add(
      usage.llm_calls
        ? `LLM (${usage.model || "model"}): ${usage.llm_calls} call(s), ${usage.prompt_tokens + usage.completion_tokens} tokens.`
        : `LLM (${usage.model || "model"}): no new call; the extraction came from the cache.`,
    );
  } else {
    add("Engine: offline rules (extractive); no LLM call.");
  }
}

function summary(claims, checkedText) {
  const counts = {};
  for (const claim of claims) counts[claim.status] = (counts[claim.status] || 0) + 1;
  const order = ["supported", "unconfirmed", "unsupported", "contradicted"];
  const names = [...order, ...Object.keys(counts).filter((s) => !order.includes(s))];
  const parts = names.map((name) => `${statusOf(name).icon} ${counts[name] || 0} ${name}`);
  $("check-summary").textContent = `${claims.length} claims checked ${checkedText}: ${parts.join(", ")}.`;
}

function showResult() {
  const res = result();
  for (const input of document.querySelectorAll("input[name=view-audience]")) {
    input.checked = input.value === state.audience;
  }
  for (const input of document.querySelectorAll("input[name=audience]")) {
    input.checked = input.value === state.audience;
  }
  notices(res);
  const check = currentCheck();
  $("stale-notice").hidden = Boolean(check);
  if (check) {
    summary(check.verification.claims, check.fresh ? "when the draft was made" : "in your edited draft");
  }
  const messages = check?.messages || res.messages;
  const unplaced = draftPane.show(currentText(), check ? check.verification.claims : null);
  transcript.show(messages, draftPane.citeCounts());
  showUnplaced(unplaced);
  showDropped(res);
  showTimelineFor(res);
  setEditing(false);
}

function showUnplaced(claims) {
  const old = $("draft-view").querySelector(".unplaced");
  if (old) old.remove();
  if (!claims.length) return;
  const box = el("details", "unplaced");
  box.append(el("summary", "", `${claims.length} checked claim(s) sit on no rendered line`));
  const list = el("ul");
  claims.forEach((claim) => {
    const item = el("li", "", claim.text);
    item.prepend(markButton(claim, draftPane.claims.indexOf(claim)), " ");
    list.append(item);
  });
  box.append(list);
  $("draft-view").append(box);
}

function showDropped(res) {
  const list = $("dropped");
  list.replaceChildren();
  const shown = SHOWN[state.audience];
  const dropped = res.verification.claims.filter(
    (claim) => !SHIPS.has(claim.status) && !claim.line && claim.item && shown(claim.item),
  );
  const withdrawn = (res.repairs || []).filter(
    (record) => record.action === "withdrawn" && shown(record.item),
  );
  $("dropped-empty").hidden = dropped.length + withdrawn.length > 0;
  for (const record of withdrawn) {
    const item = el("li", "status-withdrawn");
    item.append(el("strong", "", "✗ withdrawn by the LLM's repair"), ` · ${record.item}`);
    item.append(el("p", "claim-text", record.original));
    item.append(el("p", "reason", `Why it failed: ${record.reasons.join("; ")}`));
    if (record.explanation) item.append(el("p", "reason", `The model: ${record.explanation}`));
    item.append(el("p", "help", "Withdrawn items are not in the report, so they cannot be put back."));
    list.append(item);
  }
  for (const claim of dropped) {
    const status = statusOf(claim.status);
    const item = el("li", `status-${claim.status}`);
    item.append(el("strong", "", `${status.icon} ${status.word}`), ` · ${claim.item}`);
    item.append(el("p", "claim-text", claim.text));
    item.append(el("p", "reason", `Why: ${claim.reason}`));
    if (claim.evidence.length) {
      const evidence = el("p", "help", "Evidence: ");
      claim.evidence.forEach((id, index) => {
        if (index) evidence.append(", ");
        const link = el("a", "cite", `m${id}`);
        link.href = `#msg-${id}`;
        link.addEventListener("mouseenter", () => transcript.highlight([id]));
        link.addEventListener("focus", () => transcript.highlight([id]));
        link.addEventListener("click", (event) => {
          event.preventDefault();
          transcript.highlight([id]);
          transcript.focus(transcript.item(id));
        });
        evidence.append(link);
      });
      item.append(evidence);
    }
    if (state.keepItems.includes(claim.item)) {
      item.append(el("p", "restored", "Put back, but this draft does not show this item."));
    } else {
      const button = el("button", "restore", "Put back, marked (unverified)");
      button.type = "button";
      button.setAttribute("aria-label", `Put back, marked (unverified): ${claim.text.slice(0, 80)}`);
      button.addEventListener("click", () => restore(claim.item));
      item.append(button);
    }
    list.append(item);
  }
}

async function showTimelineFor(res) {
  const section = $("timeline-section");
  section.hidden = state.audience !== "engineering" || !res.incident.timeline.length;
  if (section.hidden) return;
  if (!state.timeline) {
    try {
      state.timeline = await api.text("/render", {
        method: "POST",
        accept: "image/svg+xml",
        type: "application/json",
        body: JSON.stringify({ incident: res.incident, messages: res.messages }),
      });
    } catch (error) {
      $("timeline-figure").textContent = `The timeline picture could not be drawn: ${error.detail || error.title}`;
      return;
    }
  }
  showTimeline($("timeline-figure"), state.timeline, (ids) => transcript.highlight(ids));
}

// ---------------------------------------------------------------------------------------------
// Edit and check again; switch audience; put a claim back
// ---------------------------------------------------------------------------------------------

function setEditing(on) {
  $("edit-button").setAttribute("aria-pressed", on ? "true" : "false");
  $("edit-button").textContent = on ? "Done editing" : "Edit draft";
  $("draft-editor").hidden = !on;
  $("draft-view").hidden = on;
  if (on) {
    $("draft-text").value = currentText();
    $("draft-text").focus();
  }
}

function edited() {
  const text = state.edits[state.audience];
  return text !== undefined && text !== result().draft.text;
}

function onEditToggle() {
  const editing = $("edit-button").getAttribute("aria-pressed") === "true";
  if (editing) {
    showResult(); // re-render the edited text (marks hidden until it is checked)
    $("edit-button").focus();
  } else {
    setEditing(true);
  }
}

async function onCheck() {
  if (!result()) return;
  const text = currentText();
  const useJudge = result().engine === "llm";
  const outcome = await busy("Checking the draft against the transcript", (signal) =>
    api.json("/verify", { method: "POST", ...verifyRequest(state.source, state.options, text, useJudge), signal }),
  );
  if (!outcome) return;
  state.checks[state.audience] = { text, verification: outcome.verification, messages: outcome.messages };
  showResult();
  const flagged = outcome.verification.claims.filter((c) => c.status !== "supported").length;
  say(`Checked: ${outcome.verification.claims.length} claims, ${flagged} not supported.`);
}

async function switchAudience(audience) {
  if (audience === state.audience || !result()) return;
  if (!state.results[audience]) {
    const res = await busy(`Drafting the ${AUDIENCE[audience]}`, (signal, report) =>
      fetchDraft(state.source, state.options, audience, state.keepItems, signal, report),
    );
    if (!res) {
      showResult(); // puts the switch back
      return;
    }
    state.results[audience] = res;
  }
  state.audience = audience;
  showResult();
}

async function restore(item) {
  if (
    edited() &&
    !window.confirm("Putting a claim back redrafts this draft: your edits will be replaced. Continue?")
  ) {
    return;
  }
  const keep = [...state.keepItems, item];
  const res = await busy("Putting the claim back", (signal, report) =>
    fetchDraft(state.source, state.options, state.audience, keep, signal, report),
  );
  if (!res) return;
  Object.assign(state, { keepItems: keep, results: { [state.audience]: res }, edits: {}, checks: {} });
  state.timeline = null;
  showResult();
  const verdict = res.verification.claims.find((c) => c.item === item);
  const block = verdict?.line && draftPane.block(verdict.line);
  const mark = block && block.node.querySelector(".mark:not(.status-supported)");
  if (mark) mark.focus();
  say(`Put back, marked (unverified): ${item}.`);
}

// ---------------------------------------------------------------------------------------------
// Copy and download
// ---------------------------------------------------------------------------------------------

function baseName() {
  const slug = (result().incident.title || "draft")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `postmortem-${slug || "draft"}-${state.audience}`;
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  say(`Downloaded ${name}.`);
}

async function copyMarkdown() {
  const text = currentText();
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  say("Copied the draft's Markdown.");
}

async function downloadHtml() {
  const res = result();
  const page = await busy("Rendering the page", (signal) =>
    api.text("/render", {
      method: "POST",
      accept: "text/html",
      type: "application/json",
      body: JSON.stringify({
        draft: currentText(),
        audience: state.audience,
        incident: res.incident,
        messages: res.messages,
      }),
      signal,
    }),
  );
  if (page) download(`${baseName()}.html`, "text/html", page);
}

function downloadJson() {
  const res = result();
  const body = { ...res };
  if (edited()) {
    const check = state.checks[state.audience];
    body.edited = {
      text: currentText(),
      verification: check && check.text === currentText() ? check.verification : null,
    };
  }
  download(`${baseName()}.json`, "application/json", `${JSON.stringify(body, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------

function wire() {
  $("draft-form").addEventListener("submit", onDraft);
  $("key-form").addEventListener("submit", useKey);
  $("cancel-button").addEventListener("click", () => state.controller?.abort());
  $("transcript").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("draft-form").requestSubmit();
  });
  $("file").addEventListener("change", () => setFile($("file").files[0] || null));
  $("file-clear").addEventListener("click", () => {
    setFile(null);
    $("file").focus();
  });
  const zone = $("drop-zone");
  document.addEventListener("dragover", (event) => {
    if ([...(event.dataTransfer?.types || [])].includes("Files")) {
      event.preventDefault();
      zone.classList.add("dragging");
    }
  });
  document.addEventListener("dragleave", (event) => {
    if (!event.relatedTarget) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", (event) => {
    const file = event.dataTransfer?.files?.[0];
    zone.classList.remove("dragging");
    if (!file) return;
    event.preventDefault();
    setFile(file);
  });
  $("edit-button").addEventListener("click", onEditToggle);
  $("draft-text").addEventListener("input", () => {
    state.edits[state.audience] = $("draft-text").value;
    $("stale-notice").hidden = Boolean(currentCheck());
  });
  $("check-button").addEventListener("click", onCheck);
  for (const input of document.querySelectorAll("input[name=view-audience]")) {
    input.addEventListener("change", () => switchAudience(input.value));
  }
  $("copy-button").addEventListener("click", copyMarkdown);
  $("download-md").addEventListener("click", () =>
    download(`${baseName()}.md`, "text/markdown", currentText()),
  );
  $("download-html").addEventListener("click", downloadHtml);
  $("download-json").addEventListener("click", downloadJson);
}

wire();
loadCapabilities().catch((error) => {
  if (error instanceof ApiError) showError(error);
});
