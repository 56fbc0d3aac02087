"""What a forge's error answer says, in one line: the reason its body gives (GitHub, GitLab)."""

from __future__ import annotations

import httpx


def error_detail(response: httpx.Response) -> str:
    """The reason an error body gives: GitHub's ``message`` + ``errors`` array, GitLab's ``message``
    (a string, a list, or a field -> problems mapping) or ``error``; else the start of the text."""
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if not isinstance(data, dict):
        return str(data)[:200]
    parts: list[str] = []
    message = data.get("message", data.get("error", ""))
    if isinstance(message, dict):
        parts.extend(
            f"{field} {', '.join(map(str, v)) if isinstance(v, list) else v}" for field, v in message.items()
        )
    elif isinstance(message, list):
        parts.extend(map(str, message))
    elif message:
        parts.append(str(message))
    for error in data.get("errors", []) if isinstance(data.get("errors"), list) else []:
        if isinstance(error, dict):
            if error.get("message"):
                parts.append(str(error["message"]))
            else:
                where = " ".join(str(error[k]) for k in ("resource", "field") if error.get(k))
                parts.append(f"{where}: {error.get('code', 'invalid')}" if where else str(error))
        else:
            parts.append(str(error))
    return "; ".join(parts)
