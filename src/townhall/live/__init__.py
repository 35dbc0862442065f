"""Own live events: fan-out of story and moderator events over Server-Sent Events."""
