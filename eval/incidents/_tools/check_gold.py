#!/usr/bin/env python3
"""Sanity checks for eval/incidents/*/gold.json against their transcripts.

Run: python3 eval/incidents/_tools/check_gold.py   (exit 1 on any failure)

Checks: gold loads and has the documented fields; the transcript parses in the
declared format; every timeline time is a message time or is written in a message;
every owner (and participant) is a message author; every impact figure occurs in the
transcript; every secret-looking must_not_appear string (no spaces, >= 12 chars)
occurs in the transcript and none occurs in the gold's own
descriptions (a stand-in for a correct draft); each gold description satisfies its own keywords; timeline
is in chat order (midnight rollover allowed once).
"""
import datetime
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"bracket-header", "bracket-inline", "plain-inline", "datetime-inline", "irc",
           "slack-export", "slack-copy", "discord-copy"}
BOTS = {"deploy-bot", "alertmanager", "grafana", "uptime-bot", "PagerDuty"}


def to24(h, m, ampm):
    h = int(h)
    if ampm == "AM":
        h = 0 if h == 12 else h
    else:
        h = 12 if h == 12 else h + 12
    return f"{h:02d}:{m}"


def parse(fmt, path):
    """Return list of (HH:MM, author, text)."""
    msgs = []
    if fmt == "slack-export":
        for m in json.loads(path.read_text()):
            t = datetime.datetime.fromtimestamp(float(m["ts"]), datetime.timezone.utc).strftime("%H:%M")
            if m.get("subtype") == "bot_message":
                a = m["bot_profile"]["name"]
            else:
                a = m["user_profile"]["real_name"]
            msgs.append([t, a, m["text"]])
        return msgs
    pats = {
        "bracket-header": (r"^\[(\d\d:\d\d)\] (.+)$", True),
        "bracket-inline": (r"^\[(\d\d:\d\d)\] ([^:]+?): (.*)$", False),
        "plain-inline": (r"^(\d\d:\d\d)(?::\d\d)? ([^:]+?): (.*)$", False),
        "datetime-inline": (r"^\d{4}-\d\d-\d\d[ T](\d\d:\d\d)(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)? ([^:]+?): (.*)$", False),
        "irc": (r"^\[(\d\d:\d\d)\] (?:<([^>]+)>|\* (\S+)) (.*)$", False),
        "slack-copy": (r"^(?:> ?)?(.+?)  (\d{1,2}):(\d\d) (AM|PM)$", True),
        "discord-copy": (r"^(.+?) — \d\d/\d\d/\d{4} (\d\d:\d\d)$", True),
    }
    pat, header = pats[fmt]
    for line in path.read_text().splitlines():
        m = re.match(pat, line)
        if m:
            g = m.groups()
            if fmt == "bracket-header":
                msgs.append([g[0], g[1].strip(), ""])
            elif fmt == "slack-copy":
                msgs.append([to24(g[1], g[2], g[3]), g[0], ""])
            elif fmt == "discord-copy":
                msgs.append([g[1], g[0], ""])
            elif fmt == "irc":
                msgs.append([g[0], g[1] or g[2], g[3]])
            else:
                msgs.append([g[0], g[1], g[2]])
        elif msgs:
            msgs[-1][2] += "\n" + line
    return msgs


def matches(groups, text):
    t = text.lower()
    return all(any(alt.lower() in t for alt in grp) for grp in groups)


def times_in_text(text):
    out = set()
    for h, m, ampm in re.findall(r"\b(\d{1,2}):(\d\d)(?::\d\d)?(?:\s?(AM|PM|am|pm))?", text):
        if ampm:
            out.add(to24(h, m, ampm.upper()))
        else:
            out.add(f"{int(h):02d}:{m}")
    return out


def check(d):
    errs, warns = [], []
    gold = json.loads((d / "gold.json").read_text())
    for k in ["id", "title", "format", "date", "timezone", "participants", "timeline", "root_cause",
              "action_items", "impact_figures", "must_not_appear", "notes"]:
        if k not in gold:
            errs.append(f"missing field {k}")
    if gold.get("id") != d.name:
        errs.append(f"id {gold.get('id')} != folder {d.name}")
    fmt = gold["format"]
    if fmt not in FORMATS:
        errs.append(f"bad format {fmt}")
    if gold["date"] is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", gold["date"]):
        errs.append("bad date")
    tpath = d / ("transcript.json" if fmt == "slack-export" else "transcript.txt")
    if not tpath.exists():
        return [f"missing {tpath.name}"], warns, 0
    raw = tpath.read_text()
    msgs = parse(fmt, tpath)
    if len(msgs) < 20:
        errs.append(f"only {len(msgs)} messages parsed")
    authors = {a for _, a, _ in msgs}
    humans = authors - BOTS
    if set(gold["participants"]) != humans:
        errs.append(f"participants {sorted(gold['participants'])} != authors {sorted(humans)}")
    msg_times = {t for t, _, _ in msgs}
    text_times = set()
    for _, _, txt in msgs:
        text_times |= times_in_text(txt)
    prev, rolled = None, False
    for ev in gold["timeline"]:
        t = ev["time"]
        if not re.fullmatch(r"\d\d:\d\d", t):
            errs.append(f"bad time {t}")
        if t not in msg_times and t not in text_times:
            errs.append(f"timeline {t} not in transcript")
        if prev and t < prev:
            if rolled or not (prev >= "20:00" and t < "04:00"):
                errs.append(f"timeline out of order {prev} -> {t}")
            rolled = True
        prev = t
        if not matches(ev["keywords"], ev["event"]):
            errs.append(f"timeline {t} event text does not satisfy its keywords")
    rc = gold["root_cause"]
    if not matches(rc["keywords"], rc["description"]):
        errs.append("root cause description does not satisfy its keywords")
    for ai in gold["action_items"]:
        if ai["owner"] is not None and ai["owner"] not in humans:
            errs.append(f"owner {ai['owner']} is not an author")
        if not matches(ai["keywords"], ai["description"]):
            errs.append(f"action '{ai['description'][:40]}' does not satisfy its keywords")
    for grp_holder in [rc] + gold["timeline"] + gold["action_items"]:
        kw = grp_holder["keywords"]
        if not kw or any(not g or any(not a.strip() for a in g) for g in kw):
            errs.append(f"empty keyword group in {grp_holder.get('time') or grp_holder.get('description', '')[:30]}")
    for f in gold["impact_figures"]:
        if f not in raw:
            errs.append(f"impact figure {f!r} not in transcript")
    gold_text = " ".join([gold["title"], rc["description"]] + [e["event"] for e in gold["timeline"]]
                         + [a["description"] for a in gold["action_items"]]).lower()
    for s in gold["must_not_appear"]:
        if s.lower() in gold_text:
            errs.append(f"must_not_appear {s!r} occurs in the gold's own descriptions")
        secretish = " " not in s and len(s) >= 12
        if secretish and s not in raw:
            errs.append(f"secret-like must_not_appear {s!r} not in transcript")
    return errs, warns, len(msgs)


def main():
    bad = 0
    dirs = sorted(p for p in ROOT.iterdir() if p.is_dir() and re.match(r"\d\d-", p.name))
    for d in dirs:
        try:
            errs, warns, n = check(d)
        except Exception as e:  # noqa: BLE001
            errs, warns, n = [f"exception: {e!r}"], [], 0
        status = "OK " if not errs else "ERR"
        print(f"{status} {d.name} ({n} msgs)")
        for e in errs:
            print("    -", e)
        bad += bool(errs)
    print(f"{len(dirs)} incidents, {bad} with errors")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
