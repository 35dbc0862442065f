"""Own comments, replies, edits, likes and the thread reads that pages and the API use."""
