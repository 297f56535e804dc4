"""The forms a draft answer takes, chosen by the request's `Accept` header (RFC 9110 §12.5.1).

- `application/json` (default, also for `*/*`): the whole `DraftResult`;
- `text/markdown`: the draft text alone;
- `text/html`: the draft as a standalone HTML page (engineering drafts embed the timeline SVG);
- `image/svg+xml`: the timeline picture of the drafted incident, for a wiki page or the review UI.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from app.pipeline import DraftResult
from app.render.page import CONTENT_SECURITY_POLICY, draft_page, timeline_picture

JSON, MARKDOWN, HTML, SVG = "application/json", "text/markdown", "text/html", "image/svg+xml"
OFFERED = (JSON, MARKDOWN, HTML, SVG)  # server preference on a tie
DRAFT_CONTENT: dict[str, dict[str, object]] = {
    MARKDOWN: {"schema": {"type": "string"}},
    HTML: {"schema": {"type": "string"}},
    SVG: {"schema": {"type": "string"}},
}
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept",
}


def _ranges(accept: str) -> list[tuple[str, float]]:
    """(media range, q) of each element of an Accept header; malformed q counts as 1."""
    found: list[tuple[str, float]] = []
    for element in accept.split(",")[:64]:
        parts = [p.strip() for p in element.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 1.0
        found.append((media, quality))
    return found


def _specificity(media: str, offer: str) -> int | None:
    """2 for an exact match, 1 for `type/*`, 0 for `*/*`, None when the range excludes it."""
    if media == offer:
        return 2
    if media == offer.split("/")[0] + "/*":
        return 1
    return 0 if media == "*/*" else None


def choose(accept: str) -> str:
    """The offered type the client prefers: the q of its most specific matching range decides,
    an exact match beats a wildcard on a tie, then the server's order. No Accept header, or
    nothing acceptable, means JSON."""
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = JSON
    for order, offer in enumerate(OFFERED):
        matches = [
            (specificity, quality)
            for media, quality in ranges
            if (specificity := _specificity(media, offer)) is not None
        ]
        if not matches:
            continue
        specificity, quality = max(matches)
        candidate = (quality, specificity, -order)
        if quality > 0 and (best is None or candidate > best):
            best, chosen = candidate, offer
    return chosen


def draft_response(request: Request, result: DraftResult) -> Response | DraftResult:
    """`result` in the form the client asked for."""
    wanted = choose(request.headers.get("accept", ""))
    if wanted == MARKDOWN:
        return PlainTextResponse(
            result.draft.text, media_type="text/markdown; charset=utf-8", headers={"Vary": "Accept"}
        )
    if wanted == HTML:
        page = draft_page(result.draft.text, result.incident, result.messages, result.audience)
        return HTMLResponse(page, headers=_HEADERS)
    if wanted == SVG:
        picture = timeline_picture(result.incident, result.messages)
        return Response(picture, media_type="image/svg+xml", headers=_HEADERS)
    return result
