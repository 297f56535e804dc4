// The draft pane: the rendered draft with each checker verdict on its line (icon and word, and
// the reason for any claim that is not supported), citations as links to messages, and the
// details of whatever claim or citation is hovered or focused.

import { renderMarkdown } from "./markdown.js";

export const STATUS = {
  supported: { icon: "✓", word: "supported" },
  unconfirmed: { icon: "?", word: "unconfirmed" },
  unsupported: { icon: "✗", word: "unsupported" },
  contradicted: { icon: "≠", word: "contradicted" },
};

const HINT = "Hover or focus a mark (✓, ?, ✗, ≠) or a citation to see its evidence.";

export function statusOf(name) {
  return STATUS[name] || { icon: "•", word: name };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function snippet(text, length = 90) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function markButton(claim, index) {
  const status = statusOf(claim.status);
  const button = el("button", `mark status-${claim.status}`, `${status.icon} ${status.word}`);
  button.type = "button";
  button.dataset.claim = String(index);
  button.title = claim.reason;
  button.setAttribute("aria-label", `${status.word}: ${snippet(claim.text, 140)}`);
  return button;
}

export class DraftPane {
  /** `onEvidence(ids)` highlights messages; `onMessage(id)` moves to a message. */
  constructor(view, details, { onEvidence, onMessage }) {
    this.view = view;
    this.details = details;
    this.onEvidence = onEvidence;
    this.onMessage = onMessage;
    this.blocks = [];
    this.claims = [];
    const hover = (event) => this.point(event.target);
    view.addEventListener("mouseover", hover);
    view.addEventListener("focusin", hover);
    view.addEventListener("click", (event) => {
      const cite = event.target.closest("a.cite");
      if (cite) {
        event.preventDefault();
        this.onMessage(Number(cite.dataset.msg));
      }
    });
  }

  /** Render `text`; `claims` (verdicts with `line`) are put on their lines; null: no marks. */
  show(text, claims) {
    const { fragment, blocks } = renderMarkdown(text);
    this.view.replaceChildren(fragment);
    this.view.scrollTop = 0;
    this.details.textContent = HINT;
    this.blocks = blocks;
    this.claims = claims || [];
    const byLine = new Map();
    this.claims.forEach((claim, index) => {
      if (!claim.line) return;
      if (!byLine.has(claim.line)) byLine.set(claim.line, []);
      byLine.get(claim.line).push(index);
    });
    const placed = new Set();
    for (const block of blocks) {
      block.claims = byLine.get(block.line) || [];
      block.claims.forEach((index) => placed.add(index));
      if (block.kind === "tr") this.addCheckCell(block);
      else if (block.claims.length && /^h\d$/.test(block.kind)) this.addHeadingMarks(block);
      else if (block.claims.length) this.addMarks(block, block.node);
    }
    this.view.querySelectorAll("thead tr").forEach((row) => row.append(el("th", "", "Check")));
    return this.claims.filter((claim, index) => claim.line && !placed.has(index));
  }

  /** A heading's marks go after it, so the heading reads as the draft's own words. */
  addHeadingMarks(block) {
    const after = el("div", "heading-marks");
    after.dataset.line = String(block.line);
    block.node.after(after);
    this.addMarks(block, after);
  }

  addCheckCell(block) {
    if (block.node.parentElement && block.node.parentElement.tagName === "THEAD") return;
    const cell = el("td", "check-cell");
    block.node.append(cell);
    if (block.claims.length) this.addMarks(block, cell);
  }

  addMarks(block, container) {
    const marks = el("span", "marks");
    const reasons = el("span", "reasons");
    reasons.setAttribute("role", "list");
    for (const index of block.claims) {
      const claim = this.claims[index];
      marks.append(markButton(claim, index));
      if (claim.status !== "supported") {
        const reason = el("span", `status-${claim.status}`);
        reason.setAttribute("role", "listitem");
        const status = statusOf(claim.status);
        reason.append(el("strong", "", `${status.icon} ${status.word}: `), claim.reason);
        reasons.append(reason);
      }
    }
    container.append(marks);
    if (reasons.childElementCount) container.append(reasons);
    const statuses = block.claims.map((index) => this.claims[index].status);
    if (statuses.some((s) => s !== "supported" && s !== "unconfirmed")) {
      block.node.classList.add("line-flagged");
    } else if (statuses.includes("unconfirmed")) {
      block.node.classList.add("line-unsure");
    }
  }

  evidenceOf(block) {
    const ids = new Set(block.cites);
    for (const index of block.claims || []) {
      for (const id of this.claims[index].evidence) ids.add(id);
    }
    return [...ids];
  }

  point(target) {
    const mark = target.closest(".mark");
    if (mark && this.view.contains(mark)) {
      this.describe(this.claims[Number(mark.dataset.claim)]);
      return;
    }
    const cite = target.closest("a.cite");
    if (cite) {
      const id = Number(cite.dataset.msg);
      this.details.textContent = `Citation: message ${id}.`;
      this.onEvidence([id]);
      return;
    }
    const node = target.closest("[data-line]");
    const block = node && this.blocks.find((b) => b.node === node);
    if (block) {
      const ids = this.evidenceOf(block);
      if (ids.length) this.onEvidence(ids);
    }
  }

  /** Show one claim's verdict in the details box and highlight its evidence. */
  describe(claim) {
    const status = statusOf(claim.status);
    this.details.replaceChildren();
    this.details.append(el("strong", `status-word status-${claim.status}`, `${status.icon} ${status.word}`));
    this.details.append(": ", el("span", "claim-text", snippet(claim.text, 200)));
    this.details.append(el("br"), claim.reason);
    const ids = claim.evidence || [];
    this.details.append(
      el("br"),
      ids.length ? `Evidence: ${ids.map((id) => `m${id}`).join(", ")}` : "No evidence message.",
      claim.judged_by === "llm" ? " · judged by the LLM" : " · judged by the rules",
    );
    this.onEvidence(ids);
  }

  /** {message id: how many lines cite it} over the whole draft. */
  citeCounts() {
    const counts = new Map();
    for (const block of this.blocks) {
      if (block.kind === "tr" && block.node.parentElement?.tagName === "THEAD") continue;
      for (const id of this.evidenceOf(block)) counts.set(id, (counts.get(id) || 0) + 1);
    }
    return counts;
  }

  /** The lines citing message `id` (by a citation or a verdict's evidence), for the transcript. */
  citing(id) {
    const found = [];
    for (const block of this.blocks) {
      if (block.kind === "tr" && block.node.parentElement?.tagName === "THEAD") continue;
      if (!this.evidenceOf(block).includes(id)) continue;
      const statuses = (block.claims || []).map((index) => statusOf(this.claims[index].status).word);
      const label = `Line ${block.line}: ${snippet(block.node.textContent, 80)}${
        statuses.length ? ` (${[...new Set(statuses)].join(", ")})` : ""
      }`;
      found.push({ label, focus: () => this.focusBlock(block) });
    }
    return found;
  }

  focusBlock(block) {
    for (const other of this.view.querySelectorAll(".is-claim-focus")) {
      other.classList.remove("is-claim-focus");
    }
    block.node.classList.add("is-claim-focus");
    block.node.tabIndex = -1;
    block.node.focus({ preventScroll: true });
    const top = block.node.getBoundingClientRect().top - this.view.getBoundingClientRect().top;
    this.view.scrollTop += top - this.view.clientHeight / 3;
  }

  /** The line (block) of the draft holding `line`, if rendered. */
  block(line) {
    return this.blocks.find((b) => b.line === line) || null;
  }
}
