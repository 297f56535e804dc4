// The transcript pane: every message with its id, time and author (redacted secrets shown as
// their placeholders), one tab stop for the whole list (arrow keys move, Enter shows the claims
// that cite a message), and the evidence highlight.

const PLACEHOLDER = /\[REDACTED:[^\]\n]{1,60}\]/g;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function textWithPlaceholders(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    fragment.append(text.slice(last, match.index));
    const mark = el("mark", "redacted", match[0]);
    mark.title = "a secret was redacted here before anything else saw the chat";
    fragment.append(mark);
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function clock(message) {
  if (!message.time) return "no time";
  return message.day ? `${message.time} (+${message.day}d)` : message.time;
}

export class TranscriptPane {
  /** `citedBy(id)` answers [{label, status, focus()}] for the claims citing message `id`. */
  constructor(list, citedBy) {
    this.list = list;
    this.citedBy = citedBy;
    this.items = new Map();
    this.highlighted = [];
    list.addEventListener("keydown", (event) => this.onKey(event));
    list.addEventListener("click", (event) => {
      const item = event.target.closest(".msg");
      if (item && !event.target.closest(".cited-by")) this.toggle(item);
    });
  }

  show(messages, citeCounts) {
    this.list.replaceChildren();
    this.items.clear();
    for (const message of messages) {
      const item = el("li", "msg");
      item.id = `msg-${message.id}`;
      item.dataset.id = String(message.id);
      item.tabIndex = -1;
      const count = citeCounts.get(message.id) || 0;
      if (!count) item.classList.add("uncited");
      item.setAttribute(
        "aria-label",
        `Message ${message.id}, ${clock(message)}, ${message.author || "no author"}` +
          (count ? `, cited by ${count} line${count === 1 ? "" : "s"}` : ""),
      );
      const head = el("div", "msg-head");
      head.append(el("span", "msg-id", `m${message.id}`));
      head.append(el("span", "msg-time", clock(message)));
      head.append(el("span", "msg-author", message.author || "(no author)"));
      head.append(el("span", "msg-cited-count", `cited by ${count}`));
      const text = el("p", "msg-text");
      text.append(textWithPlaceholders(message.text));
      item.append(head, text);
      this.list.append(item);
      this.items.set(message.id, item);
    }
    const first = this.list.querySelector(".msg");
    if (first) first.tabIndex = 0;
  }

  item(id) {
    return this.items.get(id) || null;
  }

  /** Mark the messages of `ids` as evidence and scroll the first into view. */
  highlight(ids) {
    for (const item of this.highlighted) item.classList.remove("is-evidence");
    this.highlighted = [];
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    for (const id of sorted) {
      const item = this.items.get(id);
      if (item) {
        item.classList.add("is-evidence");
        this.highlighted.push(item);
      }
    }
    if (this.highlighted.length) this.scrollTo(this.highlighted[0]);
  }

  scrollTo(item) {
    const pane = this.list;
    const top = item.offsetTop - pane.offsetTop;
    if (top < pane.scrollTop || top + item.offsetHeight > pane.scrollTop + pane.clientHeight) {
      pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
    }
  }

  /** Move the list's tab stop to `item` and focus it. */
  focus(item) {
    for (const other of this.list.querySelectorAll(".msg[tabindex='0']")) other.tabIndex = -1;
    item.tabIndex = 0;
    item.focus({ preventScroll: true });
    this.scrollTo(item);
  }

  onKey(event) {
    const item = event.target.closest(".msg");
    if (!item || event.target !== item) return;
    const all = [...this.list.querySelectorAll(".msg")];
    const index = all.indexOf(item);
    const moves = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: all.length - 1,
      PageDown: index + 10,
      PageUp: index - 10,
    };
    if (event.key in moves) {
      event.preventDefault();
      const target = all[Math.max(0, Math.min(all.length - 1, moves[event.key]))];
      this.focus(target);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.toggle(item);
    }
  }

  /** Show (or hide) which claims cite the message. */
  toggle(item) {
    const open = item.querySelector(".cited-by");
    if (open) {
      open.remove();
      item.removeAttribute("aria-expanded");
      return;
    }
    const id = Number(item.dataset.id);
    const panel = el("div", "cited-by");
    const claims = this.citedBy(id);
    if (!claims.length) {
      panel.textContent = "No line of the draft cites this message.";
    } else {
      panel.append(`Cited by ${claims.length} line${claims.length === 1 ? "" : "s"} of the draft:`);
      const ul = el("ul");
      for (const claim of claims) {
        const li = el("li");
        const button = el("button", "", claim.label);
        button.type = "button";
        button.addEventListener("click", () => claim.focus());
        li.append(button);
        ul.append(li);
      }
      panel.append(ul);
    }
    item.append(panel);
    item.setAttribute("aria-expanded", "true");
    this.focus(item);
  }
}
