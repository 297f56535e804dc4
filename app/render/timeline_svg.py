"""The timeline picture: an SVG of the incident window.

One mark per timeline entry, placed on a time axis, each on its own row with a text label (time,
kind, event), so labels never overlap. Detection, mitigation and recovery are drawn as labelled
milestone lines; the impact window (first trigger/detection to last recovery, as in
`timing.impact_window`) is shaded with a hatch and labelled. Colour is never the only signal:
every kind has its own shape and its name in the label. The picture is accessible (`role="img"`,
`<title>` and `<desc>` naming the events) and self-contained (inline styles, no external asset);
every chat-derived string is XML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from app.models import IncidentReport, TimelineEntry, Transcript, hhmm
from app.render.prose import printed_text
from app.render.timing import entry_seconds, impact_window, sorted_timeline

WIDTH = 960
_LEFT, _RIGHT = 40, 40
_AXIS_Y = 86
_ROW_TOP = 122
_ROW_HEIGHT = 24
_CHAR_WIDTH = 6.6  # average width of a 12px sans-serif character, for truncating labels
_TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440)  # minutes

KIND_NAMES = {
    "trigger": "Trigger",
    "detection": "Detection",
    "investigation": "Investigation",
    "mitigation": "Mitigation",
    "recovery": "Recovery",
    "resolution": "Resolution",
    "communication": "Communication",
    "other": "Event",
}
_MILESTONES = (("detection", "Detected"), ("mitigation", "Mitigation"), ("recovery", "Recovered"))

_STYLE = """
.pm-bg{fill:#ffffff}
.pm-axis{stroke:#333333;stroke-width:1.5}
.pm-tick{stroke:#333333;stroke-width:1}
.pm-tick-label,.pm-label,.pm-milestone-label,.pm-window-label{font-family:system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif;fill:#1a1a1a}
.pm-tick-label{font-size:11px}
.pm-label{font-size:12px;stroke:#ffffff;stroke-width:4px;paint-order:stroke;stroke-linejoin:round}
.pm-milestone-label,.pm-window-label{font-size:12px;font-weight:600;stroke:#ffffff;stroke-width:4px;
paint-order:stroke;stroke-linejoin:round}
.pm-stem{stroke:#8a8a8a;stroke-width:1;stroke-dasharray:2 3}
.pm-window{fill:url(#PREFIX-hatch);stroke:#b3261e;stroke-width:1}
.pm-milestone{stroke:#1a1a1a;stroke-width:1.5;stroke-dasharray:6 3}
.pm-mark{stroke:#1a1a1a;stroke-width:1.5}
.pm-trigger{fill:#6b4fbb}.pm-detection{fill:#c77700}.pm-investigation{fill:#ffffff}
.pm-mitigation{fill:#1565c0}.pm-recovery{fill:#2e7d32}.pm-resolution{fill:#1b5e20}
.pm-communication{fill:#ffffff}.pm-other{fill:#9e9e9e}
"""


@dataclass(frozen=True)
class _Scale:
    start: int
    end: int

    def x(self, seconds: int) -> float:
        span = max(self.end - self.start, 1)
        return round(_LEFT + (seconds - self.start) / span * (WIDTH - _LEFT - _RIGHT), 1)


def _clock(seconds: int, first_day: int) -> str:
    day, rest = divmod(seconds, 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"
    return text if day == first_day else f"{text} (+{day - first_day}d)"


def _scale(times: list[int]) -> _Scale:
    low, high = min(times), max(times)
    span = max(high - low, 600)
    pad = max(span // 20, 60)
    middle = (low + high) // 2
    if high - low < 600:
        low, high = middle - span // 2, middle + span // 2
    return _Scale(start=low - pad, end=high + pad)


def _ticks(scale: _Scale) -> list[int]:
    span_minutes = (scale.end - scale.start) / 60
    step = next((s for s in _TICK_STEPS if span_minutes / s <= 8), _TICK_STEPS[-1]) * 60
    first = -(-scale.start // step) * step
    return list(range(first, scale.end + 1, step))


_SHAPES = {
    "trigger": "cross",
    "detection": "triangle",
    "investigation": "ring",
    "mitigation": "diamond",
    "recovery": "disc",
    "resolution": "square",
    "communication": "box",
    "other": "dot",
}


def _shape(kind: str, x: float, y: float) -> str:
    """Each kind its own shape, so colour is never the only signal."""
    shape = _SHAPES.get(kind, "dot")
    css = f'class="pm-mark pm-{kind}" data-shape="{shape}"'
    if shape == "triangle":
        return f'<path {css} d="M{x} {y - 7}L{x + 7} {y + 5}L{x - 7} {y + 5}Z"/>'
    if shape == "diamond":
        return f'<path {css} d="M{x} {y - 7}L{x + 7} {y}L{x} {y + 7}L{x - 7} {y}Z"/>'
    if shape in ("square", "box"):  # filled / hollow
        return f'<rect {css} x="{x - 6}" y="{y - 6}" width="12" height="12"/>'
    if shape == "cross":
        return (
            f'<path {css} d="M{x - 7} {y - 2}H{x - 2}V{y - 7}H{x + 2}V{y - 2}H{x + 7}'
            f'V{y + 2}H{x + 2}V{y + 7}H{x - 2}V{y + 2}H{x - 7}Z"/>'
        )
    radius = 6 if shape in ("disc", "ring") else 4
    return f'<circle {css} cx="{x}" cy="{y}" r="{radius}"/>'


def _label(entry: TimelineEntry, x: float, y: float, time_text: str) -> str:
    text = (
        f"{time_text} · {KIND_NAMES.get(entry.kind, 'Event')} · {printed_text(entry.description)}"
    )
    right = x <= WIDTH / 2
    room = (WIDTH - _RIGHT - x - 12) if right else (x - _LEFT - 12)
    limit = max(int(room / _CHAR_WIDTH), 16)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    anchor = "start" if right else "end"
    tx = x + 12 if right else x - 12
    return (
        f'<text class="pm-label" x="{tx}" y="{y + 4}" text-anchor="{anchor}">'
        f"{escape(text, quote=False)}</text>"
    )


def _milestones(
    entries: list[TimelineEntry], seconds: list[int]
) -> list[tuple[str, TimelineEntry, int]]:
    """(label, entry, seconds) for the first detection, first mitigation, last recovery."""
    found: list[tuple[str, TimelineEntry, int]] = []
    for kind, label in _MILESTONES:
        matching = [(e, s) for e, s in zip(entries, seconds, strict=True) if e.kind == kind]
        if matching:
            entry, at = matching[-1] if kind == "recovery" else matching[0]
            found.append((label, entry, at))
    return found


def _description(
    title: str,
    entries: list[TimelineEntry],
    seconds: list[int],
    milestones: list[tuple[str, TimelineEntry, int]],
    window: tuple[int, int, int] | None,
    first_day: int,
) -> str:
    count = len(entries)
    parts = [
        f"Timeline of {title}: {count} event{'s' if count != 1 else ''} from "
        f"{_clock(seconds[0], first_day)} to {_clock(seconds[-1], first_day)}."
    ]
    for label, _, at in milestones:
        parts.append(f"{label} at {_clock(at, first_day)}.")
    if window is not None:
        start, end, minutes = window
        parts.append(
            f"Impact window, shaded: {_clock(start, first_day)} to {_clock(end, first_day)} "
            f"({minutes} minutes)."
        )
    return " ".join(parts)


def timeline_svg(report: IncidentReport, transcript: Transcript, *, prefix: str = "pm") -> str:
    """The timeline picture of `report` as a standalone SVG document (also valid inline in
    HTML). `prefix` keeps element ids unique when several pictures share a page."""
    entries = sorted_timeline(report, transcript)
    title = printed_text(report.title)
    rows = max(len(entries), 1)
    height = _ROW_TOP + rows * _ROW_HEIGHT + 16
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pm-timeline" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">'
    )
    if not entries:
        return (
            f'{head}<title id="{prefix}-title">Timeline of {escape(title)}</title>'
            f'<desc id="{prefix}-desc">The draft has no timeline entries.</desc></svg>'
        )
    seconds = [entry_seconds(e, transcript) for e in entries]
    first_day = seconds[0] // 86400
    window_info = impact_window(report, transcript)
    window: tuple[int, int, int] | None = None
    if window_info is not None:
        window = (
            entry_seconds(window_info.start, transcript),
            entry_seconds(window_info.end, transcript),
            window_info.minutes,
        )
    scale = _scale(seconds + ([window[0], window[1]] if window else []))
    milestones = _milestones(entries, seconds)
    parts = [
        head,
        f'<title id="{prefix}-title">Timeline of {escape(title)}</title>',
        f'<desc id="{prefix}-desc">'
        f"{escape(_description(title, entries, seconds, milestones, window, first_day))}</desc>",
        f"<style>{_STYLE.replace('PREFIX', prefix)}</style>",
        "<defs>"
        f'<pattern id="{prefix}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fdf0ef"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#f2c4c0" stroke-width="2"/></pattern>'
        "</defs>",
        f'<rect class="pm-bg" width="{WIDTH}" height="{height}"/>',
    ]
    if window is not None:
        x0, x1 = scale.x(window[0]), scale.x(window[1])
        parts.append(
            f'<g class="pm-impact-window"><rect class="pm-window" x="{x0}" y="{_AXIS_Y - 30}" '
            f'width="{max(x1 - x0, 1)}" height="{height - _AXIS_Y + 22}"/>'
            f'<text class="pm-window-label" x="{x0 + 4}" y="{_AXIS_Y - 36}">Impact '
            f"{_clock(window[0], first_day)}–{_clock(window[1], first_day)} "
            f"({window[2]} min)</text></g>"
        )
    parts.append(
        f'<line class="pm-axis" x1="{_LEFT}" y1="{_AXIS_Y}" x2="{WIDTH - _RIGHT}" y2="{_AXIS_Y}"/>'
    )
    for tick in _ticks(scale):
        x = scale.x(tick)
        parts.append(
            f'<line class="pm-tick" x1="{x}" y1="{_AXIS_Y}" x2="{x}" y2="{_AXIS_Y + 5}"/>'
            f'<text class="pm-tick-label" x="{x}" y="{_AXIS_Y + 17}" text-anchor="middle">'
            f"{_clock(tick, first_day)}</text>"
        )
    for index, (label, _, at) in enumerate(milestones):
        x = scale.x(at)
        parts.append(
            f'<g class="pm-milestone-group"><line class="pm-milestone" x1="{x}" '
            f'y1="{18 + 14 * index}" x2="{x}" y2="{height - 8}"/>'
            f'<text class="pm-milestone-label" x="{x}" y="{14 + 14 * index}" '
            f'text-anchor="middle">{label} {_clock(at, first_day)}</text></g>'
        )
    for row, (entry, at) in enumerate(zip(entries, seconds, strict=True)):
        x = scale.x(at)
        y = _ROW_TOP + row * _ROW_HEIGHT
        time_text = _clock(at, first_day)
        tooltip = (
            f"{time_text} {KIND_NAMES.get(entry.kind, 'Event')}: {printed_text(entry.description)} "
            f"[{', '.join(f'm{i}' for i in entry.evidence)}]"
        )
        parts.append(
            f'<g class="pm-entry" data-kind="{entry.kind}" data-time="{hhmm(entry.time)}" '
            f'data-evidence="{" ".join(str(i) for i in entry.evidence)}">'
            f"<title>{escape(tooltip, quote=False)}</title>"
            f'<line class="pm-stem" x1="{x}" y1="{_AXIS_Y}" x2="{x}" y2="{y}"/>'
            f"{_shape(entry.kind, x, y)}{_label(entry, x, y, time_text)}</g>"
        )
    parts.append("</svg>")
    return "".join(parts)
