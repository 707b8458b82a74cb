"""Views shared by practice and progress: identity, the store door, recording answers, My progress."""
