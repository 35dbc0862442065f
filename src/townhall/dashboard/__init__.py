"""Own the moderator dashboard and the account pages (server-rendered templates + htmx)."""
