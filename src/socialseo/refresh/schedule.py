"""The project file's schedule as a crontab line: ``hourly``, ``daily HH:MM``, ``weekly DAY HH:MM`` or cron fields."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

_DAYS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
_FIELD = re.compile(r"^[\d*/,\-a-zA-Z]+$")


def cron_fields(schedule: str) -> str:
    """The five crontab time fields for ``schedule``; a ValueError says what is wrong.

    >>> cron_fields("daily 06:30"), cron_fields("weekly mon 07:00"), cron_fields("hourly")
    ('30 6 * * *', '0 7 * * 1', '0 * * * *')
    """
    words = schedule.strip().lower().split()
    if words == ["hourly"]:
        return "0 * * * *"
    if len(words) == 2 and words[0] == "daily":
        hour, minute = _clock(words[1])
        return f"{minute} {hour} * * *"
    if len(words) == 3 and words[0] == "weekly":
        if words[1][:3] not in _DAYS:
            raise ValueError(f"unknown day {words[1]!r}; use mon, tue, ... sun")
        hour, minute = _clock(words[2])
        return f"{minute} {hour} * * {_DAYS[words[1][:3]]}"
    if len(words) == 5 and all(_FIELD.match(w) for w in words):
        return " ".join(words)
    raise ValueError("use hourly, daily HH:MM, weekly DAY HH:MM or five crontab fields such as '30 6 * * *'")


def _clock(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"{text!r} is not a time of day HH:MM")
    return int(match.group(1)), int(match.group(2))


def crontab_line(schedule: str, project_file: Path, log: Path | None = None) -> str:
    """The crontab line that runs this refresh on ``schedule``, with this Python, appending to ``log``."""
    project = project_file.resolve()
    log = log or project.with_name("socialseo-refresh.log")
    command = (f"cd {shlex.quote(str(project.parent))} && {shlex.quote(sys.executable)} -m socialseo refresh "
               f"--project {shlex.quote(str(project))} >> {shlex.quote(str(log))} 2>&1")
    return f"{cron_fields(schedule)} {command}"
