"""Who may see which citizens, and the append-only log of every read."""
