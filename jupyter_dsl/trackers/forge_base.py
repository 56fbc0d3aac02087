"""What the forge trackers (GitHub, GitLab) share on top of their HTTP client."""

from __future__ import annotations

from .http import ForgeHttp


class ForgeTracker:
    """A tracker that talks to its forge through ``self.http`` and reports that client's offline state."""

    http: ForgeHttp

    @property
    def offline_as_of(self) -> str | None:
        """ISO time of the cached copy the last read came from because the forge was unreachable."""
        return self.http.offline_as_of

    @offline_as_of.setter
    def offline_as_of(self, value: str | None) -> None:
        self.http.offline_as_of = value

    def close_connection(self) -> None:
        """Close the HTTP client's kept-alive connections, once this tracker is done with (as the
        server does after each request): their sockets are not left for the garbage collector."""
        self.http.close()
