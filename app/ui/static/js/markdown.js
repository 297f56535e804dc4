// Markdown to DOM for drafts: headings, paragraphs (a line break is kept, as the HTML page does),
// bullet and numbered lists, tables, quotes, code fences, **bold**, _emphasis_, `code`, and
// citations ([m3, m7] in text, "m3, m7" in a table's Source column) as links to messages.
//
// Every block knows the draft line it came from (data-line, 1-based, as the checker numbers
// lines), so the page can put each verdict on its line. No HTML in the text is ever parsed: all
// text goes in as text nodes.

const ESCAPABLE = "\\`*_{}[]()#+-.!|>~<\"'";
const CITATION = /\[(m\d+(?:,\s*m\d+)*)\]/y;
const SOURCE_CELL = /^m\d+(?:,\s*m\d+)*$/;

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function citationIds(list) {
  return list.split(",").map((part) => Number(part.trim().slice(1)));
}

function appendCitations(parent, ids, bracketed, ctx) {
  if (bracketed) parent.append("[");
  ids.forEach((id, index) => {
    if (index) parent.append(", ");
    const link = el("a", "cite");
    link.href = `#msg-${id}`;
    link.dataset.msg = String(id);
    link.textContent = `m${id}`;
    link.setAttribute("aria-label", `message ${id}`);
    parent.append(link);
    ctx.cites.add(id);
  });
  if (bracketed) parent.append("]");
}

// The index of the closing delimiter at or after `from`, skipping escapes; -1 if none.
function closing(text, delimiter, from) {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === "\\") {
      i += 1;
    } else if (text.startsWith(delimiter, i)) {
      return i;
    }
  }
  return -1;
}

const WORD = /[\p{L}\p{N}]/u;

function canOpenEmphasis(text, i) {
  const before = i > 0 ? text[i - 1] : " ";
  const after = text[i + 1] || " ";
  return !WORD.test(before) && after.trim() !== "";
}

function closingEmphasis(text, marker, from) {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === "\\") {
      i += 1;
    } else if (text[i] === marker && text[i - 1].trim() !== "" && !WORD.test(text[i + 1] || " ")) {
      return i;
    }
  }
  return -1;
}

/** Render inline Markdown of `text` into `parent`; citations found are added to ctx.cites. */
export function renderInline(text, parent, ctx) {
  let buffer = "";
  const flush = () => {
    if (buffer) parent.append(document.createTextNode(buffer));
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        const code = el("code");
        code.textContent = text.slice(i + 1, end);
        parent.append(code);
        i = end + 1;
        continue;
      }
    }
    if (text.startsWith("**", i)) {
      const end = closing(text, "**", i + 2);
      if (end > i + 2) {
        flush();
        const strong = el("strong");
        renderInline(text.slice(i + 2, end), strong, ctx);
        parent.append(strong);
        i = end + 2;
        continue;
      }
    }
    if ((c === "_" || c === "*") && canOpenEmphasis(text, i)) {
      const end = closingEmphasis(text, c, i + 1);
      if (end > i + 1) {
        flush();
        const em = el("em");
        renderInline(text.slice(i + 1, end), em, ctx);
        parent.append(em);
        i = end + 1;
        continue;
      }
    }
    if (c === "[") {
      CITATION.lastIndex = i;
      const match = CITATION.exec(text);
      if (match) {
        flush();
        appendCitations(parent, citationIds(match[1]), true, ctx);
        i += match[0].length;
        continue;
      }
    }
    buffer += c;
    i += 1;
  }
  flush();
}

function splitRow(line) {
  let body = line.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  const cells = [];
  let cell = "";
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === "\\" && body[i + 1] === "|") {
      cell += "\\|";
      i += 1;
    } else if (body[i] === "|") {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += body[i];
    }
  }
  cells.push(cell.trim());
  return cells;
}

const isTableLine = (line) => /^\s*\|.*\|\s*$/.test(line);
const isSeparator = (line) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);
const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const FENCE = /^\s{0,3}(```|~~~)/;

function newBlock(tag, line, blocks) {
  const node = el(tag);
  node.dataset.line = String(line);
  const block = { node, line, cites: new Set(), kind: tag };
  blocks.push(block);
  return block;
}

/**
 * Render a draft. Returns {fragment, blocks}: blocks are {node, line, cites, kind} per line that
 * carries content (a paragraph line, a list item, a table row, a heading).
 */
export function renderMarkdown(markdown) {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const fragment = document.createDocumentFragment();
  const blocks = [];
  let paragraph = null;
  let list = null;
  let i = 0;
  const endParagraph = () => {
    paragraph = null;
  };
  const endList = () => {
    list = null;
  };
  while (i < lines.length) {
    const line = lines[i];
    const number = i + 1;
    if (!line.trim()) {
      endParagraph();
      endList();
      i += 1;
      continue;
    }
    if (FENCE.test(line)) {
      endParagraph();
      endList();
      const pre = el("pre");
      const code = el("code");
      const body = [];
      let j = i + 1;
      while (j < lines.length && !FENCE.test(lines[j])) {
        body.push(lines[j]);
        j += 1;
      }
      code.textContent = body.join("\n");
      pre.append(code);
      pre.dataset.line = String(number);
      fragment.append(pre);
      i = Math.min(j + 1, lines.length);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      endList();
      // the page's own headings go down to h3 ("Draft"): a draft's "#" is an h4
      const block = newBlock(`h${Math.min(heading[1].length + 3, 6)}`, number, blocks);
      renderInline(heading[2].trim(), block.node, block);
      fragment.append(block.node);
      i += 1;
      continue;
    }
    if (isTableLine(line) && i + 1 < lines.length && isSeparator(lines[i + 1])) {
      endParagraph();
      endList();
      i = renderTable(lines, i, fragment, blocks);
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      endParagraph();
      const tag = bullet ? "ul" : "ol";
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = el(tag);
        fragment.append(list);
      }
      const block = newBlock("li", number, blocks);
      renderInline((bullet || numbered)[1], block.node, block);
      list.append(block.node);
      i += 1;
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      endParagraph();
      endList();
      const block = newBlock("blockquote", number, blocks);
      renderInline(quote[1], block.node, block);
      fragment.append(block.node);
      i += 1;
      continue;
    }
    if (list && /^\s{2,}\S/.test(line)) {
      // a continuation line of the last list item
      const last = blocks[blocks.length - 1];
      last.node.append(el("br"));
      renderInline(line.trim(), last.node, last);
      i += 1;
      continue;
    }
    endList();
    if (!paragraph) {
      paragraph = el("p");
      fragment.append(paragraph);
    } else {
      paragraph.append(el("br"));
    }
    const block = newBlock("span", number, blocks);
    block.node.className = "md-line";
    block.kind = "line";
    renderInline(line.trim(), block.node, block);
    paragraph.append(block.node);
    i += 1;
  }
  return { fragment, blocks };
}

function renderTable(lines, start, fragment, blocks) {
  const table = el("table");
  const head = el("thead");
  const headRow = newBlock("tr", start + 1, blocks);
  const header = splitRow(lines[start]);
  header.forEach((cell) => {
    const th = el("th");
    th.scope = "col";
    renderInline(cell, th, headRow);
    headRow.node.append(th);
  });
  head.append(headRow.node);
  table.append(head);
  const sourceColumn = header.findIndex((cell) => /^sources?$/i.test(cell));
  const body = el("tbody");
  let i = start + 2;
  while (i < lines.length && isTableLine(lines[i])) {
    const row = newBlock("tr", i + 1, blocks);
    splitRow(lines[i]).forEach((cell, index) => {
      const td = el("td");
      if (index === sourceColumn && SOURCE_CELL.test(cell)) {
        appendCitations(td, citationIds(cell), false, row);
      } else {
        renderInline(cell, td, row);
      }
      row.node.append(td);
    });
    body.append(row.node);
    i += 1;
  }
  table.append(body);
  const wrapper = el("div", "table-wrap");
  wrapper.append(table);
  fragment.append(wrapper);
  return i;
}
