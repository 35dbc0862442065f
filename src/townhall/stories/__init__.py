"""Own sites (publishers), their stories, open/close schedules and community policy texts."""
