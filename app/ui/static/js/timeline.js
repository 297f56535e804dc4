// The timeline picture: the SVG the server draws (POST /render), placed inline so hovering a
// mark highlights the messages it cites. The SVG is parsed as XML and imported: nothing in it
// runs (the page's policy allows scripts from this origin only).

export function showTimeline(figure, svgText, onEvidence) {
  const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = parsed.documentElement;
  if (!svg || svg.nodeName.toLowerCase() !== "svg" || parsed.querySelector("parsererror")) {
    figure.textContent = "The timeline picture could not be read.";
    return 0;
  }
  for (const script of svg.querySelectorAll("script, foreignObject")) script.remove();
  const picture = document.importNode(svg, true);
  figure.replaceChildren(picture);
  const entries = picture.querySelectorAll(".pm-entry");
  for (const entry of entries) {
    entry.addEventListener("mouseenter", () => {
      entry.classList.add("is-hover");
      const ids = (entry.getAttribute("data-evidence") || "").split(" ").filter(Boolean).map(Number);
      onEvidence(ids);
    });
    entry.addEventListener("mouseleave", () => entry.classList.remove("is-hover"));
  }
  return entries.length;
}
