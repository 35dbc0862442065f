"""Own the embed widget (one script tag, Shadow DOM) and the endpoint that serves it."""
