"""Generated data, in one place: the Spanish demo content of `flask demo` (`demo_*`: accounts'
proposals, supports and conversations, and the plan's first decisions) and the
national-scale benchmark dataset of `flask bench-data` (`bench*`, written in bulk)."""
