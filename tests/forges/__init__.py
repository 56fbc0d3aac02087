"""Local stand-ins for real forges (GitHub, GitLab) that the tracker tests talk to over HTTP."""
